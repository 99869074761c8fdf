"""The portal shows every refusal of the indicatie service's secure workspace in Dutch.

Pure: the refusals are read from the service's own source (each `DomainError(...)` raised by the
workspace's commands, its servicer and its domain), filled in with sample values, and each must find
its Dutch words in `edge.portal.weigeringen` — so a new refusal without Dutch words fails here.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from edge.portal.weigeringen import ONBEKEND, in_het_nederlands
from indicatie.domain.pop import Pop, PopStatus
from indicatie.domain.taak import Taak
from runtime.errors import DomainError

INDICATIE = Path(__file__).parents[1] / "services" / "indicatie"
BRONNEN = ("trajecten.py", "traject_servicer.py", "domain/traject.py", "domain/taak.py", "domain/pop.py", "domain/evaluatie.py")


def _voorbeelden(node: ast.expr) -> list[str]:
    """The messages an argument of DomainError can make, each placeholder filled with '1'."""
    if isinstance(node, ast.IfExp):
        return _voorbeelden(node.body) + _voorbeelden(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        delen = []
        for deel in node.values:
            if isinstance(deel, ast.Constant):
                delen.append(str(deel.value))
            else:
                delen.append("'1'" if getattr(deel, "conversion", -1) == ord("r") else "1")
        return ["".join(delen)]
    raise AssertionError(f"a refusal built in a way this test does not read: {ast.dump(node)}")


def weigeringen() -> list[tuple[str, str]]:
    gevonden = []
    for bron in BRONNEN:
        for node in ast.walk(ast.parse((INDICATIE / bron).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "DomainError" and node.args:
                gevonden += [(f"{bron}:{node.lineno}", tekst) for tekst in _voorbeelden(node.args[0])]
    return gevonden


def test_the_source_has_the_workspaces_refusals():
    assert len(weigeringen()) > 40


@pytest.mark.parametrize(("waar", "melding"), weigeringen())
def test_every_refusal_of_the_workspace_has_dutch_words(waar: str, melding: str):
    assert not in_het_nederlands(melding).startswith(ONBEKEND), f"{waar}: {melding!r} has no Dutch words in edge/portal/weigeringen.py"


def test_dates_and_states_read_as_words():
    with pytest.raises(DomainError) as refused:
        Pop(traject_id="t", opgesteld_door="x", termijn_start=date(2026, 11, 2), status=PopStatus.BIJ_AANBIEDER).besluit(True, date(2026, 11, 3), "")
    assert in_het_nederlands(str(refused.value)) == "Het POP kan niet van bij aanbieder naar toegekend."
    assert in_het_nederlands("einddatum 2026-11-02 of a new taak lies in the past") == "De einddatum 02-11-2026 van een nieuwe taak ligt in het verleden."
    assert in_het_nederlands("beschikking_einddatum is required") == "Vul de einddatum van de beschikking in."
    assert in_het_nederlands("einddatum '2026-13-01' is not a date (YYYY-MM-DD)") == "De einddatum: '2026-13-01' is geen datum (jjjj-mm-dd)."
    with pytest.raises(DomainError) as refused:
        Taak(traject_id="t", naam=" ", soort="Overleg", aangemaakt_door="x", bestemd_voor=None, einddatum=None)  # type: ignore[arg-type]
    assert in_het_nederlands(str(refused.value)) == "Vul de naam van de taak in."
    for handeling, woord in (("made", "aangemaakt"), ("changed", "gewijzigd")):
        assert (
            in_het_nederlands(f"samenwerkingstraject 0356-2026-00001 is afgesloten: no taak can be {handeling} in it any more")
            == f"Samenwerkingstraject 0356-2026-00001 is afgesloten: er kan geen taak meer worden {woord}."
        )


def test_an_unknown_refusal_is_still_shown():
    assert in_het_nederlands("something new went wrong") == ONBEKEND + "something new went wrong"
