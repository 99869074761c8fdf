"""The i-Standaard codec: safe XML parsing, XSD validation, and XML <-> typed model."""
