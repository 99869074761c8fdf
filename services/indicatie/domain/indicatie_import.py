"""Indicaties from a gemeente's own system (a file or the API): each record is read and checked on
juistheid (the shape of each field) here, then on zorgvorm, productcodes, contract and NAW by the
checks of every afgifte (`beschikking.afgifte_gebreken`, the one place for them). A record that
passes becomes a beschikking; one that does not is kept with its gebreken per field, for the
gemeente to correct and submit again.

A record is one product of one beschikking (one line of a CSV file, one object of a JSON file), with
its fields as text, just as they arrived: `VELDEN`. Idempotent: a record is known by its gemeente and
beschikkingnummer (`sleutel`; a record without a valid number by the hash of its fields), so importing
it again neither makes a second beschikking nor keeps a second afgewezen copy.

Pure: text in, a Beschikking or gebreken out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from indicatie.domain.beschikking import (
    Beschikking,
    BeschiktProduct,
    Gebrek,
    Omvang,
    Uitvoeringsvariant,
    Wet,
    is_beschikkingnummer,
)
from indicatie.domain.client import is_geldig_bsn, is_gemeentecode
from indicatie.domain.traject import is_agb
from runtime.errors import DomainError

VELDEN = (
    "bsn",
    "gemeentecode",
    "beschikkingnummer",
    "wet",
    "beschikkingsdatum",
    "productcategorie",
    "productcode",
    "ingangsdatum",
    "einddatum",
    "uitvoeringsvariant",
    "volume",
    "eenheid",
    "frequentie",
    "budget",
    "aanbieder",
)
VERPLICHT = ("bsn", "gemeentecode", "beschikkingnummer", "wet", "beschikkingsdatum", "productcategorie", "ingangsdatum", "uitvoeringsvariant")
MAX_VELD = 200
MAX_RECORDS = 10_000


@dataclass(frozen=True)
class IndicatieRecord:
    """One record as it arrived: `regel` is its line in the file (or its place in the batch), from 1."""

    regel: int
    velden: Mapping[str, str] = field(hash=False)

    @classmethod
    def van(cls, regel: int, velden: Mapping[str, object]) -> IndicatieRecord:
        onbekend = sorted(set(velden) - set(VELDEN))
        if onbekend:
            raise DomainError(f"record {regel}: unknown field(s) {', '.join(onbekend)}; the fields are {', '.join(VELDEN)}")
        return cls(regel, {v: ("" if velden.get(v) is None else str(velden.get(v))).strip() for v in VELDEN})

    def __getitem__(self, veld: str) -> str:
        return self.velden[veld]

    def sleutel(self) -> str:
        """What the record is known by within its gemeente: its beschikkingnummer, or the hash of its fields."""
        if is_beschikkingnummer(self["beschikkingnummer"]):
            return self["beschikkingnummer"]
        return "#" + hashlib.sha256(json.dumps(dict(self.velden), sort_keys=True).encode()).hexdigest()[:32]


def _datum(record: IndicatieRecord, veld: str, gebreken: list[Gebrek]) -> date | None:
    waarde = record[veld]
    if not waarde:
        return None
    try:
        if len(waarde) == 10:
            return date.fromisoformat(waarde)
    except ValueError:
        pass
    gebreken.append(Gebrek(veld, f"{veld} {waarde!r} is not a date (JJJJ-MM-DD)"))
    return None


def _geheel(record: IndicatieRecord, veld: str, gebreken: list[Gebrek]) -> int | None:
    waarde = record[veld]
    if not waarde:
        return None
    if not waarde.isdigit():
        gebreken.append(Gebrek(veld, f"{veld} {waarde!r} is not a whole number"))
        return None
    return int(waarde)


def lees(record: IndicatieRecord, gemeentecode: str, vandaag: date) -> tuple[Beschikking | None, list[Gebrek]]:
    """The beschikking the record describes, or the gebreken of its juistheid (per field)."""
    gebreken: list[Gebrek] = []
    for veld in VELDEN:
        if len(record[veld]) > MAX_VELD:
            gebreken.append(Gebrek(veld, f"{veld} is longer than {MAX_VELD} characters"))
    for veld in VERPLICHT:
        if not record[veld]:
            gebreken.append(Gebrek(veld, f"{veld} is required"))
    if gebreken:
        return None, gebreken
    if not is_gemeentecode(record["gemeentecode"]):
        gebreken.append(Gebrek("gemeentecode", f"gemeentecode {record['gemeentecode']!r} is not 4 digits"))
    elif record["gemeentecode"] != gemeentecode:
        gebreken.append(Gebrek("gemeentecode", f"gemeente {gemeentecode} imports its own indicaties, not those of gemeente {record['gemeentecode']}"))
    if not is_geldig_bsn(record["bsn"]):
        gebreken.append(Gebrek("bsn", f"BSN {record['bsn']!r} is not 9 digits passing the 11-proef"))
    if not is_beschikkingnummer(record["beschikkingnummer"]):
        gebreken.append(Gebrek("beschikkingnummer", f"beschikkingnummer {record['beschikkingnummer']!r} is not a number from 1 to 999999999"))
    wet = next((w for w in Wet if w.value == record["wet"].lower()), None)
    if wet is None:
        gebreken.append(Gebrek("wet", f"wet {record['wet']!r} is not one of {', '.join(w.value for w in Wet)}"))
    variant = next((v for v in Uitvoeringsvariant if v.value == record["uitvoeringsvariant"].lower()), None)
    if variant is None:
        gebreken.append(
            Gebrek("uitvoeringsvariant", f"uitvoeringsvariant (zorgvorm) {record['uitvoeringsvariant']!r} is not one of {', '.join(v.value for v in Uitvoeringsvariant)}")
        )
    beschikkingsdatum = _datum(record, "beschikkingsdatum", gebreken)
    if beschikkingsdatum is not None and beschikkingsdatum > vandaag:
        gebreken.append(Gebrek("beschikkingsdatum", f"beschikkingsdatum {beschikkingsdatum.isoformat()} lies in the future"))
    ingangsdatum = _datum(record, "ingangsdatum", gebreken)
    einddatum = _datum(record, "einddatum", gebreken)
    if ingangsdatum and einddatum and einddatum < ingangsdatum:
        gebreken.append(Gebrek("einddatum", f"einddatum {einddatum.isoformat()} lies before ingangsdatum {ingangsdatum.isoformat()}"))
    volume = _geheel(record, "volume", gebreken)
    budget = _geheel(record, "budget", gebreken)
    omvang = None
    if volume is not None or record["eenheid"] or record["frequentie"]:
        for veld in ("volume", "eenheid", "frequentie"):
            if not record[veld]:
                gebreken.append(Gebrek(veld, f"an omvang needs volume, eenheid and frequentie; {veld} is empty"))
        if volume is not None and not 1 <= volume <= 99_999_999:
            gebreken.append(Gebrek("volume", f"volume {volume} is not a whole number from 1 to 99999999"))
        if volume is not None and record["eenheid"] and record["frequentie"] and 1 <= volume <= 99_999_999:
            omvang = Omvang(volume, record["eenheid"], record["frequentie"])
    if record["aanbieder"] and not is_agb(record["aanbieder"]):
        gebreken.append(Gebrek("aanbieder", f"AGB code {record['aanbieder']!r} of the aanbieder is not 8 digits"))
    if gebreken:
        return None, gebreken
    assert wet is not None and variant is not None and ingangsdatum is not None and beschikkingsdatum is not None
    try:
        product = BeschiktProduct(
            categorie=record["productcategorie"],
            code=record["productcode"],
            ingangsdatum=ingangsdatum,
            einddatum=einddatum,
            uitvoeringsvariant=variant,
            omvang=omvang,
            budget_eurocent=budget,
            agb=record["aanbieder"] or None,
        )
        beschikking = Beschikking(
            beschikkingnummer=record["beschikkingnummer"],
            bsn=record["bsn"],
            gemeentecode=record["gemeentecode"],
            wet=wet,
            beschikkingsdatum=beschikkingsdatum,
            producten=(product,),
        )
    except DomainError as error:
        return None, [Gebrek(_veld_van(str(error)), str(error))]
    return beschikking, []


def _veld_van(reden: str) -> str:
    """The field a refusal of the product's shape is about (its message names it first)."""
    for veld in ("productcategorie", "productcode", "budget", "omvang", "einddatum"):
        if veld in reden:
            return "volume" if veld == "omvang" else veld
    return "productcode"
