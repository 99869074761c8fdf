"""The toewijzing domain: plain Python, no I/O. Its rules arrive with the toewijzing issue."""
