"""A melding opens a lopend samenwerkingstraject; it ends afgesloten or gestopt, and then changes no more."""

from datetime import date

import pytest

from indicatie.domain.traject import (
    ALLOWED_STATUS_CHANGES,
    Doel,
    Partij,
    PartijSoort,
    Samenwerkingstraject,
    TrajectStatus,
    traject_nummer,
)
from runtime.errors import DomainError

VANDAAG = date(2026, 3, 2)


def melding(**changes):  # type: ignore[no-untyped-def]
    values = dict(
        nummer=traject_nummer("0356", 2026, 7),
        onderwerp="Ondersteuning thuis",
        gemeentecode="0356",
        bsn="999900006",
        participatieadviseur="pa-nieuwegein",
        meldingsdatum=date(2026, 2, 27),
        vandaag=VANDAAG,
    )
    return Samenwerkingstraject.uit_melding(**{**values, **changes})


def test_a_melding_opens_a_lopend_traject_on_the_day_it_is_registered():
    traject = melding()
    assert traject.status is TrajectStatus.LOPEND
    assert traject.nummer == "0356-2026-00007"
    assert (traject.meldingsdatum, traject.startdatum, traject.aanbieder_agb) == (date(2026, 2, 27), VANDAAG, None)


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"bsn": "123456789"}, "11-proef"),
        ({"gemeentecode": "356"}, "gemeentecode"),
        ({"onderwerp": " "}, "onderwerp"),
        ({"participatieadviseur": ""}, "participatieadviseur"),
        ({"meldingsdatum": date(2026, 3, 3)}, "future"),
    ],
)
def test_a_bad_melding_is_refused_with_its_reason(changes, reason):
    with pytest.raises(DomainError, match=reason):
        melding(**changes)


def test_lifecycle_table_has_final_ends():
    assert ALLOWED_STATUS_CHANGES[TrajectStatus.LOPEND] == {TrajectStatus.AFGESLOTEN, TrajectStatus.GESTOPT}
    assert not ALLOWED_STATUS_CHANGES[TrajectStatus.AFGESLOTEN] and not ALLOWED_STATUS_CHANGES[TrajectStatus.GESTOPT]


def test_closing_sets_the_einddatum_and_freezes_the_traject():
    traject = melding().naar(TrajectStatus.AFGESLOTEN, date(2026, 5, 1))
    assert (traject.status, traject.einddatum) == (TrajectStatus.AFGESLOTEN, date(2026, 5, 1))
    with pytest.raises(DomainError, match="afgesloten to gestopt"):
        traject.naar(TrajectStatus.GESTOPT, date(2026, 5, 2))
    with pytest.raises(DomainError, match="no more changes"):
        traject.wijzig(onderwerp="Iets anders")
    with pytest.raises(DomainError, match="no more changes"):
        traject.open_voor("98100001")


def test_doelen_and_acties_are_changed_and_an_empty_change_refused():
    traject = melding().wijzig(doelen=(Doel("Zelfstandig boodschappen doen", "instrumentele_adl"),))
    assert [d.omschrijving for d in traject.doelen] == ["Zelfstandig boodschappen doen"]
    with pytest.raises(DomainError, match="nothing to change"):
        traject.wijzig()
    with pytest.raises(DomainError, match="einddatum .* before the startdatum"):
        traject.wijzig(einddatum=date(2026, 1, 1))


def test_a_partij_is_a_valid_gemeente_or_aanbieder():
    assert Partij(PartijSoort.AANBIEDER, "98100001").medewerker == ""
    with pytest.raises(DomainError, match="AGB"):
        Partij(PartijSoort.AANBIEDER, "0356")
    with pytest.raises(DomainError, match="gemeentecode"):
        Partij(PartijSoort.GEMEENTE, "98100001")
