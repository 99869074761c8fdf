"""The declaratie domain: plain Python, no I/O."""
