"""Safe parsing of untrusted XML.

No DTD is loaded and none is allowed, entities are never resolved, nothing is fetched from the
network, and size, depth and element count are bounded. Each refusal has its own reason, so the
sender learns exactly what is wrong.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from berichten.codec._decode import maten

MAX_BYTES = 25 * 1024 * 1024  # OP179: an i-Standaard message is at most 25 MB
MAX_DEPTH = 40  # the deepest 3.2 message is about 10 levels
MAX_ELEMENTS = 2_000_000


class XmlFout(StrEnum):
    TE_GROOT = "te_groot"
    LEEG = "leeg"
    GEEN_XML = "geen_xml"
    ONVOLLEDIG = "onvolledig"
    DTD_NIET_TOEGESTAAN = "dtd_niet_toegestaan"
    TE_DIEP = "te_diep"
    TE_VEEL_ELEMENTEN = "te_veel_elementen"


@dataclass
class XmlError(ValueError):
    reden: XmlFout
    melding: str
    regel: int | None = None

    def __str__(self) -> str:
        where = f" (regel {self.regel})" if self.regel else ""
        return f"{self.melding}{where}"


_parsers = threading.local()


def _parser(opmaak: bool = False) -> etree.XMLParser:
    """This thread's parser (an lxml parser may be reused, but not shared between threads). Comments,
    processing instructions and blank text carry nothing in a message and are dropped, so the children of
    an element are exactly its XSD elements; with `opmaak` they are kept (to change a message in place)."""
    naam = "opmaak" if opmaak else "parser"
    parser = getattr(_parsers, naam, None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            collect_ids=False,
            remove_blank_text=not opmaak,
            remove_comments=not opmaak,
            remove_pis=not opmaak,
        )
        setattr(_parsers, naam, parser)
    return parser


def _doctype_in_proloog(data: bytes) -> bool:
    """Whether the prolog declares a DOCTYPE, before anything is parsed. The prolog (what precedes the root
    element: the XML declaration, comments, processing instructions) is the only place where a DOCTYPE, and
    with it an ENTITY declaration, can stand; only the prolog is read, however long its comments are."""
    pos = data.find(b"<")
    while pos != -1:
        if data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            pos = -1 if end == -1 else data.find(b"<", end + 3)
        elif data.startswith(b"<?", pos):
            end = data.find(b"?>", pos + 2)
            pos = -1 if end == -1 else data.find(b"<", end + 2)
        else:
            return data.startswith(b"<!DOCTYPE", pos)
    return False  # no root element: the parser says what is wrong


def parse(data: bytes, opmaak: bool = False) -> etree._ElementTree:
    """Parses `data` as one XML document, or raises XmlError saying why not; with `opmaak` the layout,
    comments and processing instructions are kept."""
    if len(data) > MAX_BYTES:
        raise XmlError(XmlFout.TE_GROOT, f"het bericht is {len(data)} bytes; het maximum is {MAX_BYTES} bytes (25 MB, OP179)")
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise XmlError(XmlFout.LEEG, "het bericht is leeg")
    if not stripped.startswith(b"<"):
        raise XmlError(XmlFout.GEEN_XML, "het bericht is geen XML")
    if _doctype_in_proloog(data):
        raise XmlError(XmlFout.DTD_NIET_TOEGESTAAN, "een DOCTYPE of ENTITY-declaratie is niet toegestaan")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser(opmaak)))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or None
        message = str(exc.msg or exc)
        last_line = data.rstrip(b"\r\n").rsplit(b"\n", 1)[-1]
        at_end = exc.position[0] >= data.rstrip(b"\r\n").count(b"\n") + 1 and exc.position[1] >= len(last_line)
        if "Premature end" in message or (at_end and "mismatch" not in message):
            raise XmlError(XmlFout.ONVOLLEDIG, f"het bericht is afgebroken (onvolledige XML): {message}", line) from None
        raise XmlError(XmlFout.GEEN_XML, f"het bericht is geen geldige XML: {message}", line) from None
    if tree.docinfo.doctype:
        raise XmlError(XmlFout.DTD_NIET_TOEGESTAAN, "een DOCTYPE is niet toegestaan")
    diepte, aantal = maten(tree.getroot())  # one walk in C: about 4 % of the parse of a large message
    if diepte > MAX_DEPTH:
        raise XmlError(XmlFout.TE_DIEP, f"het bericht is dieper genest dan {MAX_DEPTH} niveaus")
    if aantal > MAX_ELEMENTS:
        raise XmlError(XmlFout.TE_VEEL_ELEMENTEN, f"het bericht heeft meer dan {MAX_ELEMENTS} elementen")
    return tree
