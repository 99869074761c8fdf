"""The official XSDs: which message a document is, and whether it is valid (controleniveau 1).

A message is recognised by the namespace of its root element Bericht
(`http://www.istandaarden.nl/{iwmo|ijw}/3_2/{wmo|jw}NNN/schema`). Schemas are compiled on first
use and kept. The iWmo 3.2 retour XSDs (302, 306, 308, 316, 318, 320, 325) are not public: for
those a schema is derived in memory from the official iJw twin, with the iWmo namespaces and
BerichtCode put in (`BerichtType.officieel` is then False). Everything the codec builds is
therefore validated, iWmo retours against the derived schema, everything else against the
official one.
"""

from __future__ import annotations

import csv
import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from lxml import etree

from berichten.domain.berichtsoorten import BERICHTSOORTEN, Berichtsoort, Standaard

STANDAARD_DIR = Path(__file__).resolve().parent.parent / "standaard"
RELEASE = "3_2"
_NAMESPACE = re.compile(r"^http://www\.istandaarden\.nl/(iwmo|ijw)/(\d+)_(\d+)/(wmo|jw)(\d{3})/schema$")
_XS = "{http://www.w3.org/2001/XMLSchema}"
_PREFIX = {Standaard.IWMO: "wmo", Standaard.IJW: "jw"}


def bericht_namespace(standaard: Standaard, soort: str) -> str:
    return f"http://www.istandaarden.nl/{standaard}/{RELEASE}/{_PREFIX[standaard]}{soort}/schema"


def basis_namespace(standaard: Standaard) -> str:
    return f"http://www.istandaarden.nl/{standaard}/{RELEASE}/basisschema/schema"


class OnbekendReden(StrEnum):
    GEEN_BERICHT = "geen_bericht"
    ONBEKENDE_NAMESPACE = "onbekende_namespace"
    RELEASE_NIET_ONDERSTEUND = "release_niet_ondersteund"
    ONBEKENDE_BERICHTSOORT = "onbekende_berichtsoort"


@dataclass
class OnbekendBericht(ValueError):
    reden: OnbekendReden
    melding: str

    def __str__(self) -> str:
        return self.melding


@dataclass(frozen=True)
class XsdFout:
    regel: int
    element: str
    melding: str

    def __str__(self) -> str:
        return f"regel {self.regel}, {self.element}: {self.melding}"


@dataclass(frozen=True)
class BerichtType:
    standaard: Standaard
    soort: Berichtsoort
    berichtcode: int
    basisschema_xsd_versie: str
    bericht_xsd_versie: str
    officieel: bool

    @property
    def namespace(self) -> str:
        return bericht_namespace(self.standaard, self.soort.soort)

    @property
    def basis_namespace(self) -> str:
        return basis_namespace(self.standaard)

    @property
    def prefix(self) -> str:
        return f"{_PREFIX[self.standaard]}{self.soort.soort}"

    @property
    def basis_prefix(self) -> str:
        return str(self.standaard)

    @property
    def naam(self) -> str:
        return f"{_PREFIX[self.standaard].upper()}{self.soort.soort}"


def _schema_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class Schemas:
    """The message types and their compiled schemas, read from `root` (the `standaard/` folder)."""

    def __init__(self, root: Path = STANDAARD_DIR):
        self.root = root
        self._lock = threading.Lock()
        self._types: dict[tuple[Standaard, str], BerichtType] | None = None
        self._per_tag: dict[str, BerichtType] = {}  # root tags already identified
        self._compiled: dict[tuple[Standaard, str], etree.XMLSchema] = {}

    def _xsd_path(self, standaard: Standaard, soort: str) -> Path:
        return self.root / str(standaard) / "3.2" / "xsd" / f"{_PREFIX[standaard].upper()}{soort}.xsd"

    def _load_types(self) -> dict[tuple[Standaard, str], BerichtType]:
        codes: dict[tuple[Standaard, str], int] = {}
        with open(self.root / "berichtcodes.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                codes[(Standaard(row["standaard"]), row["berichtsoort"])] = int(row["berichtcode"])
        types = {}
        for (standaard, soort), code in codes.items():
            path = self._xsd_path(standaard, soort)
            official = path.exists()
            source = path if official else self._xsd_path(Standaard.IJW, soort)
            appinfo = etree.parse(str(source), _schema_parser()).getroot().find(f"{_XS}annotation/{_XS}appinfo")
            versions = {etree.QName(e).localname: (e.text or "").strip() for e in appinfo} if appinfo is not None else {}
            types[(standaard, soort)] = BerichtType(
                standaard=standaard,
                soort=BERICHTSOORTEN[soort],
                berichtcode=code,
                basisschema_xsd_versie=versions.get("BasisschemaXsdVersie", ""),
                bericht_xsd_versie=versions.get("BerichtXsdVersie", ""),
                officieel=official,
            )
        return types

    @property
    def types(self) -> dict[tuple[Standaard, str], BerichtType]:
        if self._types is None:
            with self._lock:
                if self._types is None:
                    self._types = self._load_types()
        return self._types

    def type_for(self, standaard: Standaard, soort: str) -> BerichtType:
        return self.types[(standaard, soort)]

    def type_for_code(self, berichtcode: int) -> BerichtType:
        for bericht_type in self.types.values():
            if bericht_type.berichtcode == berichtcode:
                return bericht_type
        raise OnbekendBericht(OnbekendReden.ONBEKENDE_BERICHTSOORT, f"BerichtCode {berichtcode} is geen iWmo/iJw 3.2-bericht")

    def identify(self, root: etree._Element) -> BerichtType:
        """The message type of a parsed document, from its root element's namespace."""
        known = self._per_tag.get(root.tag)
        if known is not None:
            return known
        qname = etree.QName(root)
        if qname.localname != "Bericht":
            raise OnbekendBericht(OnbekendReden.GEEN_BERICHT, f"het root-element is {qname.localname}, geen Bericht van de i-Standaarden")
        match = _NAMESPACE.match(qname.namespace or "")
        if not match:
            raise OnbekendBericht(OnbekendReden.ONBEKENDE_NAMESPACE, f"de namespace {qname.namespace!r} is geen iWmo- of iJw-berichtnamespace")
        standaard, major, minor, family, soort = match.groups()
        if (standaard, family) not in (("iwmo", "wmo"), ("ijw", "jw")):
            raise OnbekendBericht(OnbekendReden.ONBEKENDE_NAMESPACE, f"de namespace {qname.namespace!r} mengt iWmo en iJw")
        if f"{major}_{minor}" != RELEASE:
            raise OnbekendBericht(
                OnbekendReden.RELEASE_NIET_ONDERSTEUND, f"release {major}.{minor} van {standaard} wordt niet ondersteund; alleen release 3.2"
            )
        key = (Standaard(standaard), soort)
        if key not in self.types:
            raise OnbekendBericht(OnbekendReden.ONBEKENDE_BERICHTSOORT, f"{family.upper()}{soort} is geen bericht van release 3.2")
        self._per_tag[root.tag] = self.types[key]
        return self.types[key]

    def schema(self, bericht_type: BerichtType) -> etree.XMLSchema:
        key = (bericht_type.standaard, bericht_type.soort.soort)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(bericht_type)
                self._compiled[key] = compiled
        return compiled

    def _compile(self, bericht_type: BerichtType) -> etree.XMLSchema:
        path = self._xsd_path(bericht_type.standaard, bericht_type.soort.soort)
        if bericht_type.officieel:
            return etree.XMLSchema(etree.parse(str(path), _schema_parser()))
        return etree.XMLSchema(self._derived(bericht_type, path))

    def _derived(self, bericht_type: BerichtType, path: Path) -> etree._ElementTree:
        """The iJw twin's schema with iWmo namespaces and BerichtCode (for the non-public iWmo retour XSDs)."""
        twin = self.type_for(Standaard.IJW, bericht_type.soort.soort)
        text = self._xsd_path(Standaard.IJW, twin.soort.soort).read_text(encoding="utf-8")
        text = text.replace(twin.namespace, bericht_type.namespace).replace(twin.basis_namespace, bericht_type.basis_namespace)
        text = text.replace(f'<xs:pattern value="{twin.berichtcode}"/>', f'<xs:pattern value="{bericht_type.berichtcode}"/>')
        base_url = str(path.parent) + "/"  # basisschema.xsd resolves to the iWmo basisschema
        return etree.ElementTree(etree.fromstring(text.encode(), _schema_parser(), base_url=base_url))

    def validate(self, tree: etree._ElementTree, bericht_type: BerichtType) -> list[XsdFout]:
        """Controleniveau 1: the XSD errors, each with its line and element (empty when valid)."""
        schema = self.schema(bericht_type)
        if schema.validate(tree):
            return []
        return [XsdFout(regel=e.line, element=_readable_path(e.path), melding=e.message) for e in schema.error_log]


_NS_IN_PATH = re.compile(r"\{[^}]*\}|[a-z0-9]+:")


def _readable_path(path: str | None) -> str:
    return _NS_IN_PATH.sub("", path or "") or "/"
