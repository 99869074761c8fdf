"""The berichten service: the i-Standaard codec and the message hub."""
