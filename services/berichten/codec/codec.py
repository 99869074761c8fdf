"""Reading and writing whole messages: bytes -> checked typed message, typed message -> valid bytes."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from lxml import etree

from berichten.codec import xml
from berichten.codec.mapping import Mapper
from berichten.codec.schemas import BerichtType, Schemas, XsdFout
from berichten.domain.model import Bericht
from berichten.domain.regels.regel import Index
from runtime.gcpause import paused_gc


class EncodeError(ValueError):
    """The codec refuses to write a message that does not satisfy its XSD."""

    def __init__(self, bericht_type: BerichtType, fouten: list[XsdFout]):
        self.fouten = fouten
        super().__init__(f"{bericht_type.naam} is niet geldig volgens de XSD: " + "; ".join(map(str, fouten[:5])))


@dataclass
class Decoded:
    """A message read at controleniveau 1. `bericht` is None when the XSD was not satisfied."""

    bericht_type: BerichtType
    tree: etree._ElementTree
    xsd_fouten: list[XsdFout]
    bericht: Bericht | None
    index: Index | None = field(default=None, repr=False, compare=False)  # every class in document order, when asked for

    @property
    def xsd_valid(self) -> bool:
        return not self.xsd_fouten


def header_velden(tree: etree._ElementTree) -> dict[str, str]:
    """The header's plain values by element name, read leniently (also from an XSD-invalid message):
    Afzender, Ontvanger, Identificatie, Dagtekening, IdentificatieRetour …"""
    values: dict[str, str] = {}
    header = next((child for child in tree.getroot() if etree.QName(child).localname == "Header"), None)
    if header is None:
        return values
    for element in header.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if len(element) == 0 and element.text and name not in values:
            values[name] = element.text.strip()
    return values


def met_nieuwe_identificatie(data: bytes, identificatie: str) -> bytes:
    """`data` with `identificatie` in Header/BerichtIdentificatie/Identificatie, the rest (layout
    included) as it was; unchanged when that element is absent or the XML cannot be read safely."""
    try:
        root = xml.parse(data, opmaak=True).getroot()
    except xml.XmlError:
        return data
    header = next((child for child in root if isinstance(child.tag, str) and etree.QName(child).localname == "Header"), None)
    for element in header.iter() if header is not None else ():
        parent = element.getparent()
        if isinstance(element.tag, str) and etree.QName(element).localname == "Identificatie" and etree.QName(parent).localname == "BerichtIdentificatie":
            element.text = identificatie
            return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    return data


class Codec:
    def __init__(self, schemas: Schemas | None = None):
        self.schemas = schemas or Schemas()

    @functools.cache  # noqa: B019 - a handful of message types, kept for the process
    def _mapper(self, bericht_type: BerichtType) -> Mapper:
        return Mapper(bericht_type.namespace, bericht_type.basis_namespace)

    def decode(self, data: bytes, met_index: bool = False) -> Decoded:
        """Parses safely, recognises the message, validates it against its XSD and, if valid, maps it.

        `met_index`: also the rules' index of the message (`Index`), made in the same pass.
        Raises xml.XmlError for bytes that are not acceptable XML and schemas.OnbekendBericht for XML
        that is not an iWmo/iJw 3.2 message.
        """
        tree = xml.parse(data)
        bericht_type = self.schemas.identify(tree.getroot())
        fouten = self.schemas.validate(tree, bericht_type)
        if fouten:
            return Decoded(bericht_type, tree, fouten, None)
        index = Index.leeg() if met_index else None
        with paused_gc():
            bericht = self._mapper(bericht_type).decode(tree.getroot(), bericht_type.soort.model, index)
        return Decoded(bericht_type, tree, fouten, bericht, index)

    def encode(self, bericht: Bericht) -> bytes:
        """The XML of a message (UTF-8), checked against its XSD; raises EncodeError if not valid."""
        bericht_type = self.schemas.type_for_code(bericht.header.bericht_code)
        if not isinstance(bericht, bericht_type.soort.model):
            raise TypeError(f"BerichtCode {bericht.header.bericht_code} is a {bericht_type.naam}, not a {type(bericht).__name__}")
        nsmap = {bericht_type.prefix: bericht_type.namespace, bericht_type.basis_prefix: bericht_type.basis_namespace}
        root = self._mapper(bericht_type).encode(bericht, nsmap)
        fouten = self.schemas.validate(etree.ElementTree(root), bericht_type)
        if fouten:
            raise EncodeError(bericht_type, fouten)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
