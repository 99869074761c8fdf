"""The berichten domain: plain Python, no I/O. Its rules arrive with the berichten issue."""
