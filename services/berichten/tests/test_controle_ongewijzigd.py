"""The fast check path gives the same outcome as before, message for message.

Every official example, and every variant of it changed in one place (each date moved far into the
future or the past, each Bsn broken, each DebetCredit flipped, each number set to 0, each leaf
element left out, each list item repeated), is checked at levels 1–4 and answered. The outcome —
XSD errors, findings (rule, retourcode, level, location, class, melding), the typed message and the
retourbericht or 325 the hub would send — is compared with `data/controle_ongewijzigd.json`,
recorded with the implementation before the fast path (commit 4cc3203: the generic mapper and rules
on a separate walk of the typed model), and re-recorded once since, when the level-2 rules stopped running
on retourberichten (one variant changed: the JW316 with a Bsn failing the 11-proef, no longer CS002).
Re-record it only when a change of outcome is intended:
`.venv/bin/python -m berichten.tests.test_controle_ongewijzigd`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from berichten.codec.schemas import OnbekendBericht
from berichten.codec.xml import XmlError
from berichten.controle import NIVEAUS_HUB, Controleur
from berichten.domain.regels.regel import Index

from .conftest import EXAMPLES

VANDAAG = date(2026, 11, 23)
GOLDEN = Path(__file__).parent / "data" / "controle_ongewijzigd.json"
_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")
_GETAL = re.compile(r"\d+")


def _varianten(naam: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The example itself and its one-place changes, each named by what was changed where."""
    yield naam, data
    root = etree.fromstring(data)
    tree = root.getroottree()
    alle = list(root.iter())
    leaves = [e for e in alle if isinstance(e.tag, str) and len(e) == 0]

    def changed(element: etree._Element, how: str, change) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
        copy_root = copy.deepcopy(root)
        target = list(copy_root.iter())[alle.index(element)]
        change(target)
        return f"{naam} {tree.getpath(element)} {how}", etree.tostring(copy_root, xml_declaration=True, encoding="UTF-8")

    def set_text(value: str):  # type: ignore[no-untyped-def]
        def change(e: etree._Element) -> None:
            e.text = value

        return change

    for leaf in leaves:
        local = etree.QName(leaf).localname
        text = (leaf.text or "").strip()
        if _DATUM.fullmatch(text):
            yield changed(leaf, "2099-12-31", set_text("2099-12-31"))
            yield changed(leaf, "1899-01-01", set_text("1899-01-01"))
        elif local == "Bsn":
            yield changed(leaf, "bsn", set_text("999900007"))
        elif local == "DebetCredit":
            yield changed(leaf, "flip", set_text("C" if text == "D" else "D"))
        elif _GETAL.fullmatch(text):
            yield changed(leaf, "0", set_text("0"))
        yield changed(leaf, "weg", lambda e: e.getparent().remove(e))
    for element in root.iter():
        parent = element.getparent()
        if isinstance(element.tag, str) and len(element) and parent is not None and parent.getparent() is not None:
            if etree.QName(parent).localname.endswith(("en", "s")):  # an item of a list (Prestaties, Relaties …)
                yield changed(element, "dubbel", lambda e: e.addnext(copy.deepcopy(e)))


def gevallen() -> list[tuple[str, bytes]]:
    return [case for path in EXAMPLES for case in _varianten(path.stem, path.read_bytes())]


def _hash(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


def uitkomst(controleur: Controleur, data: bytes) -> dict:
    """Everything the check and the answer produce for one message, as JSON-able data."""
    try:
        niveau_2 = controleur.controleer(data, VANDAAG)
        hub = controleur.controleer(data, VANDAAG, NIVEAUS_HUB)
    except (XmlError, OnbekendBericht) as exc:
        return {"fout": str(exc.reden)}
    result: dict = {
        "xsd": _hash([[f.regel, f.element, f.melding] for f in hub.decoded.xsd_fouten]) if hub.decoded.xsd_fouten else None,
        "niveau_2": [[b.regel, b.retourcode, int(b.niveau), b.locatie, b.klasse, b.melding] for b in niveau_2.bevindingen],
        "hub": [[b.regel, b.retourcode, int(b.niveau), b.locatie, b.klasse, b.melding] for b in hub.bevindingen],
    }
    if hub.decoded.xsd_valid:
        result["bericht"] = _hash(repr(hub.decoded.bericht))
        if controleur.beantwoordbaar(hub.bericht_type):
            antwoord = controleur.antwoord(hub, "R00000000001", VANDAAG)
            result["antwoord"] = hashlib.sha256(controleur.codec.encode(antwoord)).hexdigest()[:16]
    return result


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def controleur() -> Controleur:
    return Controleur()


def test_the_cases_are_the_recorded_ones(golden):
    assert [naam for naam, _ in gevallen()] == list(golden)


@pytest.mark.parametrize("voorbeeld", [p.stem for p in EXAMPLES])
def test_outcome_is_unchanged_for_every_variant(golden, controleur, voorbeeld):
    verschillen = []
    for naam, data in _varianten(voorbeeld, (next(p for p in EXAMPLES if p.stem == voorbeeld)).read_bytes()):
        nu = uitkomst(controleur, data)
        if nu != golden[naam]:
            verschillen.append((naam, golden[naam], nu))
    assert verschillen == []


@pytest.mark.parametrize("voorbeeld", [p.stem for p in EXAMPLES])
def test_the_index_made_while_decoding_is_the_walk_of_the_typed_message(controleur, voorbeeld):
    """The rules' index comes out of the decoder (one pass); it must be what Index(bericht) finds."""

    def rows(index: Index) -> list[tuple]:
        return [(n.volgnummer, n.pad, n.klasse, type(n.obj).__name__, id(n.obj)) for n in index.knopen]

    compared = 0
    for _, data in _varianten(voorbeeld, next(p for p in EXAMPLES if p.stem == voorbeeld).read_bytes()):
        try:
            decoded = controleur.codec.decode(data, met_index=True)
        except (XmlError, OnbekendBericht):
            continue
        if decoded.bericht is None:
            assert decoded.index is None
            continue
        walked = Index(decoded.bericht)
        assert decoded.index.bericht is decoded.bericht and rows(decoded.index) == rows(walked)
        assert {t: [n.volgnummer for n in ns] for t, ns in decoded.index.per_type.items()} == {
            t: [n.volgnummer for n in ns] for t, ns in walked.per_type.items()
        }
        compared += 1
    assert compared > 0


def test_the_variants_reach_every_outcome():
    """The variants are not all alike: XSD-invalid ones, rule findings at level 2 and above, answers."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    values = list(golden.values())
    assert any(v.get("xsd") for v in values) and any(v.get("niveau_2") for v in values)
    assert any(v.get("hub") and not v.get("niveau_2") for v in values) and sum("antwoord" in v for v in values) > 100


def main() -> None:
    controleur = Controleur()
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps({naam: uitkomst(controleur, data) for naam, data in gevallen()}, ensure_ascii=False, indent=0, separators=(',', ':')), encoding="utf-8")


if __name__ == "__main__":
    main()
