"""Applying accepted 305 / 307 messages to the regie, and the questions asked of it."""

from __future__ import annotations

from datetime import date

import pytest

from runtime.errors import DomainError
from toewijzing.domain.levering import (
    actuele_start,
    is_definitief_gestopt,
    is_tijdelijk_gestopt,
    lopende_starts,
    verwerk_start,
    verwerk_stop,
)
from toewijzing.domain.toewijzing import Product
from toewijzing.tests.regie_voorbeelden import AGB, BSN, GEMEENTE, WET, start, stop, voorbeeld


def test_start_met_status_1_voegt_levering_toe() -> None:
    verwerking = verwerk_start(voorbeeld("JW305"), WET, date(2023, 7, 25), "b-305", [])
    assert [(s.toewijzing_nummer, s.product, s.begindatum) for s in verwerking.nieuw] == [
        (300201, Product("55", "55A11"), date(2023, 4, 3)),
        (300202, Product("55", "55A12"), date(2023, 4, 15)),
    ]
    eerste = verwerking.nieuw[0]
    assert (eerste.gemeentecode, eerste.agb, eerste.bsn, eerste.wet) == (GEMEENTE, AGB, BSN, WET)
    assert (eerste.ontvangen_op, eerste.bericht_id, eerste.verwijderd) == (date(2023, 7, 25), "b-305", False)
    assert verwerking.verwijderd == ()


def test_start_met_status_3_verwijdert_eerdere_met_zelfde_sleutel() -> None:
    bericht = voorbeeld("JW305")
    bericht.client.start_producten = bericht.client.start_producten[:1]
    bericht.client.start_producten[0].status_aanlevering = "3"
    eerdere = start(bericht_id="eerder")
    andere = start(begindatum=date(2023, 5, 1), bericht_id="ander")
    verwerking = verwerk_start(bericht, WET, date(2023, 7, 25), "b-2", [eerdere, andere])
    assert verwerking.nieuw == ()
    assert len(verwerking.verwijderd) == 1
    assert verwerking.verwijderd[0].bericht_id == "eerder" and verwerking.verwijderd[0].verwijderd


def test_verwijderen_en_nieuw_in_een_bericht() -> None:
    """IV008: when the corrected field is part of the key, delete + new may share one message."""
    bericht = voorbeeld("JW305")
    verwijder, nieuw = bericht.client.start_producten
    verwijder.toewijzing_nummer, verwijder.product.code, verwijder.status_aanlevering = 300201, "55A11", "3"
    nieuw.toewijzing_nummer, nieuw.product.code, nieuw.begindatum = 300201, "55A11", date(2023, 4, 4)
    verwerking = verwerk_start(bericht, WET, date(2023, 7, 25), "b-2", [start()])
    assert [s.begindatum for s in verwerking.verwijderd] == [date(2023, 4, 3)]
    assert [s.begindatum for s in verwerking.nieuw] == [date(2023, 4, 4)]


def test_verwijderen_zonder_eerdere_aanlevering_is_een_fout() -> None:
    bericht = voorbeeld("JW305")
    bericht.client.start_producten[0].status_aanlevering = "3"
    with pytest.raises(DomainError, match="TR063"):
        verwerk_start(bericht, WET, date(2023, 7, 25), "b-2", [])


def test_status_2_is_niet_toegestaan() -> None:
    bericht = voorbeeld("JW305")
    bericht.client.start_producten[0].status_aanlevering = "2"
    with pytest.raises(DomainError, match="CS058"):
        verwerk_start(bericht, WET, date(2023, 7, 25), "b-2", [])


def test_stop_met_status_1_en_3() -> None:
    bericht = voorbeeld("JW307")
    verwerking = verwerk_stop(bericht, WET, date(2023, 7, 20), "b-307", [])
    assert [(s.toewijzing_nummer, s.einddatum, s.reden_beeindiging) for s in verwerking.nieuw] == [
        (300201, date(2023, 7, 19), "31"),
        (300202, date(2023, 7, 19), "31"),
    ]
    bericht.client.stop_producten = bericht.client.stop_producten[:1]
    bericht.client.stop_producten[0].status_aanlevering = "3"
    weg = verwerk_stop(bericht, WET, date(2023, 7, 21), "b-308", [stop()])
    assert weg.nieuw == () and [s.verwijderd for s in weg.verwijderd] == [True]


def test_stop_verwijderen_zoekt_op_volledige_sleutel() -> None:
    """The StopProduct key includes Einddatum and RedenBeeindiging: a different reason is another stop."""
    bericht = voorbeeld("JW307")
    bericht.client.stop_producten = bericht.client.stop_producten[:1]
    bericht.client.stop_producten[0].status_aanlevering = "3"
    with pytest.raises(DomainError, match="TR063"):
        verwerk_stop(bericht, WET, date(2023, 7, 21), "b-308", [stop(reden="20")])


def test_actuele_start_na_tijdelijke_stop_en_herstart() -> None:
    eerste = start()
    tijdelijk = stop(einddatum=date(2023, 5, 1), reden="20")
    assert is_tijdelijk_gestopt(eerste, [tijdelijk])
    assert lopende_starts([eerste], [tijdelijk], 300201) == []  # TR326: a new start is allowed
    assert actuele_start([eerste], [tijdelijk], 300201) == eerste  # still current: a definitive stop may follow
    herstart = start(begindatum=date(2023, 6, 1))
    assert actuele_start([eerste, herstart], [tijdelijk], 300201) == herstart
    assert lopende_starts([eerste, herstart], [tijdelijk], 300201) == [herstart]


def test_definitief_gestopte_start_is_niet_actueel() -> None:
    eerste = start()
    tijdelijk = stop(einddatum=date(2023, 5, 1), reden="20")
    definitief = stop(einddatum=date(2023, 6, 1), reden="31")
    assert is_definitief_gestopt(eerste, [tijdelijk, definitief])
    assert actuele_start([eerste], [tijdelijk, definitief], 300201) is None


def test_verwijderde_start_telt_niet() -> None:
    assert actuele_start([start(verwijderd=True)], [], 300201) is None
    assert lopende_starts([start(verwijderd=True)], [], 300201) == []


def test_taakgerichte_start_op_product() -> None:
    taak = start(nummer=None, code="55A11")
    assert actuele_start([taak], [], None, Product("55", "55A11")) == taak
    assert actuele_start([taak], [], None, Product("55", "55A12")) is None
    assert taak.sleutel.toewijzing_nummer is None
