"""Reads the code lists from the data files under ``services/berichten/standaard/`` (see its README.md).

Nothing is read at import: ``load_codelijsten()`` reads the files each time it is called, so the caller (the
composition root) loads them once and keeps the result. The lists and the names they are known by:

- every list of the iJw 3.2 export ``codes-gebruikt-in-berichten.csv``, e.g. "WJ001: Retourcode", also known as
  "WJ001", "Retourcode" and by its XSD type "LDT_RetourCode". The export drops leading zeros (Eenheid "4",
  Retourcode "1"); each code is spelled as the enumeration of its type in the iJw 3.2 ``basisschema.xsd``
  ("04", "0001"), so lookups use the spelling of the messages. Which list belongs to which XSD type is data:
  ``ijw/3.2/codelijst-xsd-typen.csv``.
- "JZ21: Standaardproductcodelijst Jeugdwet" ("JZ21"): a Productcodelijst; the rows without a productcategorie
  (the headings such as 45A00) are left out.
- "CBS gemeentecodes" ("LDT_Gemeente"): ``gemeenten/gemeenten.csv``. Its einddatum is the date of the
  herindeling, the first day on which the code is no longer valid (the expiratiedatum of the Code).
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from berichten.codec.schemas import STANDAARD_DIR
from berichten.domain.codelijsten import Code, Codelijst, Codelijsten, Productcode, Productcodelijst

ISTANDAARD_CODES = Path("ijw/3.2/codelists/codes-gebruikt-in-berichten.csv")
XSD_TYPEN = Path("ijw/3.2/codelijst-xsd-typen.csv")
BASISSCHEMA = Path("ijw/3.2/xsd/basisschema.xsd")
JZ21 = Path("productcodes/jz21_standaardproductcodelijst_jeugdwet.json")
GEMEENTEN = Path("gemeenten/gemeenten.csv")

_XS = "{http://www.w3.org/2001/XMLSchema}"
_ISTANDAARD_KOLOMMEN = ["Codelijst", "Code", "Documentatie", "Mutatiedatum", "Mutatie", "Ingangsdatum", "Expiratiedatum"]
_GEMEENTEN_KOLOMMEN = ["gemeentecode", "naam", "ingangsdatum", "einddatum"]


def default_root() -> Path:
    return STANDAARD_DIR


def load_codelijsten(root: Path | None = None) -> Codelijsten:
    root = root or default_root()
    return Codelijsten.with_aliases([*_istandaard_codelijsten(root), _jz21(root), _gemeenten(root)])


def _istandaard_codelijsten(root: Path) -> list[tuple[Codelijst, tuple[str, ...]]]:
    xsd_typen = _xsd_typen(root / XSD_TYPEN)
    enumeraties = _xsd_enumeraties(root / BASISSCHEMA)
    per_lijst: dict[str, list[Code]] = {}
    bestand = root / ISTANDAARD_CODES
    for regel, rij in _csv_rijen(bestand, _ISTANDAARD_KOLOMMEN, encoding="utf-8-sig"):
        label = rij["Codelijst"].strip()
        codes = per_lijst.setdefault(label, [])
        if rij["Code"].strip() == label:  # each list opens with a row that repeats its name
            continue
        codes.append(
            Code(
                code=rij["Code"].strip(),
                omschrijving=rij["Documentatie"].strip(),
                ingangsdatum=_datum(rij["Ingangsdatum"], "%d-%m-%Y", bestand, regel),
                expiratiedatum=_datum(rij["Expiratiedatum"], "%d-%m-%Y", bestand, regel),
            )
        )

    lijsten = []
    for label, codes in per_lijst.items():
        lijst_id, _, naam = (deel.strip() for deel in label.partition(":"))
        if not naam:
            raise ValueError(f"{bestand}: codelijst {label!r} is not named like 'WJ001: Retourcode'")
        if lijst_id not in xsd_typen:
            raise ValueError(f"{bestand}: codelijst {lijst_id} has no row in {root / XSD_TYPEN}")
        xsd_type = xsd_typen[lijst_id]
        if xsd_type:
            if xsd_type not in enumeraties:
                raise ValueError(f"{root / BASISSCHEMA} has no enumerated type {xsd_type} (for codelijst {lijst_id})")
            spelling = _spelling(xsd_type, enumeraties[xsd_type])
            codes = [_in_xsd_spelling(code, spelling, xsd_type, lijst_id) for code in codes]
        namen = (lijst_id, naam, xsd_type) if xsd_type else (lijst_id, naam)
        lijsten.append((Codelijst(label, codes), namen))
    return lijsten


def _spelling(xsd_type: str, enumeratie: tuple[str, ...]) -> dict[str, str]:
    """The XSD's spelling of each value, by the value without leading zeros."""
    spelling: dict[str, str] = {}
    for waarde in enumeratie:
        if spelling.setdefault(_zonder_voorloopnullen(waarde), waarde) != waarde:
            raise ValueError(f"{xsd_type} has two values that differ only in leading zeros: {waarde!r}")
    return spelling


def _in_xsd_spelling(code: Code, spelling: dict[str, str], xsd_type: str, lijst_id: str) -> Code:
    try:
        waarde = spelling[_zonder_voorloopnullen(code.code)]
    except KeyError:
        raise ValueError(f"codelijst {lijst_id}: code {code.code!r} is not a value of {xsd_type}") from None
    return Code(waarde, code.omschrijving, code.ingangsdatum, code.expiratiedatum)


def _zonder_voorloopnullen(code: str) -> str:
    return (code.lstrip("0") or "0") if code.isdigit() else code


def _xsd_typen(bestand: Path) -> dict[str, str]:
    return {rij["codelijst"].strip(): rij["xsd_type"].strip() for _, rij in _csv_rijen(bestand, ["codelijst", "xsd_type"])}


def _xsd_enumeraties(bestand: Path) -> dict[str, tuple[str, ...]]:
    schema = ElementTree.parse(bestand).getroot()
    enumeraties = {}
    for simple_type in schema.iter(f"{_XS}simpleType"):
        waarden = tuple(e.attrib["value"] for e in simple_type.iter(f"{_XS}enumeration"))
        if waarden and simple_type.get("name"):
            enumeraties[simple_type.attrib["name"]] = waarden
    return enumeraties


def _jz21(root: Path) -> tuple[Codelijst, tuple[str, ...]]:
    bestand = root / JZ21
    with bestand.open(encoding="utf-8") as f:
        producten = json.load(f)["products"]
    productcodes = [
        Productcode(
            code=product["productcode"],
            omschrijving=product["omschrijving"],
            categorie=product["productcategorie_code"],
            uitvoeringsvariant=(product["uitvoeringsvariant"] or "").lower() or None,
        )
        for product in producten
        if product["productcategorie_code"] != "-"  # a heading (e.g. 45A00), not a product
    ]
    return Productcodelijst("JZ21: Standaardproductcodelijst Jeugdwet", productcodes), ("JZ21",)


def _gemeenten(root: Path) -> tuple[Codelijst, tuple[str, ...]]:
    bestand = root / GEMEENTEN
    codes = []
    for regel, rij in _csv_rijen(bestand, _GEMEENTEN_KOLOMMEN):
        gemeentecode = rij["gemeentecode"].strip()
        if not (len(gemeentecode) == 4 and gemeentecode.isdigit()):
            raise ValueError(f"{bestand}:{regel}: gemeentecode {gemeentecode!r} is not 4 digits")
        codes.append(
            Code(
                code=gemeentecode,
                omschrijving=rij["naam"].strip(),
                ingangsdatum=_datum(rij["ingangsdatum"], "%Y-%m-%d", bestand, regel),
                expiratiedatum=_datum(rij["einddatum"], "%Y-%m-%d", bestand, regel),
            )
        )
    return Codelijst("CBS gemeentecodes", codes), ("LDT_Gemeente",)


def _csv_rijen(bestand: Path, kolommen: list[str], encoding: str = "utf-8") -> Iterator[tuple[int, dict[str, str]]]:
    """The rows with their line number; refuses a file whose header is not ``kolommen``."""
    with bestand.open(encoding=encoding, newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != kolommen:
            raise ValueError(f"{bestand}: expected the columns {kolommen}, found {reader.fieldnames}")
        for rij in reader:
            if None in rij or None in rij.values():
                raise ValueError(f"{bestand}:{reader.line_num}: expected {len(kolommen)} columns")
            yield reader.line_num, rij


def _datum(tekst: str, formaat: str, bestand: Path, regel: int) -> date | None:
    tekst = tekst.strip()
    if not tekst:
        return None
    try:
        return datetime.strptime(tekst, formaat).date()
    except ValueError:
        raise ValueError(f"{bestand}:{regel}: {tekst!r} is not a date in the form {formaat}") from None
