"""A Taak has naam, soort, maker, party, einddatum and prioriteit; its status follows one table and
every change is kept in its history."""

from datetime import date, datetime, timezone

import pytest

from indicatie.domain.taak import ALLOWED_STATUS_CHANGES, Prioriteit, Taak, TaakStatus
from indicatie.domain.traject import Partij, PartijSoort
from runtime.errors import DomainError

VANDAAG = date(2026, 3, 2)
OP = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
AANBIEDER = Partij(PartijSoort.AANBIEDER, "98100001")


def taak(**changes):  # type: ignore[no-untyped-def]
    values = dict(
        traject_id="t1",
        naam="POP aanvullen met inzet",
        soort="POP aanvullen",
        aangemaakt_door="pa-nieuwegein",
        bestemd_voor=AANBIEDER,
        einddatum=date(2026, 3, 16),
        prioriteit=Prioriteit.HOOG,
    )
    return Taak.nieuw(VANDAAG, OP, **{**values, **changes})


def test_a_new_taak_is_open_with_its_creation_in_the_history():
    nieuw = taak()
    assert nieuw.status is TaakStatus.OPEN and nieuw.prioriteit is Prioriteit.HOOG
    assert [(w.door, w.veld, w.nieuw) for w in nieuw.geschiedenis] == [("pa-nieuwegein", "status", "open")]


@pytest.mark.parametrize(
    "changes, reason",
    [({"naam": ""}, "naam"), ({"soort": " "}, "soort"), ({"einddatum": date(2026, 3, 1)}, "in the past"), ({"aangemaakt_door": ""}, "aangemaakt_door")],
)
def test_a_bad_taak_is_refused_with_its_reason(changes, reason):
    with pytest.raises(DomainError, match=reason):
        taak(**changes)


def test_every_changed_field_is_recorded():
    later = datetime(2026, 3, 3, 10, 0, tzinfo=timezone.utc)
    gewijzigd = taak().wijzig("medewerker-de-lek", later, status=TaakStatus.IN_BEHANDELING, prioriteit=Prioriteit.HOOG, einddatum=date(2026, 3, 20))
    # prioriteit was already hoog: not a change
    assert [(w.veld, w.oud, w.nieuw) for w in gewijzigd.geschiedenis[1:]] == [
        ("status", "open", "in_behandeling"),
        ("einddatum", "2026-03-16", "2026-03-20"),
    ]
    assert {w.door for w in gewijzigd.geschiedenis[1:]} == {"medewerker-de-lek"}
    opnieuw = gewijzigd.wijzig("pa", later, bestemd_voor=Partij(PartijSoort.GEMEENTE, "0356", "pa"))
    assert (opnieuw.geschiedenis[-1].oud, opnieuw.geschiedenis[-1].nieuw) == ("aanbieder:98100001", "gemeente:0356:pa")


def test_status_follows_the_table():
    assert ALLOWED_STATUS_CHANGES[TaakStatus.VERVALLEN] == frozenset()
    afgerond = taak().wijzig("x", OP, status=TaakStatus.AFGEROND)
    assert afgerond.is_afgehandeld
    with pytest.raises(DomainError, match="afgerond to in_behandeling"):
        afgerond.wijzig("x", OP, status=TaakStatus.IN_BEHANDELING)
    heropend = afgerond.wijzig("x", OP, status=TaakStatus.OPEN)
    vervallen = heropend.wijzig("x", OP, status=TaakStatus.VERVALLEN)
    with pytest.raises(DomainError, match="vervallen: no more changes"):
        vervallen.wijzig("x", OP, omschrijving="toch")


def test_a_change_that_changes_nothing_is_refused():
    with pytest.raises(DomainError, match="nothing to change"):
        taak().wijzig("x", OP, prioriteit=Prioriteit.HOOG)
