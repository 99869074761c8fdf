"""The indicatie domain: plain Python, no I/O."""
