"""Reads the official rule export (titles, retourcodes, controleniveaus) from the standaard/ folder."""

from __future__ import annotations

import csv
from pathlib import Path

from berichten.codec.schemas import STANDAARD_DIR
from berichten.domain.regels.catalogus import Controleniveau, RegelInfo

_NIVEAU = {
    "berichtformaat (xsd)": Controleniveau.BERICHTFORMAAT,
    "bericht inhoud (xslt)": Controleniveau.BERICHTINHOUD,
    "berichtoverstijgend": Controleniveau.BERICHTOVERSTIJGEND,
    "externe bron": Controleniveau.EXTERNE_BRON,
}


def load_regelinfo(path: Path | None = None) -> dict[str, RegelInfo]:
    path = path or STANDAARD_DIR / "ijw" / "3.2" / "rules" / "regels-ijw-3.2.csv"
    info = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["Regelcode"].strip()
            if not code:
                continue
            info[code] = RegelInfo(
                code=code,
                titel=row["Titel"].strip(),
                retourcode=row["Retourcode"].strip(),
                niveau=_NIVEAU.get(row["Controleniveau"].strip()),
            )
    return info
