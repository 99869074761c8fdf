"""The toewijslijst: claim, bevestig, afwijzen, vervallen, wachttijd and what an aanbieder may see."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timedelta

import pytest

from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import DomainError
from toewijzing.domain.toewijslijst import (
    Aanbiederweergave,
    Inschrijving,
    InschrijvingStatus,
    bevestig,
    claim,
    toewijslijst_voor_aanbieder,
    vervall,
    wachttijd,
    wijs_claim_af,
)
from toewijzing.domain.toewijzing import Product, ToewijzingStatus
from toewijzing.tests.voorbeelden import AGB, AGB_2, BSN, GEMEENTE, WEKELIJKS, nummers

SINDS = datetime(2026, 11, 1, 9, 0)
CLAIM = datetime(2026, 11, 20, 14, 0)
BEVESTIGING = datetime(2026, 11, 23, 10, 0)


def inschrijving(**changes):
    values = dict(
        id="i1",
        gemeentecode=GEMEENTE,
        wet=Wet.WMO,
        bsn=BSN,
        beschikkingnummer="123",
        product=Product("02", "02A01"),
        ingangsdatum=date(2026, 11, 1),
        einddatum=date(2027, 10, 31),
        uitvoeringsvariant=Uitvoeringsvariant.INSPANNINGSGERICHT,
        sinds=SINDS,
        omvang=WEKELIJKS,
        wijk="1011",
    )
    values.update(changes)
    return Inschrijving(**values)


def test_gecontracteerde_aanbieder_claimt_open_inschrijving():
    i = claim(inschrijving(), AGB, True, CLAIM)
    assert (i.status, i.geclaimd_door, i.geclaimd_op, i.versie) == (InschrijvingStatus.GECLAIMD, AGB, CLAIM, 2)


def test_niet_gecontracteerde_aanbieder_mag_niet_claimen():
    with pytest.raises(DomainError, match="not contracted"):
        claim(inschrijving(), AGB, False, CLAIM)


def test_tweede_claim_verliest():
    geclaimd = claim(inschrijving(), AGB, True, CLAIM)
    with pytest.raises(DomainError, match="only an open inschrijving"):
        claim(geclaimd, AGB_2, True, CLAIM)


def test_bevestigen_maakt_toewijzing_voor_claimende_aanbieder_vanaf_bevestigdag():
    bevestigd, t = bevestig(claim(inschrijving(), AGB, True, CLAIM), BEVESTIGING, nummers(700))
    assert (bevestigd.status, bevestigd.bevestigd_op) == (InschrijvingStatus.BEVESTIGD, BEVESTIGING)
    assert (t.toewijzing_nummer, t.agb, t.bsn, t.ingangsdatum, t.einddatum, t.omvang, t.status, t.beschikkingnummer, t.toewijzingsmoment) == (
        700, AGB, BSN, date(2026, 11, 23), date(2027, 10, 31), WEKELIJKS, ToewijzingStatus.TE_VERZENDEN, "123", BEVESTIGING
    )


def test_bevestigen_houdt_toekomstige_ingangsdatum():
    _, t = bevestig(claim(inschrijving(ingangsdatum=date(2027, 1, 1)), AGB, True, CLAIM), BEVESTIGING, nummers())
    assert t.ingangsdatum == date(2027, 1, 1)


def test_open_inschrijving_kan_niet_bevestigd_worden():
    with pytest.raises(DomainError):
        bevestig(inschrijving(), BEVESTIGING, nummers())


def test_afgewezen_claim_maakt_inschrijving_weer_open():
    i = wijs_claim_af(claim(inschrijving(), AGB, True, CLAIM), BEVESTIGING)
    assert (i.status, i.geclaimd_door, i.geclaimd_op) == (InschrijvingStatus.OPEN, None, None)
    assert claim(i, AGB_2, True, BEVESTIGING).geclaimd_door == AGB_2


def test_vervallen_is_eindstatus():
    i = vervall(claim(inschrijving(), AGB, True, CLAIM), BEVESTIGING)
    assert i.status is InschrijvingStatus.VERVALLEN
    with pytest.raises(DomainError):
        claim(i, AGB, True, BEVESTIGING)


def test_wachttijd_loopt_tot_bevestiging_ook_na_afgewezen_claim():
    i = inschrijving()
    assert wachttijd(i, CLAIM) == CLAIM - SINDS
    heropend = wijs_claim_af(claim(i, AGB, True, CLAIM), CLAIM)
    bevestigd, _ = bevestig(claim(heropend, AGB_2, True, CLAIM), BEVESTIGING, nummers())
    assert wachttijd(bevestigd, BEVESTIGING + timedelta(days=30)) == BEVESTIGING - SINDS


def test_aanbiederweergave_toont_geen_bsn_of_naam():
    namen = {f.name for f in fields(Aanbiederweergave)}
    assert not namen & {"bsn", "naam", "geslachtsnaam", "beschikkingnummer", "geboortedatum"}
    (w,) = toewijslijst_voor_aanbieder([inschrijving()], lambda i: True, CLAIM)
    assert (w.product, w.gemeentecode, w.wijk, w.ingangsdatum, w.omvang, w.sinds, w.wachtdagen) == (
        Product("02", "02A01"), GEMEENTE, "1011", date(2026, 11, 1), WEKELIJKS, SINDS, 19
    )


def test_toewijslijst_toont_alleen_open_en_gecontracteerde_langst_wachtend_eerst():
    oud = inschrijving(id="oud", sinds=SINDS - timedelta(days=10))
    niet = inschrijving(id="niet", product=Product("03", "03A01"))
    geclaimd = claim(inschrijving(id="weg"), AGB, True, CLAIM)
    lijst = toewijslijst_voor_aanbieder([inschrijving(), niet, geclaimd, oud], lambda i: i.product.categorie == "02", CLAIM)
    assert [w.id for w in lijst] == ["oud", "i1"]


def test_wijk_is_postcodegebied_van_vier_cijfers():
    with pytest.raises(DomainError, match="wijk"):
        inschrijving(wijk="1011AB")
