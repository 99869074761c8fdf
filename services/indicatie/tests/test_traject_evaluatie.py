"""Evaluaties: regular ones no later than 8 weeks before the beschikking ends (on a werkdag, moving
earlier), none for the cliënt's own responsibility, interim ones at the wijkteam's request; every doel
of the traject gets its mate of realisatie; only in a lopend traject, and closing the traject makes
those still gepland vervallen with the reason."""

from datetime import date

import pytest

from indicatie.domain.evaluatie import (
    Advies,
    Doelrealisatie,
    Evaluatie,
    EvaluatieStatus,
    Mate,
    uiterste_evaluatiedatum,
    vereis_lopend_traject,
    vervallen_bij_sluiten,
)
from indicatie.domain.traject import Doel, Samenwerkingstraject, TrajectStatus
from runtime.errors import DomainError

DOELEN = (Doel("Zelfstandig boodschappen doen"), Doel("Administratie op orde"))
VANDAAG = date(2026, 10, 1)


def test_regular_evaluatie_is_due_eight_weeks_before_the_beschikking_ends():
    assert uiterste_evaluatiedatum(date(2026, 12, 31)) == date(2026, 11, 5)  # Thursday
    # 8 weeks before Sunday 28 February 2027 is Sunday 3 January: due the werkdag before (1 January is Nieuwjaarsdag)
    assert uiterste_evaluatiedatum(date(2027, 2, 28)) == date(2026, 12, 31)
    evaluatie = Evaluatie.regulier("t1", "medewerker-de-lek", date(2026, 12, 31), eigen_verantwoordelijkheid=False)
    assert (evaluatie.uiterste_datum, evaluatie.status) == (date(2026, 11, 5), EvaluatieStatus.GEPLAND)


def test_own_responsibility_for_herindicatie_gets_no_evaluatie():
    with pytest.raises(DomainError, match="own responsibility for herindicatie"):
        Evaluatie.regulier("t1", "x", date(2026, 12, 31), eigen_verantwoordelijkheid=True)


def test_the_wijkteam_asks_an_interim_evaluatie_with_a_reason_and_a_date():
    tussentijds = Evaluatie.tussentijds("t1", "wijkteam", "signaal van huisarts", date(2026, 10, 15), VANDAAG)
    assert tussentijds.uiterste_datum == date(2026, 10, 15)
    with pytest.raises(DomainError, match="reason"):
        Evaluatie.tussentijds("t1", "wijkteam", " ", date(2026, 10, 15), VANDAAG)
    with pytest.raises(DomainError, match="past"):
        Evaluatie.tussentijds("t1", "wijkteam", "r", date(2026, 9, 30), VANDAAG)


def realisatie(*doelen: str) -> tuple[Doelrealisatie, ...]:
    return tuple(Doelrealisatie(d, Mate.DEELS_BEHAALD) for d in doelen)


def test_an_evaluatie_records_every_doel_and_an_advies():
    gepland = Evaluatie.regulier("t1", "x", date(2026, 12, 31), False)
    gedaan = gepland.leg_vast(VANDAAG, realisatie("Zelfstandig boodschappen doen", "Administratie op orde"), Advies.VOORTZETTEN, "", DOELEN, VANDAAG)
    assert gedaan.status is EvaluatieStatus.UITGEVOERD and gedaan.advies is Advies.VOORTZETTEN
    with pytest.raises(DomainError, match="uitgevoerd to uitgevoerd"):
        gedaan.leg_vast(VANDAAG, realisatie("Administratie op orde"), Advies.VOORTZETTEN, "", DOELEN, VANDAAG)


@pytest.mark.parametrize(
    "doelen, reason",
    [
        (("Administratie op orde",), "missing: Zelfstandig boodschappen doen"),
        (("Administratie op orde", "Zelfstandig boodschappen doen", "Vliegen"), "not a doel of this traject: Vliegen"),
        (("Administratie op orde", "Administratie op orde", "Zelfstandig boodschappen doen"), "twice"),
    ],
)
def test_doelrealisatie_must_match_the_doelen(doelen, reason):
    gepland = Evaluatie.regulier("t1", "x", date(2026, 12, 31), False)
    with pytest.raises(DomainError, match=reason):
        gepland.leg_vast(VANDAAG, realisatie(*doelen), Advies.AANPASSEN, "", DOELEN, VANDAAG)


def test_a_traject_without_doelen_or_a_future_date_cannot_be_evaluated():
    gepland = Evaluatie.regulier("t1", "x", date(2026, 12, 31), False)
    with pytest.raises(DomainError, match="no doelen"):
        gepland.leg_vast(VANDAAG, (), Advies.AANPASSEN, "", (), VANDAAG)
    with pytest.raises(DomainError, match="future"):
        gepland.leg_vast(date(2026, 10, 2), realisatie(), Advies.AANPASSEN, "", DOELEN, VANDAAG)


def traject() -> Samenwerkingstraject:
    return Samenwerkingstraject.uit_melding("0356-2026-00001", "Ondersteuning thuis", "0356", "999900006", "pa", date(2026, 9, 1), VANDAAG)


@pytest.mark.parametrize("status", [TrajectStatus.AFGESLOTEN, TrajectStatus.GESTOPT])
def test_no_evaluatie_is_planned_or_recorded_in_a_closed_traject(status):
    lopend = traject()
    vereis_lopend_traject(lopend, "planned")  # a lopend traject: no refusal
    gesloten = lopend.naar(status, VANDAAG)
    with pytest.raises(DomainError, match=f"^samenwerkingstraject 0356-2026-00001 is {status}: no evaluatie can be planned in it any more$"):
        vereis_lopend_traject(gesloten, "planned")
    with pytest.raises(DomainError, match=f"is {status}: no evaluatie can be recorded in it any more$"):
        vereis_lopend_traject(gesloten, "recorded")


@pytest.mark.parametrize("status", [TrajectStatus.AFGESLOTEN, TrajectStatus.GESTOPT])
def test_closing_the_traject_makes_its_planned_evaluaties_vervallen_with_the_reason(status):
    lopend = traject()
    regulier = Evaluatie.regulier(lopend.id, "x", date(2026, 12, 31), False)
    tussentijds = Evaluatie.tussentijds(lopend.id, "wijkteam", "zorgen", date(2026, 10, 15), VANDAAG)
    gedaan = regulier.leg_vast(VANDAAG, realisatie("Zelfstandig boodschappen doen", "Administratie op orde"), Advies.VOORTZETTEN, "", DOELEN, VANDAAG)
    dag = date(2026, 10, 5)

    vervallen = vervallen_bij_sluiten(lopend.naar(status, dag), [regulier, tussentijds, gedaan], dag)

    assert [e.id for e in vervallen] == [regulier.id, tussentijds.id]  # the uitgevoerd one stays as it was
    assert {(e.status, e.vervallen_op, e.vervallen_reden) for e in vervallen} == {(EvaluatieStatus.VERVALLEN, dag, f"samenwerkingstraject {status}")}
    with pytest.raises(DomainError, match="vervallen to uitgevoerd"):
        vervallen[0].leg_vast(VANDAAG, realisatie("Zelfstandig boodschappen doen", "Administratie op orde"), Advies.VOORTZETTEN, "", DOELEN, VANDAAG)
    with pytest.raises(DomainError, match="lopend: its evaluaties vervallen only when it is closed"):
        vervallen_bij_sluiten(lopend, [regulier], dag)


def test_an_evaluatie_vervalt_once_and_with_a_reden():
    gepland = Evaluatie.regulier("t1", "x", date(2026, 12, 31), False)
    with pytest.raises(DomainError, match="with a reden"):
        gepland.vervall(VANDAAG, " ")
    vervallen = gepland.vervall(VANDAAG, "samenwerkingstraject gestopt")
    with pytest.raises(DomainError, match="vervallen to vervallen"):
        vervallen.vervall(VANDAAG, "nog eens")
