"""The rapportage domain: plain Python, no I/O."""
