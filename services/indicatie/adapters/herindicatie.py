"""The gemeente's list of producten that are the cliënt's own responsibility for herindicatie
(data/herindicatie_eigen_verantwoordelijkheid.csv: wet, productcategorie, productcode (empty: the
whole categorie), toelichting)."""

from __future__ import annotations

import csv
from pathlib import Path

from indicatie.domain.beschikking import Wet
from indicatie.domain.herindicatie import EigenVerantwoordelijkheid

LIJST = Path(__file__).resolve().parent.parent / "data" / "herindicatie_eigen_verantwoordelijkheid.csv"
KOLOMMEN = ["wet", "productcategorie", "productcode", "toelichting"]


def load_eigen_verantwoordelijkheid(bestand: Path = LIJST) -> tuple[EigenVerantwoordelijkheid, ...]:
    with bestand.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != KOLOMMEN:
            raise ValueError(f"{bestand}: the columns are {reader.fieldnames}, expected {KOLOMMEN}")
        try:
            return tuple(
                EigenVerantwoordelijkheid(Wet(r["wet"]), r["productcategorie"], r["productcode"], r["toelichting"]) for r in reader
            )
        except ValueError as error:
            raise ValueError(f"{bestand}, line {reader.line_num}: {error}") from error
