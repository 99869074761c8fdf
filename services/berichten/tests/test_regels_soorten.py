"""Which berichtsoorten a rule applies to is declared once, on its `Regel`, and `Regelset` runs a rule only
on those: a rule declared for the 301 is not run on a 323 and the other way round. The declarations are the
ones the official per-element export names (regels-per-data-element.csv)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

import pytest

from berichten.adapters.regels import load_regelinfo
from berichten.codec.schemas import STANDAARD_DIR
from berichten.controle import NIVEAU_2, NIVEAUS_HUB, Controleur
from berichten.domain import regels
from berichten.domain.berichtsoorten import BERICHTSOORTEN
from berichten.domain.model import Bericht, DeclaratieClient, Prestatie
from berichten.domain.regels.catalogus import Regelset
from berichten.domain.regels.regel import Context, Fout, Regel, geindexeerd, of_type

from .conftest import example

VANDAAG = date(2026, 11, 23)
ALLE_REGELS = (*regels.BERICHTINHOUD, *regels.HUB)


class Spion:
    """A check that records the berichtsoort of every message it is run on and always finds something."""

    def __init__(self) -> None:
        self.gedraaid_op: list[str] = []

    def __call__(self, bericht: Bericht, context: Context) -> Iterator[Fout]:
        self.gedraaid_op.append(context.soort)
        yield Fout("/Bericht/Header", "/Bericht/Header", f"gevonden in een {context.soort}")


@pytest.fixture(scope="module")
def controleur() -> Controleur:
    return Controleur()


def _controleer(regelset: Regelset, controleur: Controleur, naam: str) -> list[str]:
    decoded = controleur.codec.decode(example(naam), met_index=True)
    context = controleur.context(decoded.bericht_type, VANDAAG)
    return [b.regel for b in regelset.controleer(decoded.bericht, context, NIVEAU_2, decoded.index)]


def test_a_rule_declared_for_the_301_does_not_run_on_a_323_and_vice_versa(controleur):
    voor_301, voor_323 = Spion(), Spion()
    regelset = Regelset(
        (Regel("CD005", voor_301, soorten=("301",)), Regel("CD087", voor_323, soorten=("323",))), load_regelinfo()
    )

    assert _controleer(regelset, controleur, "JW301") == ["CD005"]
    assert _controleer(regelset, controleur, "JW323") == ["CD087"]
    assert _controleer(regelset, controleur, "WMO323") == ["CD087"]
    assert _controleer(regelset, controleur, "JW302") == []  # the retour of the 301 is another berichtsoort

    assert voor_301.gedraaid_op == ["301"]
    assert voor_323.gedraaid_op == ["323", "323"]


def test_a_rule_called_on_a_message_of_another_berichtsoort_finds_nothing_and_does_not_run():
    spion = Spion()
    regel = Regel("CD005", spion, soorten=("301",))
    bericht = object()  # never looked at: the rule does not run
    assert regel(bericht, Context(standaard="ijw", soort="323", vandaag=VANDAAG)) == []  # type: ignore[arg-type]
    assert spion.gedraaid_op == []
    assert len(regel(bericht, Context(standaard="ijw", soort="301", vandaag=VANDAAG))) == 1  # type: ignore[arg-type]


def test_the_official_rules_are_planned_for_exactly_their_declared_berichtsoorten(controleur):
    regelset = controleur.regelset
    for soort in BERICHTSOORTEN:
        gepland = [regel.code for regel, _, _ in regelset.te_draaien(NIVEAU_2, soort)]
        verwacht = [r.code for r in regels.BERICHTINHOUD if r.soorten is None or soort in r.soorten]
        assert gepland == verwacht, soort
    op_323 = {regel.code for regel, _, _ in regelset.te_draaien(NIVEAU_2, "323")}
    op_301 = {regel.code for regel, _, _ in regelset.te_draaien(NIVEAU_2, "301")}
    assert {"CD087", "TR358", "CS337"} <= op_323 and not {"CD087", "TR358", "CS337"} & op_301
    assert {"CD005", "TR006", "CS089"} <= op_301 and not {"CD005", "TR006", "CS089"} & op_323
    # the hub's own rules run on every berichtsoort
    assert {"TR056", "TR135", "TR378"} <= {regel.code for regel, _, _ in regelset.te_draaien(NIVEAUS_HUB, "320")}


def _export() -> dict[str, set[str]]:
    """Regelcode -> the berichtsoorten the official per-element export places it in (JW301 -> "301")."""
    plaatsen: dict[str, set[str]] = defaultdict(set)
    with open(STANDAARD_DIR / "ijw" / "3.2" / "rules" / "regels-per-data-element.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            bericht = row["Bericht"].strip()
            if bericht.startswith("JW") and bericht[2:].isdigit():
                plaatsen[row["Regelcode"].strip()].add(bericht[2:])
    return plaatsen


def test_every_rule_is_declared_for_the_berichtsoorten_the_export_names_for_it():
    """The export names heenberichten (and the 325); a retour repeats its heenbericht's classes, so a retour
    a rule is declared for counts as its heenbericht. Every rule here is in the export."""
    export = _export()
    for regel in ALLE_REGELS:
        assert regel.code in export, regel.code
        gedeclareerd = regel.soorten if regel.soorten is not None else tuple(BERICHTSOORTEN)
        assert set(gedeclareerd) <= set(BERICHTSOORTEN), regel.code
        als_heenbericht = {BERICHTSOORTEN[soort].retour_op or soort for soort in gedeclareerd}
        assert als_heenbericht == export[regel.code], regel.code


def test_no_level_2_rule_runs_on_a_retourbericht():
    """For "JW Retour" the export names only the header's RS rules (the XSD checks those), so a retour that
    repeats a Client with a Bsn failing the 11-proef (CS002), a product without Omvang (CD041) or a StopProduct
    ending before it begins (TR018) is still taken: it is the other party's answer, and it gets none itself."""
    assert all(regel.soorten is not None for regel in regels.BERICHTINHOUD)
    op_retour = {regel.code for regel in regels.BERICHTINHOUD if any(BERICHTSOORTEN[s].retour_op for s in regel.soorten)}
    assert op_retour == set()


def test_a_retour_repeating_a_bsn_that_fails_the_11_proef_is_accepted_and_its_heenbericht_is_not(controleur):
    heen, retour = (example(naam).replace(b"Bsn>999900006<", b"Bsn>999900007<") for naam in ("JW315", "JW316"))
    assert b"Bsn>999900007<" in heen and b"Bsn>999900007<" in retour  # 999900007 fails the 11-proef
    assert [b.regel for b in controleur.controleer(heen, VANDAAG).bevindingen] == ["CS002"]
    uitslag = controleur.controleer(retour, VANDAAG)
    assert uitslag.decoded.xsd_valid and uitslag.bevindingen == []


def test_of_type_answers_for_the_message_asked_about_even_inside_another_messages_block(controleur):
    """of_type keeps its answers for the message of the `geindexeerd` block; another message gets its own."""
    jw323 = controleur.codec.decode(example("JW323"), met_index=True)
    wmo323 = controleur.codec.decode(example("WMO323"), met_index=True)
    with geindexeerd(jw323.bericht, jw323.index):
        eerst = [node.obj for node in of_type(jw323.bericht, Prestatie, DeclaratieClient)]
        ander = [node.obj for node in of_type(wmo323.bericht, Prestatie, DeclaratieClient)]
        opnieuw = [node.obj for node in of_type(jw323.bericht, Prestatie, DeclaratieClient)]
    assert eerst == opnieuw == [n.obj for n in jw323.index.knopen if isinstance(n.obj, (Prestatie, DeclaratieClient))]
    assert ander == [n.obj for n in wmo323.index.knopen if isinstance(n.obj, (Prestatie, DeclaratieClient))]
    assert all(a is not b for a, b in zip(eerst, ander)) and len(eerst) > 2 and len(ander) > 2
