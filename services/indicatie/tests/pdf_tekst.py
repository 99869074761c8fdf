"""Test support: checks a PDF's structure (header, xref offsets, trailer) and extracts its text."""

from __future__ import annotations

import re
import zlib


def pdf_tekst(data: bytes) -> str:
    """The text shown by the PDF's content streams; fails when the file structure is broken."""
    assert data.startswith(b"%PDF-1."), "no PDF header"
    assert data.rstrip().endswith(b"%%EOF"), "no %%EOF"
    startxref = int(re.search(rb"startxref\s+(\d+)", data[-64:]).group(1))  # type: ignore[union-attr]
    assert data[startxref:].startswith(b"xref"), "startxref does not point at the xref table"
    header = re.match(rb"xref\s+0 (\d+)\s+", data[startxref:])
    assert header is not None
    count = int(header.group(1))
    entries = data[startxref + header.end() :].split(b"\n")[:count]
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj" % number), f"xref entry {number} points at the wrong place"
    lines = []
    for match in re.finditer(rb"<<([^>]*?)/Length (\d+)([^>]*?)>>\nstream\n", data):
        length = int(match.group(2))
        raw = data[match.end() : match.end() + length]
        if b"FlateDecode" in match.group(0):
            raw = zlib.decompress(raw)
        for text in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", raw):
            lines.append(re.sub(rb"\\(.)", rb"\1", text).decode("cp1252"))
    return "\n".join(lines)
