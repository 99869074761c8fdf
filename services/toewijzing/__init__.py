"""The toewijzing service: toewijzingen (301), the toewijslijst, verzoeken (315/317/319) and start/stop (305/307)."""
