"""`zorgketen berichten check FILE...` and `zorgketen berichten retour FILE`: levels 1 and 2 without a server.

`check` prints one JSON object per file and exits 0 when every file is accepted, 1 otherwise.
`retour` prints the retourbericht (or 325) the hub would send, judged on levels 1 and 2 and the
hub's stateless level-3/4 rules (TR135, TR378); TR056 needs the hub's memory and is not checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from berichten.codec.schemas import OnbekendBericht
from berichten.codec.xml import XmlError
from berichten.controle import NIVEAUS_HUB, Controleur, afgeleide_identificatie


def _check(controleur: Controleur, path: Path, vandaag: date) -> dict[str, Any]:
    result: dict[str, Any] = {"file": str(path), "berichtcode": None, "standaard": None, "xsd_valid": False, "xsd_errors": [], "findings": []}
    try:
        uitslag = controleur.controleer(path.read_bytes(), vandaag)
    except (XmlError, OnbekendBericht) as exc:
        result["error"] = {"reden": str(exc.reden), "melding": str(exc)}
        return result
    except OSError as exc:
        result["error"] = {"reden": "onleesbaar", "melding": str(exc)}
        return result
    result.update(
        berichtcode=uitslag.bericht_type.berichtcode,
        standaard=str(uitslag.bericht_type.standaard),
        bericht=uitslag.bericht_type.naam,
        xsd_valid=uitslag.decoded.xsd_valid,
        xsd_errors=[{"regel": f.regel, "element": f.element, "melding": f.melding} for f in uitslag.decoded.xsd_fouten],
        findings=[{"regel": b.regel, "retourcode": b.retourcode, "locatie": b.locatie, "melding": b.melding} for b in uitslag.bevindingen],
    )
    result["geaccepteerd"] = uitslag.geaccepteerd
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zorgketen berichten", description="Check iWmo / iJw 3.2 messages without a server.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="levels 1 and 2; one JSON object per file")
    check.add_argument("files", nargs="+", type=Path)
    retour = commands.add_parser("retour", help="print the retourbericht (or 325) the hub would send")
    retour.add_argument("file", type=Path)
    for command in (check, retour):
        command.add_argument("--vandaag", type=date.fromisoformat, default=date.today(), help="the date to judge on (default: today)")
    args = parser.parse_args(argv)
    controleur = Controleur()

    if args.command == "check":
        results = [_check(controleur, path, args.vandaag) for path in args.files]
        for result in results:
            print(json.dumps(result, ensure_ascii=False))
        return 0 if all(r.get("geaccepteerd") for r in results) else 1

    data = args.file.read_bytes()
    try:
        uitslag = controleur.controleer(data, args.vandaag, NIVEAUS_HUB)
    except (XmlError, OnbekendBericht) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    if not uitslag.decoded.xsd_valid:
        for fout in uitslag.decoded.xsd_fouten:
            print(f"{args.file}: {fout}", file=sys.stderr)
        print(f"{args.file}: XSD-ongeldig bericht: geen retourbericht (controleniveau 1)", file=sys.stderr)
        return 1
    try:
        antwoord = controleur.antwoord(uitslag, afgeleide_identificatie(data), args.vandaag)
    except ValueError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(controleur.codec.encode(antwoord).decode())
    return 0
