"""A Taak has naam, soort, maker, party, einddatum and prioriteit; its status follows one table and
every change is kept in its history."""

from datetime import date, datetime, timezone

import pytest

from indicatie.domain.taak import ALLOWED_STATUS_CHANGES, Prioriteit, Taak, TaakStatus, open_taken_vervallen, vereis_lopend_traject
from indicatie.domain.traject import Partij, PartijSoort, Samenwerkingstraject, TrajectStatus
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


def traject() -> Samenwerkingstraject:
    return Samenwerkingstraject.uit_melding("0356-2026-00001", "Ondersteuning thuis", "0356", "999900006", "pa", date(2026, 3, 1), VANDAAG)


@pytest.mark.parametrize("status", [TrajectStatus.AFGESLOTEN, TrajectStatus.GESTOPT])
def test_no_taak_is_made_or_changed_in_a_closed_traject(status):
    lopend = traject()
    vereis_lopend_traject(lopend, "made")  # a lopend traject: no refusal
    gesloten = lopend.naar(status, VANDAAG)
    with pytest.raises(DomainError, match=f"^samenwerkingstraject 0356-2026-00001 is {status}: no taak can be made in it any more$"):
        vereis_lopend_traject(gesloten, "made")
    with pytest.raises(DomainError, match=f"^samenwerkingstraject 0356-2026-00001 is {status}: no taak can be changed in it any more$"):
        vereis_lopend_traject(gesloten, "changed")


@pytest.mark.parametrize("status", [TrajectStatus.AFGESLOTEN, TrajectStatus.GESTOPT])
def test_closing_the_traject_makes_its_open_taken_vervallen_with_day_reason_and_history(status):
    lopend = traject()
    open_ = taak(traject_id=lopend.id)
    bezig = taak(traject_id=lopend.id).wijzig("medewerker-de-lek", OP, status=TaakStatus.IN_BEHANDELING)
    klaar = taak(traject_id=lopend.id).wijzig("medewerker-de-lek", OP, status=TaakStatus.AFGEROND)
    al_vervallen = taak(traject_id=lopend.id).wijzig("pa", OP, status=TaakStatus.VERVALLEN)
    gesloten_om = datetime(2026, 3, 9, 16, 30, tzinfo=timezone.utc)

    vervallen = open_taken_vervallen(lopend.naar(status, date(2026, 3, 9)), [open_, bezig, klaar, al_vervallen], "pa-nieuwegein", gesloten_om)

    assert [t.id for t in vervallen] == [open_.id, bezig.id]  # afgerond and vervallen ones stay as they were
    reden = f"samenwerkingstraject {status}"
    assert {(t.status, t.vervallen_op, t.vervallen_reden) for t in vervallen} == {(TaakStatus.VERVALLEN, date(2026, 3, 9), reden)}
    assert [(w.op, w.door, w.veld, w.oud, w.nieuw) for w in (vervallen[0].geschiedenis[-1], vervallen[1].geschiedenis[-1])] == [
        (gesloten_om, "pa-nieuwegein", "status", "open", "vervallen"),
        (gesloten_om, "pa-nieuwegein", "status", "in_behandeling", "vervallen"),
    ]
    assert vervallen[1].geschiedenis[:-1] == bezig.geschiedenis  # the earlier history is kept
    with pytest.raises(DomainError, match="vervallen: no more changes"):
        vervallen[0].wijzig("x", OP, status=TaakStatus.OPEN)
    with pytest.raises(DomainError, match="lopend: its taken vervallen only when it is closed"):
        open_taken_vervallen(lopend, [open_], "pa-nieuwegein", gesloten_om)


def test_a_taak_vervalt_from_open_or_in_behandeling_and_with_a_reden():
    with pytest.raises(DomainError, match="with a reden"):
        taak().vervall("pa", OP, " ")
    afgerond = taak().wijzig("x", OP, status=TaakStatus.AFGEROND)
    with pytest.raises(DomainError, match="afgerond to vervallen"):
        afgerond.vervall("pa", OP, "samenwerkingstraject gestopt")
