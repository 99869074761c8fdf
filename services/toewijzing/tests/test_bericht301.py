"""The 301: which toewijzingen go in (OP087, TR379), and a built 301 is valid (XSD) and passes level 2."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from berichten.codec.codec import Codec
from berichten.controle import Controleur
from runtime.domein import Wet
from runtime.errors import DomainError
from toewijzing.domain.bericht301 import Adres, ClientGegevens, Kop, bouw_301, telefoon, toewijzingen_voor_301
from toewijzing.domain.toewijzing import Omvang, Product, beeindig, verwijder
from toewijzing.tests.voorbeelden import AGB, BSN, GEMEENTE, LATER, MOMENT, toewijzing

DAGTEKENING = date(2026, 11, 23)
NA_LATER = LATER + timedelta(minutes=5)


@pytest.fixture(scope="module")
def codec() -> Codec:
    return Codec()


@pytest.fixture(scope="module")
def controleur(codec: Codec) -> Controleur:
    return Controleur(codec)


def client() -> ClientGegevens:
    return ClientGegevens(
        bsn=BSN,
        geboortedatum=date(1950, 3, 1),
        geslacht="2",
        geslachtsnaam="Vries",
        voorvoegsel="de",
        voorletters="J.M.",
        adressen=(
            Adres("01", straatnaam="Dorpsstraat", huisnummer=12, huisletter="a", postcode="1011 AB", plaatsnaam="Amsterdam"),
            Adres("02", straatnaam="Postbus", huisnummer=5, postcode="1000AA", plaatsnaam="Amsterdam"),
        ),
        telefoon="+31 6 1234 5678",
        emailadres="j.devries@example.nl",
        wettelijke_vertegenwoordiging="06",
    )


def toewijzingen(wet: Wet, product: Product, ander: Product):
    """Several toewijzingen: a current one, a changed one (verkort) and a deleted one."""
    lopend = toewijzing(wet=wet, product=product, toewijzing_nummer=100)
    gewijzigd = beeindig(toewijzing(wet=wet, product=ander, toewijzing_nummer=101), date(2026, 12, 15), "05", LATER)
    weg = verwijder(toewijzing(wet=wet, product=Product(product.categorie), omvang=None, budget=50_000, toewijzing_nummer=102, ingangsdatum=date(2027, 1, 1), einddatum=date(2027, 6, 30)), NA_LATER)
    return [lopend, gewijzigd, weg]


@pytest.mark.parametrize(
    ("wet", "product", "ander", "berichtcode"),
    [
        (Wet.WMO, Product("02", "02A01"), Product("01", "01A01"), 414),
        (Wet.JEUGDWET, Product("45", "45A48"), Product("54", "54002"), 436),
    ],
)
def test_gebouwde_301_is_geldig_en_geaccepteerd(codec, controleur, wet, product, ander, berichtcode):
    kop = Kop(gemeentecode=GEMEENTE, agb=AGB, wet=wet, identificatie="T301000001", dagtekening=DAGTEKENING)
    bericht = bouw_301(kop, client(), toewijzingen(wet, product, ander), codec.schemas)
    assert (bericht.header.bericht_code, bericht.header.bericht_versie, bericht.header.bericht_subversie) == (berichtcode, 3, 2)
    xml = codec.encode(bericht)
    uitslag = controleur.controleer(xml, DAGTEKENING)
    assert uitslag.bevindingen == [] and uitslag.geaccepteerd
    producten = uitslag.decoded.bericht.client.toegewezen_producten
    assert [(p.toewijzing_nummer, p.reden_wijziging) for p in producten] == [(100, None), (101, "05"), (102, "13")]
    assert producten[1].toewijzingstijd.isoformat() == "09:30:00"


def test_header_volgt_kop(codec):
    kop = Kop(gemeentecode=GEMEENTE, agb=AGB, wet=Wet.WMO, identificatie="X1", dagtekening=DAGTEKENING)
    h = bouw_301(kop, client(), [toewijzing()], codec.schemas).header
    assert (h.afzender, h.ontvanger, h.bericht_identificatie.identificatie, h.xsd_versie.bericht_xsd_versie) == (GEMEENTE, AGB, "X1", "1.0.0")


def test_301_weigert_toewijzing_van_andere_aanbieder(codec):
    kop = Kop(gemeentecode=GEMEENTE, agb=AGB, wet=Wet.WMO, identificatie="X1", dagtekening=DAGTEKENING)
    with pytest.raises(DomainError):
        bouw_301(kop, client(), [toewijzing(agb="42420009")], codec.schemas)


def test_telefoon_naar_landnummer_en_cijfers():
    nl = telefoon("+31 6 1234 5678").telefoon01
    assert (nl.landnummer, nl.telefoonnummer) == ("0031", "0612345678")
    assert telefoon("020-1234567").telefoon01.telefoonnummer == "0201234567"
    be = telefoon("0032 2 123 45 67").telefoon01
    assert (be.landnummer, be.telefoonnummer) == ("0032", "21234567")
    assert telefoon("") is None


def test_op087_actuele_plus_gewijzigde_sinds_vorige_301():
    actueel = toewijzing(toewijzing_nummer=100)
    verlopen = toewijzing(toewijzing_nummer=101, einddatum=date(2026, 10, 31))
    nieuw_verkort = beeindig(toewijzing(toewijzing_nummer=102, product=Product("03", "03A01")), date(2026, 11, 1), "05", LATER)
    verzonden = {100: MOMENT, 101: MOMENT, 102: MOMENT}
    gekozen = toewijzingen_voor_301([actueel, verlopen, toewijzing(toewijzing_nummer=102, product=Product("03", "03A01")), nieuw_verkort], verzonden, DAGTEKENING)
    assert [(t.toewijzing_nummer, t.versie) for t in gekozen] == [(100, 1), (102, 2)]


def test_op087_verwijderde_die_nooit_verzonden_is_blijft_weg_verzonden_wel_mee():
    nooit = verwijder(toewijzing(toewijzing_nummer=100), LATER)
    wel = verwijder(toewijzing(toewijzing_nummer=101), LATER)
    gekozen = toewijzingen_voor_301([nooit, wel], {101: MOMENT}, DAGTEKENING)
    assert [t.toewijzing_nummer for t in gekozen] == [101]


def test_tr379_referentie_aanbieder_alleen_in_eerste_301():
    t = toewijzing(referentie_aanbieder="VOT-1")
    (eerste,) = toewijzingen_voor_301([t], {}, DAGTEKENING)
    (volgende,) = toewijzingen_voor_301([t], {100: t.toewijzingsmoment}, DAGTEKENING)
    assert (eerste.referentie_aanbieder, volgende.referentie_aanbieder) == ("VOT-1", None)


def test_bouw_301_met_omvang_totaal(codec, controleur):
    t = toewijzing(omvang=Omvang(40, "04", "6"))
    kop = Kop(gemeentecode=GEMEENTE, agb=AGB, wet=Wet.WMO, identificatie="T2", dagtekening=DAGTEKENING)
    assert controleur.controleer(codec.encode(bouw_301(kop, client(), [t], codec.schemas)), DAGTEKENING).geaccepteerd
