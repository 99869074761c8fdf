"""The constraints (CS) of controleniveau 2: an official example, changed in one place to break the rule, fails it
at the element the official export names (the official examples themselves pass: test_regels_voorbeelden)."""

from __future__ import annotations

from datetime import date
from typing import Any

from berichten.domain.model import Achternaam, GeslotenPeriode, OpenPeriode
from berichten.domain.regels.constraints import (
    CS003,
    CS050,
    CS058,
    CS089,
    CS100,
    CS139,
    CS318,
    CS325,
    CS335,
    CS336,
    CS337,
    CS338,
    CS339,
    CS340,
    CS343,
)

from .regelhulp import bericht, fouten, vervang
from .test_regels_condities import (
    AANGEVRAAGD,
    CONTACT,
    NIEUW,
    PRESTATIE,
    TE_WIJZIGEN,
    TOEGEWEZEN,
    aangevraagd,
    adres,
    contact,
    prestatie,
    toegewezen,
    verzoek,
)


def declaratie(name: str, **changes: Any) -> Any:
    b = bericht(name)
    return vervang(b, declaratie=vervang(b.declaratie, **changes))


def client_naam(name: str, **changes: Any) -> Any:
    b = bericht(name)
    return vervang(b, client=vervang(b.client, naam=vervang(b.client.naam, **changes)))


def geboortedatum(name: str, **changes: Any) -> Any:
    b = bericht(name)
    return vervang(b, client=vervang(b.client, geboortedatum=vervang(b.client.geboortedatum, **changes)))


# ---------------------------------------------------------------- periods and dates


def test_cs003_toegewezen_product_einddatum_before_ingangsdatum():
    (fout,) = fouten(CS003, "JW301", toegewezen("JW301", 0, einddatum=date(2026, 3, 31)))
    assert fout.locatie == f"{TOEGEWEZEN}[1]/Einddatum" and fout.klasse == f"{TOEGEWEZEN}[1]"


def test_cs003_einddatum_equal_to_ingangsdatum_is_allowed():
    assert fouten(CS003, "JW301", toegewezen("JW301", 0, einddatum=date(2026, 4, 1))) == []


def test_cs003_contact_periode_einddatum_before_begindatum():
    changed = contact("JW301", 1, periode=OpenPeriode(begindatum=date(2018, 2, 3), einddatum=date(2018, 2, 2)))
    (fout,) = fouten(CS003, "JW301", changed)
    assert fout.locatie == f"{CONTACT}[2]/Periode/Einddatum" and fout.klasse == f"{CONTACT}[2]"


def test_cs003_toewijzingeinddatum_before_toewijzingingangsdatum_in_a_vot():
    (fout,) = fouten(CS003, "WMO315", aangevraagd("WMO315", 0, toewijzing_einddatum=date(2023, 5, 31)))
    assert fout.locatie == f"{AANGEVRAAGD}[1]/ToewijzingEinddatum" and fout.klasse == f"{AANGEVRAAGD}[1]"


def test_cs003_te_wijzigen_product_einddatum_before_gewensteingangsdatum():
    (fout,) = fouten(CS003, "WMO317", verzoek("WMO317", te_wijzigen={"einddatum": date(2023, 4, 1)}))
    assert fout.locatie == f"{TE_WIJZIGEN}/Einddatum" and fout.klasse == TE_WIJZIGEN


def test_cs003_nieuw_product_einddatum_before_gewensteingangsdatum():
    (fout,) = fouten(CS003, "JW317", verzoek("JW317", nieuw={"einddatum": date(2023, 10, 31)}))
    assert fout.locatie == f"{NIEUW}/Einddatum"


def test_cs100_declaratieperiode_before_2021():
    changed = declaratie("JW323", declaratie_periode=GeslotenPeriode(begindatum=date(2020, 12, 1), einddatum=date(2020, 12, 31)))
    (fout,) = fouten(CS100, "JW323", changed)
    assert fout.locatie == "/Bericht/Declaratie/DeclaratiePeriode" and fout.klasse == "/Bericht"


def test_cs100_productperiode_before_2021():
    periode = GeslotenPeriode(begindatum=date(2020, 12, 1), einddatum=date(2020, 12, 31))
    (fout,) = fouten(CS100, "WMO323", prestatie("WMO323", product_periode=periode))
    assert fout.locatie == f"{PRESTATIE}/ProductPeriode" and fout.klasse == PRESTATIE


def test_cs139_datumgebruik_2_with_a_date_that_is_not_the_first_of_january():
    (fout,) = fouten(CS139, "JW305", geboortedatum("JW305", datum_gebruik="2"))  # Datum 2010-02-14
    assert fout.locatie == "/Bericht/Client/Geboortedatum/DatumGebruik" and fout.klasse == "/Bericht/Client"


def test_cs139_datumgebruik_agreeing_with_the_date_passes():
    assert fouten(CS139, "JW305", geboortedatum("JW305", datum_gebruik="1", datum=date(2010, 2, 1))) == []
    assert fouten(CS139, "JW305", geboortedatum("JW305", datum_gebruik="2", datum=date(2010, 1, 1))) == []
    assert fouten(CS139, "JW305", geboortedatum("JW305", datum_gebruik="3", datum=date(1900, 1, 1))) == []


def test_cs139_datumgebruik_3_of_a_relatie_with_a_known_date():
    b = bericht("JW301")
    relatie = b.client.relaties[0]
    gewijzigd = vervang(relatie, geboortedatum=vervang(relatie.geboortedatum, datum_gebruik="3"))
    changed = vervang(b, client=vervang(b.client, relaties=[gewijzigd, *b.client.relaties[1:]]))
    (fout,) = fouten(CS139, "JW301", changed)
    assert fout.locatie == "/Bericht/Client/Relaties/Relatie[1]/Geboortedatum/DatumGebruik"
    assert fout.klasse == "/Bericht/Client/Relaties/Relatie[1]"


def test_cs139_datumgebruik_1_in_a_vot():
    (fout,) = fouten(CS139, "WMO315", geboortedatum("WMO315", datum_gebruik="1"))  # Datum 1972-07-16
    assert fout.locatie == "/Bericht/Client/Geboortedatum/DatumGebruik"


def test_cs337_productperiode_over_two_months():
    periode = GeslotenPeriode(begindatum=date(2023, 4, 1), einddatum=date(2023, 5, 31))
    (fout,) = fouten(CS337, "WMO323", prestatie("WMO323", product_periode=periode))
    assert fout.locatie == f"{PRESTATIE}/ProductPeriode" and fout.klasse == PRESTATIE


def test_cs337_productperiode_in_the_same_month_of_another_year():
    periode = GeslotenPeriode(begindatum=date(2023, 4, 1), einddatum=date(2024, 4, 30))
    (fout,) = fouten(CS337, "JW323", prestatie("JW323", product_periode=periode))
    assert fout.locatie == f"{PRESTATIE}/ProductPeriode"


def test_cs340_declaratieperiode_shorter_than_a_month():
    changed = declaratie("JW323", declaratie_periode=GeslotenPeriode(begindatum=date(2023, 4, 1), einddatum=date(2023, 4, 29)))
    (fout,) = fouten(CS340, "JW323", changed)
    assert fout.locatie == "/Bericht/Declaratie/DeclaratiePeriode" and fout.klasse == "/Bericht"


def test_cs340_declaratieperiode_of_a_month_not_starting_on_the_first():
    changed = declaratie("WMO323", declaratie_periode=GeslotenPeriode(begindatum=date(2023, 4, 2), einddatum=date(2023, 5, 1)))
    (fout,) = fouten(CS340, "WMO323", changed)
    assert fout.locatie == "/Bericht/Declaratie/DeclaratiePeriode"


def test_cs340_february_of_a_leap_year_is_a_whole_month():
    changed = declaratie("JW323", declaratie_periode=GeslotenPeriode(begindatum=date(2024, 2, 1), einddatum=date(2024, 2, 29)))
    assert fouten(CS340, "JW323", changed) == []


# ---------------------------------------------------------------- 301 names and addresses


def test_cs050_naamgebruik_6_with_a_partnernaam():
    (fout,) = fouten(CS050, "WMO301", client_naam("WMO301", naam_gebruik="6"))
    assert fout.locatie == "/Bericht/Client/Naam/NaamGebruik" and fout.klasse == "/Bericht/Client"


def test_cs050_naamgebruik_of_a_relatie_needing_a_partnernaam():
    b = bericht("JW301")
    relatie = b.client.relaties[1]  # no Partnernaam
    gewijzigd = vervang(relatie, naam=vervang(relatie.naam, naam_gebruik="2"))
    changed = vervang(b, client=vervang(b.client, relaties=[b.client.relaties[0], gewijzigd]))
    (fout,) = fouten(CS050, "JW301", changed)
    assert fout.locatie == "/Bericht/Client/Relaties/Relatie[2]/Naam/NaamGebruik"
    assert fout.klasse == "/Bericht/Client/Relaties/Relatie[2]"


def test_cs050_naamgebruik_3_with_a_partnernaam_passes():
    changed = client_naam("JW301", partnernaam=Achternaam(achternaam="Jansen"), naam_gebruik="3")
    assert fouten(CS050, "JW301", changed) == []


def test_cs318_naamgebruik_niet_natuurlijk_persoon_for_the_client():
    (fout,) = fouten(CS318, "JW301", client_naam("JW301", naam_gebruik="6"))  # no Partnernaam: CS050 allows 6
    assert fout.locatie == "/Bericht/Client/Naam" and fout.klasse == "/Bericht/Client"


def test_cs318_does_not_apply_to_a_relatie():
    b = bericht("JW301")
    relatie = b.client.relaties[1]
    gewijzigd = vervang(relatie, naam=vervang(relatie.naam, naam_gebruik="6"))
    changed = vervang(b, client=vervang(b.client, relaties=[b.client.relaties[0], gewijzigd]))
    assert fouten(CS318, "JW301", changed) == []


def test_cs089_dutch_postcode_with_a_leading_zero():
    (fout,) = fouten(CS089, "JW301", adres("JW301", 0, postcode="0999XX"))
    assert fout.locatie == f"{CONTACT}[1]/Adres/Postcode" and fout.klasse == f"{CONTACT}[1]"


def test_cs089_dutch_postcode_with_a_space():
    (fout,) = fouten(CS089, "JW301", adres("JW301", 1, postcode="9999 XX"))
    assert fout.locatie == f"{CONTACT}[2]/Adres/Postcode"


def test_cs089_foreign_postcode_is_not_checked():
    assert fouten(CS089, "WMO301", adres("WMO301", 0, postcode="AD500")) == []  # LandCode AD


# ---------------------------------------------------------------- products


def test_cs058_statusaanlevering_2_in_a_start():
    b = bericht("JW305")
    producten = [vervang(b.client.start_producten[0], status_aanlevering="2"), *b.client.start_producten[1:]]
    (fout,) = fouten(CS058, "JW305", vervang(b, client=vervang(b.client, start_producten=producten)))
    klasse = "/Bericht/Client/StartProducten/StartProduct[1]"
    assert fout.locatie == f"{klasse}/StatusAanlevering" and fout.klasse == klasse


def test_cs058_statusaanlevering_9_in_a_stop():
    b = bericht("WMO307")
    producten = [b.client.stop_producten[0], vervang(b.client.stop_producten[1], status_aanlevering="9")]
    (fout,) = fouten(CS058, "WMO307", vervang(b, client=vervang(b.client, stop_producten=producten)))
    assert fout.locatie == "/Bericht/Client/StopProducten/StopProduct[2]/StatusAanlevering"


def test_cs335_redenwijziging_verwijderd_with_einddatum_after_ingangsdatum():
    (fout,) = fouten(CS335, "JW301", toegewezen("JW301", 0, reden_wijziging="13"))
    assert fout.locatie == f"{TOEGEWEZEN}[1]/RedenWijziging" and fout.klasse == f"{TOEGEWEZEN}[1]"


def test_cs335_redenwijziging_verwijderd_without_einddatum():
    (fout,) = fouten(CS335, "WMO301", toegewezen("WMO301", 0, reden_wijziging="13", einddatum=None))
    assert fout.locatie == f"{TOEGEWEZEN}/RedenWijziging"


def test_cs335_deleting_a_toewijzing_with_einddatum_equal_to_ingangsdatum_passes():
    assert fouten(CS335, "JW301", toegewezen("JW301", 0, reden_wijziging="13", einddatum=date(2026, 4, 1))) == []


def test_cs336_redenwijziging_01_is_no_longer_used():
    (fout,) = fouten(CS336, "JW301", toegewezen("JW301", 1, reden_wijziging="01"))
    assert fout.locatie == f"{TOEGEWEZEN}[2]/RedenWijziging" and fout.klasse == f"{TOEGEWEZEN}[2]"


def test_cs336_is_not_checked_in_the_302_retour():
    assert fouten(CS336, "JW302", toegewezen("JW301", 1, reden_wijziging="01")) == []


def test_cs338_frequentie_per_dag_with_eenheid_dagdeel():
    b = bericht("JW301")
    omvang = vervang(b.client.toegewezen_producten[1].omvang, frequentie="1")  # Eenheid 16
    (fout,) = fouten(CS338, "JW301", toegewezen("JW301", 1, omvang=omvang))
    assert fout.locatie == f"{TOEGEWEZEN}[2]/Omvang" and fout.klasse == f"{TOEGEWEZEN}[2]"


def test_cs338_frequentie_per_dag_with_eenheid_dagdeel_is_allowed_when_the_toewijzing_ended_before_2021():
    b = bericht("JW301")
    omvang = vervang(b.client.toegewezen_producten[1].omvang, frequentie="1")
    assert fouten(CS338, "JW301", toegewezen("JW301", 1, omvang=omvang, einddatum=date(2020, 12, 31))) == []


def test_cs338_frequentie_per_dag_with_eenheid_minuut_is_allowed():
    assert fouten(CS338, "WMO301", bericht("WMO301")) == []  # Eenheid 01, Frequentie 1


def test_cs338_frequentie_per_dag_with_eenheid_etmaal_in_a_nieuw_product():
    b = bericht("WMO317")
    omvang = vervang(b.client.verzoek.nieuwe_producten[0].omvang, frequentie="1")  # Eenheid 14
    (fout,) = fouten(CS338, "WMO317", verzoek("WMO317", nieuw={"omvang": omvang, "einddatum": None}))
    assert fout.locatie == f"{NIEUW}/Omvang" and fout.klasse == NIEUW


def test_cs343_frequentie_per_dag_with_eenheid_etmaal_in_a_vot():
    b = bericht("WMO315")
    omvang = vervang(b.client.aangevraagde_producten[0].omvang, frequentie="1")  # Eenheid 14
    (fout,) = fouten(CS343, "WMO315", aangevraagd("WMO315", 0, omvang=omvang))
    assert fout.locatie == f"{AANGEVRAAGD}[1]/Omvang" and fout.klasse == f"{AANGEVRAAGD}[1]"


# ---------------------------------------------------------------- 323 / 325 amounts


def test_cs325_zero_bedrag_as_credit_in_a_prestatie():
    b = bericht("JW323")
    bedrag = vervang(b.declaratie.clienten[0].prestaties[0].ingediend_bedrag, bedrag=0)  # C
    (fout,) = fouten(CS325, "JW323", prestatie("JW323", ingediend_bedrag=bedrag))
    assert fout.locatie == f"{PRESTATIE}/IngediendBedrag/DebetCredit" and fout.klasse == PRESTATIE


def test_cs325_zero_totaalingediendbedrag_as_credit():
    b = bericht("JW323")
    changed = declaratie("JW323", totaal_ingediend_bedrag=vervang(b.declaratie.totaal_ingediend_bedrag, totaal_bedrag=0))
    (fout,) = fouten(CS325, "JW323", changed)
    assert fout.locatie == "/Bericht/Declaratie/TotaalIngediendBedrag/DebetCredit" and fout.klasse == "/Bericht"


def test_cs325_zero_totaaltoegekendbedrag_as_credit_in_a_325():
    b = bericht("JW325")
    antwoord = b.declaratie_antwoord
    changed = vervang(b, declaratie_antwoord=vervang(
        antwoord, totaal_toegekend_bedrag=vervang(antwoord.totaal_toegekend_bedrag, totaal_bedrag=0)))
    (fout,) = fouten(CS325, "JW325", changed)
    assert fout.locatie == "/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag/DebetCredit"
    assert fout.klasse == "/Bericht/DeclaratieAntwoord"


def test_cs325_zero_bedrag_as_debet_passes():
    b = bericht("WMO323")
    bedrag = vervang(b.declaratie.clienten[0].prestaties[0].ingediend_bedrag, bedrag=0)  # D
    assert fouten(CS325, "WMO323", prestatie("WMO323", ingediend_bedrag=bedrag)) == []


def test_cs339_bedrag_differs_from_volume_with_eenheid_euros():
    b = bericht("WMO323")
    bedrag = vervang(b.declaratie.clienten[0].prestaties[0].ingediend_bedrag, bedrag=4000)
    changed = prestatie("WMO323", eenheid="83", geleverd_volume=5000, product_tarief=None, ingediend_bedrag=bedrag)
    (fout,) = fouten(CS339, "WMO323", changed)
    assert fout.locatie == f"{PRESTATIE}/IngediendBedrag" and fout.klasse == PRESTATIE


def test_cs339_bedrag_equal_to_volume_with_eenheid_euros_passes():
    changed = prestatie("WMO323", eenheid="83", geleverd_volume=5000, product_tarief=None)  # Bedrag 5000
    assert fouten(CS339, "WMO323", changed) == []
