"""The technical rules (TR) of controleniveau 2: every rule passes the official examples it applies to,
and an example changed in one place to break it fails at the right element and class."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from berichten.domain.model import Geboortedatum, Product, Woonplaatsbeginsel
from berichten.domain.regels.regel import Context
from berichten.domain.regels.technisch import (
    REGELS,
    TR002,
    TR006,
    TR061,
    TR101,
    TR134,
    TR137,
    TR302,
    TR315,
    TR316,
    TR335,
    TR342,
    TR352,
    TR353,
    TR358,
    TR377,
    TR380,
    TR383,
    TR386,
    TR409,
    TR410,
    TR416,
)

from .regelhulp import bericht, context, fouten, vervang

# ---------------------------------------------------------------- helpers


def _client(b: Any, **changes: Any) -> Any:
    return vervang(b, client=vervang(b.client, **changes))


def _lijst(items: list[Any], index: int, **changes: Any) -> list[Any]:
    """The list with item `index` (0-based) changed."""
    return [vervang(x, **changes) if i == index else x for i, x in enumerate(items)]


def _producten(b: Any, **changes: Any) -> Any:
    """A 301 with its ToegewezenProducten replaced."""
    return _client(b, **changes)


def _verzoek(b: Any, **changes: Any) -> Any:
    return _client(b, verzoek=vervang(b.client.verzoek, **changes))


def _declaratie(b: Any, **changes: Any) -> Any:
    return vervang(b, declaratie=vervang(b.declaratie, **changes))


def _prestaties(b: Any, client: int, prestaties: list[Any]) -> Any:
    """A 323 with the Prestaties of Client `client` (0-based) replaced."""
    clienten = _lijst(b.declaratie.clienten, client, prestaties=prestaties)
    return _declaratie(b, clienten=clienten)


def _antwoord(b: Any, **changes: Any) -> Any:
    return vervang(b, antwoord=vervang(b.antwoord, **changes))


def _dagtekening(b: Any) -> date:
    return b.header.bericht_identificatie.dagtekening


PRESTATIE = "/Bericht/Declaratie/Clienten/Client[{c}]/Prestaties/Prestatie[{p}]"

# ---------------------------------------------------------------- the unchanged official examples

# Where each rule applies (the export's messages, and their iWmo twins where an example exists).
VOORBEELDEN = {
    TR002: ["JW301", "JW305", "JW307", "JW315", "WMO301", "WMO305", "WMO307", "WMO315"],
    TR006: ["JW301", "WMO301"],
    TR061: ["JW301", "WMO301"],
    TR101: ["JW301", "JW305", "JW307", "JW315", "JW317", "JW323", "JW325"]
    + ["WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO323"],
    TR134: ["JW301", "JW305", "JW307", "JW315", "JW323", "JW325", "WMO301", "WMO307", "WMO315", "WMO323"],
    TR137: ["JW323", "JW325", "WMO323"],
    TR302: ["JW301", "WMO301"],
    TR315: ["JW323", "WMO323"],
    TR316: ["JW323", "WMO323"],
    TR335: ["JW323", "WMO323"],
    TR342: ["JW325"],
    TR352: ["JW317", "WMO317"],
    TR353: ["JW317", "WMO317"],
    TR358: ["JW323", "WMO323"],
    TR377: ["JW319", "WMO319"],
    TR380: ["JW317"],
    TR383: ["JW315", "WMO315"],
    TR386: ["JW315", "WMO315"],
    TR409: ["JW319", "WMO319"],
    TR410: ["JW317", "WMO317"],
    TR416: ["JW323", "WMO323"],
}


def test_every_technical_rule_is_covered_here():
    assert {r.code for r in REGELS} - {r.code for r in VOORBEELDEN} == {"TR018"}  # TR018: test_regels_voorbeelden.py


@pytest.mark.parametrize(("regel", "name"), [(r, n) for r, names in VOORBEELDEN.items() for n in names], ids=str)
def test_unchanged_official_example_has_no_finding(regel, name):
    assert fouten(regel, name) == []


def test_official_wmo305_starts_after_its_dagtekening():
    """The official WMO305 example has Dagtekening 2020-07-25 but Begindatums in April 2023: it breaks TR134."""
    locaties = [f.locatie for f in fouten(TR134, "WMO305")]
    assert locaties == [f"/Bericht/Client/StartProducten/StartProduct[{i}]/Begindatum" for i in (1, 2)]


def test_official_wmo317_wishes_a_new_product_on_its_dagtekening():
    """The official WMO317 example asks for a NieuwProduct from 2023-04-02, its own Dagtekening: it breaks TR380."""
    (fout,) = fouten(TR380, "WMO317")
    assert fout.locatie == "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct/GewensteIngangsdatum"


def test_rules_of_a_heenbericht_do_not_judge_its_retour():
    """The export names the heenberichten; a 306 repeats the 305's classes but is not judged by TR134."""
    jw305 = bericht("JW305")
    late = _client(jw305, start_producten=_lijst(jw305.client.start_producten, 0, begindatum=date(2030, 1, 1)))
    assert TR134(late, context("JW305")) != []
    assert TR134(late, Context(standaard="ijw", soort="306", vandaag=date(2026, 11, 23))) == []


# ---------------------------------------------------------------- TR002 Geboortedatum at most 120 years back


def _geboren(name: str, datum: date, gebruik: str | None = None) -> Any:
    b = bericht(name)
    return _client(b, geboortedatum=Geboortedatum(datum=datum, datum_gebruik=gebruik))


def test_tr002_geboortedatum_more_than_120_years_before_dagtekening():
    jw305 = bericht("JW305")  # Dagtekening 2023-07-25
    (fout,) = fouten(TR002, "JW305", _geboren("JW305", date(1903, 7, 24)))
    assert fout.locatie == "/Bericht/Client/Geboortedatum/Datum" and fout.klasse == "/Bericht/Client"
    assert "1903-07-24" in fout.melding and str(_dagtekening(jw305)) in fout.melding


def test_tr002_exactly_120_years_is_allowed():
    assert fouten(TR002, "JW305", _geboren("JW305", date(1903, 7, 25))) == []


def test_tr002_unknown_geboortedatum_is_allowed():
    assert fouten(TR002, "JW307", _geboren("JW307", date(1900, 1, 1), "3")) == []


def test_tr002_1900_01_01_without_datumgebruik_3_is_not_unknown():
    (fout,) = fouten(TR002, "JW307", _geboren("JW307", date(1900, 1, 1)))
    assert fout.locatie == "/Bericht/Client/Geboortedatum/Datum"


def test_tr002_partly_unknown_date_is_judged_on_its_known_part():
    # Dagtekening 2023-07-15: the limit is 1903-07-15. Only the year 1903 known: possibly born after the limit.
    assert fouten(TR002, "JW315", _geboren("JW315", date(1903, 1, 1), "2")) == []
    assert fouten(TR002, "JW315", _geboren("JW315", date(1903, 7, 1), "1")) == []
    (fout,) = fouten(TR002, "JW315", _geboren("JW315", date(1902, 1, 1), "2"))
    assert fout.locatie == "/Bericht/Client/Geboortedatum/Datum" and fout.klasse == "/Bericht/Client"


def test_tr002_relatie_geboortedatum_in_toewijzing():
    jw301 = bericht("JW301")  # Dagtekening 2026-04-01
    relaties = _lijst(jw301.client.relaties, 1, geboortedatum=Geboortedatum(datum=date(1900, 5, 1)))
    (fout,) = fouten(TR002, "JW301", _client(jw301, relaties=relaties))
    assert fout.locatie == "/Bericht/Client/Relaties/Relatie[2]/Geboortedatum/Datum"
    assert fout.klasse == "/Bericht/Client/Relaties/Relatie[2]"


# ---------------------------------------------------------------- TR006 Contact: Telefoon and/or Huis + Postcode


def test_tr006_client_contact_without_telefoon_and_postcode():
    jw301 = bericht("JW301")
    contact = jw301.client.contactgegevens[0]
    kaal = vervang(contact, telefoon=None, adres=vervang(contact.adres, postcode=None))
    (fout,) = fouten(TR006, "JW301", _client(jw301, contactgegevens=[kaal, *jw301.client.contactgegevens[1:]]))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Contactgegevens/Contact[1]"
    assert "geen Postcode" in fout.melding


def test_tr006_relatie_contact_without_telefoon_and_adres():
    jw301 = bericht("JW301")
    relatie = jw301.client.relaties[0]
    relaties = _lijst(jw301.client.relaties, 0, contact=vervang(relatie.contact, telefoon=None, adres=None))
    (fout,) = fouten(TR006, "JW301", _client(jw301, relaties=relaties))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Relaties/Relatie[1]/Contact"


def test_tr006_huis_and_postcode_without_telefoon_are_enough():
    wmo301 = bericht("WMO301")
    assert wmo301.client.contactgegevens[0].telefoon is None  # the official example already relies on this
    jw301 = bericht("JW301")
    contactgegevens = _lijst(jw301.client.contactgegevens, 0, telefoon=None)
    assert fouten(TR006, "JW301", _client(jw301, contactgegevens=contactgegevens)) == []


# ---------------------------------------------------------------- TR061 Client has a BRP/correspondence/verblijf address


def test_tr061_client_without_address_of_soort_01_02_03():
    jw301 = bericht("JW301")
    alleen_tijdelijk = [c for c in jw301.client.contactgegevens if c.soort == "04"]
    (fout,) = fouten(TR061, "JW301", _client(jw301, contactgegevens=alleen_tijdelijk))
    assert fout.locatie == "/Bericht/Client/Contactgegevens" and fout.klasse == "/Bericht/Client"
    assert "04" in fout.melding


def test_tr061_a_relatie_address_does_not_count_for_the_client():
    jw301 = bericht("JW301")
    assert all(r.contact.soort == "03" for r in jw301.client.relaties)
    changed = _client(jw301, contactgegevens=_lijst(jw301.client.contactgegevens, 0, soort="04"))
    (fout,) = fouten(TR061, "JW301", changed)
    assert fout.locatie == "/Bericht/Client/Contactgegevens"


# ---------------------------------------------------------------- TR101 no duplicate lines


def test_tr101_toegewezen_product_with_a_toewijzing_nummer_twice():
    jw301 = bericht("JW301")
    producten = _lijst(jw301.client.toegewezen_producten, 1, toewijzing_nummer=300201)
    (fout,) = fouten(TR101, "JW301", _client(jw301, toegewezen_producten=producten))
    assert fout.locatie == fout.klasse == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]"
    assert "300201" in fout.melding and "ToegewezenProduct[1]" in fout.melding


def test_tr101_client_contact_soort_twice():
    jw301 = bericht("JW301")
    contactgegevens = _lijst(jw301.client.contactgegevens, 1, soort="03")
    (fout,) = fouten(TR101, "JW301", _client(jw301, contactgegevens=contactgegevens))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Contactgegevens/Contact[2]"


def test_tr101_relatie_nummer_twice():
    jw301 = bericht("JW301")
    relaties = _lijst(jw301.client.relaties, 1, nummer="1")
    (fout,) = fouten(TR101, "JW301", _client(jw301, relaties=relaties))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Relaties/Relatie[2]"


def test_tr101_start_product_twice():
    jw305 = bericht("JW305")
    eerste = jw305.client.start_producten[0]
    (fout,) = fouten(TR101, "JW305", _client(jw305, start_producten=[eerste, eerste]))
    assert fout.locatie == fout.klasse == "/Bericht/Client/StartProducten/StartProduct[2]"


def test_tr101_stop_product_differing_only_outside_its_key_is_a_duplicate():
    jw307 = bericht("JW307")
    eerste = jw307.client.stop_producten[0]
    tweede = vervang(eerste, toewijzing_ingangsdatum=eerste.toewijzing_ingangsdatum + timedelta(days=1))  # not a key element
    (fout,) = fouten(TR101, "JW307", _client(jw307, stop_producten=[eerste, tweede]))
    assert fout.locatie == "/Bericht/Client/StopProducten/StopProduct[2]"
    anders = vervang(eerste, reden_beeindiging="35")  # RedenBeeindiging is part of the key
    assert fouten(TR101, "JW307", _client(jw307, stop_producten=[eerste, anders])) == []


def test_tr101_aangevraagd_product_referentie_twice():
    jw315 = bericht("JW315")
    producten = _lijst(jw315.client.aangevraagde_producten, 1, referentie_aanbieder="40A12341234")
    (fout,) = fouten(TR101, "JW315", _client(jw315, aangevraagde_producten=producten))
    assert fout.locatie == fout.klasse == "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]"


def test_tr101_nieuw_product_twice():
    jw317 = bericht("JW317")
    nieuw = jw317.client.verzoek.nieuwe_producten[0]
    (fout,) = fouten(TR101, "JW317", _verzoek(jw317, nieuwe_producten=[nieuw, vervang(nieuw, omvang=None)]))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[2]"


def test_tr101_ongewijzigd_product_twice():
    jw317 = bericht("JW317")
    ongewijzigd = jw317.client.verzoek.ongewijzigde_producten[0]
    (fout,) = fouten(TR101, "JW317", _verzoek(jw317, ongewijzigde_producten=[ongewijzigd, ongewijzigd]))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct[2]"


def test_tr101_prestatie_twice_for_one_client():
    jw323 = bericht("JW323")
    prestaties = jw323.declaratie.clienten[0].prestaties
    (fout,) = fouten(TR101, "JW323", _prestaties(jw323, 0, [prestaties[0], prestaties[0]]))
    assert fout.locatie == fout.klasse == PRESTATIE.format(c=1, p=2)
    assert "RN001" in fout.melding and "RN000" in fout.melding


def test_tr101_same_prestatie_key_under_two_clients_is_not_a_duplicate_line():
    """The key includes the Client's Bsn (TR101's documentation); a ReferentieNummer reused elsewhere is TR314's business."""
    jw323 = bericht("JW323")
    eerste = jw323.declaratie.clienten[0].prestaties[0]
    changed = _prestaties(jw323, 1, [eerste, jw323.declaratie.clienten[1].prestaties[1]])
    assert fouten(TR101, "JW323", changed) == []


def test_tr101_client_twice_in_a_declaratie():
    jw323 = bericht("JW323")
    clienten = _lijst(jw323.declaratie.clienten, 1, bsn=jw323.declaratie.clienten[0].bsn)
    (fout,) = fouten(TR101, "JW323", _declaratie(jw323, clienten=clienten))
    assert fout.locatie == fout.klasse == "/Bericht/Declaratie/Clienten/Client[2]"


def test_tr101_prestatie_twice_in_a_declaratie_antwoord():
    jw325 = bericht("JW325")
    antwoord = jw325.declaratie_antwoord
    prestatie = antwoord.clienten[0].prestaties[0]
    clienten = _lijst(antwoord.clienten, 0, prestaties=[prestatie, prestatie])
    (fout,) = fouten(TR101, "JW325", vervang(jw325, declaratie_antwoord=vervang(antwoord, clienten=clienten)))
    assert fout.locatie == fout.klasse == "/Bericht/DeclaratieAntwoord/Clienten/Client[1]/Prestaties/Prestatie[2]"


# ---------------------------------------------------------------- TR134 dates not after the Dagtekening


def test_tr134_begindatum_after_dagtekening():
    jw305 = bericht("JW305")
    dag_erna = _dagtekening(jw305) + timedelta(days=1)
    changed = _client(jw305, start_producten=_lijst(jw305.client.start_producten, 1, begindatum=dag_erna))
    (fout,) = fouten(TR134, "JW305", changed)
    assert fout.locatie == "/Bericht/Client/StartProducten/StartProduct[2]/Begindatum"
    assert fout.klasse == "/Bericht/Client/StartProducten/StartProduct[2]"
    assert str(dag_erna) in fout.melding


def test_tr134_begindatum_on_dagtekening_is_allowed():
    jw305 = bericht("JW305")
    changed = _client(jw305, start_producten=_lijst(jw305.client.start_producten, 1, begindatum=_dagtekening(jw305)))
    assert fouten(TR134, "JW305", changed) == []


def test_tr134_stop_einddatum_after_dagtekening():
    jw307 = bericht("JW307")
    changed = _client(jw307, stop_producten=_lijst(jw307.client.stop_producten, 0, einddatum=date(2023, 8, 1)))
    (fout,) = fouten(TR134, "JW307", changed)
    assert fout.locatie == "/Bericht/Client/StopProducten/StopProduct[1]/Einddatum"
    assert fout.klasse == "/Bericht/Client/StopProducten/StopProduct[1]"


def test_tr134_toewijzingsdatum_after_dagtekening():
    jw301 = bericht("JW301")
    producten = _lijst(jw301.client.toegewezen_producten, 0, toewijzingsdatum=_dagtekening(jw301) + timedelta(days=3))
    (fout,) = fouten(TR134, "JW301", _client(jw301, toegewezen_producten=producten))
    assert fout.locatie == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]/Toewijzingsdatum"
    assert fout.klasse == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]"


def test_tr134_geboortedatum_after_dagtekening():
    (fout,) = fouten(TR134, "JW315", _geboren("JW315", date(2023, 7, 16)))
    assert fout.locatie == "/Bericht/Client/Geboortedatum/Datum" and fout.klasse == "/Bericht/Client"


def test_tr134_declaratieperiode_begindatum_after_dagtekening():
    jw323 = bericht("JW323")
    periode = vervang(jw323.declaratie.declaratie_periode, begindatum=date(2023, 6, 1), einddatum=date(2023, 6, 30))
    fouten_ = fouten(TR134, "JW323", _declaratie(jw323, declaratie_periode=periode))
    assert [(f.locatie, f.klasse) for f in fouten_] == [("/Bericht/Declaratie/DeclaratiePeriode/Begindatum", "/Bericht")]


def test_tr134_productperiode_begindatum_after_dagtekening_in_declaratie_antwoord():
    jw325 = bericht("JW325")  # Dagtekening 2023-05-07
    antwoord = jw325.declaratie_antwoord
    prestatie = antwoord.clienten[1].prestaties[0]
    laat = vervang(prestatie, product_periode=vervang(prestatie.product_periode, begindatum=date(2023, 5, 8)))
    clienten = _lijst(antwoord.clienten, 1, prestaties=[laat])
    (fout,) = fouten(TR134, "JW325", vervang(jw325, declaratie_antwoord=vervang(antwoord, clienten=clienten)))
    assert fout.locatie == "/Bericht/DeclaratieAntwoord/Clienten/Client[2]/Prestaties/Prestatie/ProductPeriode/Begindatum"
    assert fout.klasse == "/Bericht/DeclaratieAntwoord/Clienten/Client[2]/Prestaties/Prestatie"


# ---------------------------------------------------------------- TR137 Einddatum of a period


def _met_productperiode(b: Any, begindatum: date, einddatum: date) -> Any:
    prestaties = b.declaratie.clienten[0].prestaties
    periode = vervang(prestaties[0].product_periode, begindatum=begindatum, einddatum=einddatum)
    return _prestaties(b, 0, _lijst(prestaties, 0, product_periode=periode))


def test_tr137_productperiode_einddatum_before_begindatum():
    (fout,) = fouten(TR137, "JW323", _met_productperiode(bericht("JW323"), date(2023, 4, 10), date(2023, 4, 9)))
    assert fout.locatie == PRESTATIE.format(c=1, p=1) + "/ProductPeriode/Einddatum"
    assert fout.klasse == PRESTATIE.format(c=1, p=1)
    assert "2023-04-09" in fout.melding and "2023-04-10" in fout.melding


def test_tr137_productperiode_of_one_day_is_allowed():
    assert fouten(TR137, "WMO323", _met_productperiode(bericht("WMO323"), date(2023, 4, 9), date(2023, 4, 9))) == []


def test_tr137_declaratieperiode_einddatum_after_dagtekening():
    jw323 = bericht("JW323")  # Dagtekening 2023-05-06
    periode = vervang(jw323.declaratie.declaratie_periode, einddatum=date(2023, 5, 31))
    (fout,) = fouten(TR137, "JW323", _declaratie(jw323, declaratie_periode=periode))
    assert fout.locatie == "/Bericht/Declaratie/DeclaratiePeriode/Einddatum" and fout.klasse == "/Bericht"
    assert "2023-05-06" in fout.melding


def test_tr137_productperiode_einddatum_after_dagtekening_in_declaratie_antwoord():
    jw325 = bericht("JW325")
    antwoord = jw325.declaratie_antwoord
    prestatie = antwoord.clienten[0].prestaties[1]
    laat = vervang(prestatie, product_periode=vervang(prestatie.product_periode, einddatum=date(2023, 5, 31)))
    clienten = _lijst(antwoord.clienten, 0, prestaties=[antwoord.clienten[0].prestaties[0], laat])
    (fout,) = fouten(TR137, "JW325", vervang(jw325, declaratie_antwoord=vervang(antwoord, clienten=clienten)))
    assert fout.locatie == "/Bericht/DeclaratieAntwoord/Clienten/Client[1]/Prestaties/Prestatie[2]/ProductPeriode/Einddatum"
    assert fout.klasse == "/Bericht/DeclaratieAntwoord/Clienten/Client[1]/Prestaties/Prestatie[2]"


# ---------------------------------------------------------------- TR302 / TR386 / TR410 no stacking


def test_tr302_same_productcode_twice_in_overlapping_periods():
    jw301 = bericht("JW301")  # 55A11 and 55A12, both from 2026-04-01
    producten = _lijst(jw301.client.toegewezen_producten, 1, product=Product(categorie="55", code="55A11"))
    (fout,) = fouten(TR302, "JW301", _client(jw301, toegewezen_producten=producten))
    assert fout.locatie == fout.klasse == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]"
    assert "300202" in fout.melding and "300201" in fout.melding and "55A11" in fout.melding


def test_tr302_same_productcode_in_consecutive_periods_is_allowed():
    jw301 = bericht("JW301")
    eerste = jw301.client.toegewezen_producten[0]  # until 2026-07-14
    producten = _lijst(
        jw301.client.toegewezen_producten, 1, product=eerste.product, ingangsdatum=eerste.einddatum + timedelta(days=1)
    )
    assert fouten(TR302, "JW301", _client(jw301, toegewezen_producten=producten)) == []


def test_tr302_overlap_on_the_einddatum_itself():
    jw301 = bericht("JW301")
    eerste = jw301.client.toegewezen_producten[0]
    producten = _lijst(jw301.client.toegewezen_producten, 1, product=eerste.product, ingangsdatum=eerste.einddatum)
    (fout,) = fouten(TR302, "JW301", _client(jw301, toegewezen_producten=producten))
    assert fout.locatie == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]"


def test_tr302_without_productcode_the_category_counts():
    jw301 = bericht("JW301")
    producten = _lijst(jw301.client.toegewezen_producten, 1, product=Product(categorie="55"), omvang=None, budget=100000)
    (fout,) = fouten(TR302, "JW301", _client(jw301, toegewezen_producten=producten))
    assert fout.locatie == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]"
    anders = _lijst(jw301.client.toegewezen_producten, 1, product=Product(categorie="45"), omvang=None, budget=100000)
    assert fouten(TR302, "JW301", _client(jw301, toegewezen_producten=anders)) == []


def test_tr302_without_product_nothing_may_overlap():
    jw301 = bericht("JW301")
    producten = _lijst(jw301.client.toegewezen_producten, 0, product=None, omvang=None, budget=100000)
    (fout,) = fouten(TR302, "JW301", _client(jw301, toegewezen_producten=producten))
    assert fout.locatie == "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]"


def test_tr302_deleted_toewijzing_does_not_stack():
    jw301 = bericht("JW301")
    eerste = jw301.client.toegewezen_producten[0]
    verwijderd = dict(product=eerste.product, einddatum=jw301.client.toegewezen_producten[1].ingangsdatum, reden_wijziging="13")
    producten = _lijst(jw301.client.toegewezen_producten, 1, **verwijderd)
    assert fouten(TR302, "JW301", _client(jw301, toegewezen_producten=producten)) == []
    nog_geldig = _lijst(jw301.client.toegewezen_producten, 1, **{**verwijderd, "reden_wijziging": "05"})
    assert len(fouten(TR302, "JW301", _client(jw301, toegewezen_producten=nog_geldig))) == 1


def test_tr386_same_product_requested_twice_in_overlapping_periods():
    jw315 = bericht("JW315")  # 55A11 and 55A12, both 2023-04-01 .. 2024-07-19
    producten = _lijst(jw315.client.aangevraagde_producten, 1, product=Product(categorie="55", code="55A11"))
    (fout,) = fouten(TR386, "JW315", _client(jw315, aangevraagde_producten=producten))
    assert fout.locatie == fout.klasse == "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]"
    assert "40A12341235" in fout.melding and "40A12341234" in fout.melding


def test_tr386_open_ended_request_overlaps_a_later_one():
    wmo315 = bericht("WMO315")  # 01/ABCDE and 02/BCDEF, both June 2023
    producten = wmo315.client.aangevraagde_producten
    open_einde = vervang(producten[0], toewijzing_einddatum=None)
    later = vervang(
        producten[1], product=producten[0].product, toewijzing_ingangsdatum=date(2024, 1, 1), toewijzing_einddatum=None
    )
    (fout,) = fouten(TR386, "WMO315", _client(wmo315, aangevraagde_producten=[open_einde, later]))
    assert fout.locatie == "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]"


def test_tr410_same_new_product_twice_in_overlapping_periods():
    jw317 = bericht("JW317")
    nieuw = jw317.client.verzoek.nieuwe_producten[0]  # 45A03, 2023-11-01 .. 2024-02-28
    tweede = vervang(nieuw, gewenste_ingangsdatum=date(2024, 2, 1), einddatum=date(2024, 6, 30))
    (fout,) = fouten(TR410, "JW317", _verzoek(jw317, nieuwe_producten=[nieuw, tweede]))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct[2]"
    aansluitend = vervang(nieuw, gewenste_ingangsdatum=date(2024, 2, 29), einddatum=date(2024, 6, 30))
    assert fouten(TR410, "JW317", _verzoek(jw317, nieuwe_producten=[nieuw, aansluitend])) == []


# ---------------------------------------------------------------- TR315 / TR316 VorigReferentieNummer


def test_tr315_vorig_referentie_nummer_twice():
    jw323 = bericht("JW323")
    tweede = jw323.declaratie.clienten[1].prestaties[0]
    referentie = vervang(tweede.product_referentie, vorig_referentie_nummer="RN000")  # also on RN001 of client 1
    changed = _prestaties(jw323, 1, _lijst(jw323.declaratie.clienten[1].prestaties, 0, product_referentie=referentie))
    (fout,) = fouten(TR315, "JW323", changed)
    assert fout.locatie == PRESTATIE.format(c=2, p=1) + "/ProductReferentie/VorigReferentieNummer"
    assert fout.klasse == PRESTATIE.format(c=2, p=1)
    assert "RN000" in fout.melding


def test_tr315_empty_vorig_referentie_nummers_are_not_compared():
    assert fouten(TR315, "WMO323") == []  # four debet prestaties without VorigReferentieNummer


def test_tr316_credit_of_a_debet_in_the_same_message():
    wmo323 = bericht("WMO323")  # four debet prestaties RN001 .. RN004
    prestaties = wmo323.declaratie.clienten[0].prestaties
    eerste = prestaties[0]
    credit = vervang(
        eerste,
        product_referentie=vervang(eerste.product_referentie, referentie_nummer="RN005", vorig_referentie_nummer="RN001"),
        ingediend_bedrag=vervang(eerste.ingediend_bedrag, debet_credit="C"),
    )
    (fout,) = fouten(TR316, "WMO323", _prestaties(wmo323, 0, [*prestaties, credit]))
    assert fout.locatie == PRESTATIE.format(c=1, p=3) + "/ProductReferentie/VorigReferentieNummer"
    assert fout.klasse == PRESTATIE.format(c=1, p=3)
    assert "RN001" in fout.melding


# ---------------------------------------------------------------- TR335 ProductPeriode not older than 5 years


def test_tr335_productperiode_einddatum_more_than_5_years_before_declaratie_dagtekening():
    jw323 = bericht("JW323")  # DeclaratieDagtekening 2023-05-06
    (fout,) = fouten(TR335, "JW323", _met_productperiode(jw323, date(2018, 5, 1), date(2018, 5, 5)))
    assert fout.locatie == PRESTATIE.format(c=1, p=1) + "/ProductPeriode/Einddatum"
    assert fout.klasse == PRESTATIE.format(c=1, p=1)
    assert "2018-05-05" in fout.melding and "2023-05-06" in fout.melding


def test_tr335_exactly_5_years_is_allowed():
    assert fouten(TR335, "JW323", _met_productperiode(bericht("JW323"), date(2018, 5, 1), date(2018, 5, 6))) == []


# ---------------------------------------------------------------- TR342 only rejected prestaties in the 325


def _antwoord325(**changes: Any) -> Any:
    jw325 = bericht("JW325")
    return vervang(jw325, declaratie_antwoord=vervang(jw325.declaratie_antwoord, **changes))


def test_tr342_totaal_toegekend_not_explained_by_the_rejected_prestaties():
    jw325 = bericht("JW325")  # ingediend 580,00 C, toegekend 340,00 C, rejected 240,00 C
    toegekend = vervang(jw325.declaratie_antwoord.totaal_toegekend_bedrag, totaal_bedrag=35000)
    (fout,) = fouten(TR342, "JW325", _antwoord325(totaal_toegekend_bedrag=toegekend))
    assert fout.locatie == "/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag"
    assert fout.klasse == "/Bericht/DeclaratieAntwoord"
    assert "-230,00 euro" in fout.melding and "-240,00 euro" in fout.melding


def test_tr342_approved_prestatie_sent_back():
    jw325 = bericht("JW325")
    clienten = jw325.declaratie_antwoord.clienten
    goedgekeurd = _lijst(clienten, 1, prestaties=_lijst(clienten[1].prestaties, 0, retour_codes=["0200"]))
    fouten_ = fouten(TR342, "JW325", _antwoord325(clienten=goedgekeurd))
    assert [(f.locatie, f.klasse) for f in fouten_] == [
        (
            "/Bericht/DeclaratieAntwoord/Clienten/Client[2]/Prestaties/Prestatie/RetourCodes",
            "/Bericht/DeclaratieAntwoord/Clienten/Client[2]/Prestaties/Prestatie",
        )
    ]


def test_tr342_rejected_declaratie_antwoord_grants_nothing():
    jw325 = bericht("JW325")
    nul = vervang(jw325.declaratie_antwoord.totaal_toegekend_bedrag, totaal_bedrag=0, debet_credit="D")
    assert fouten(TR342, "JW325", _antwoord325(retour_codes=["9333"], totaal_toegekend_bedrag=nul, clienten=[])) == []
    (fout,) = fouten(TR342, "JW325", _antwoord325(retour_codes=["9333"], clienten=[]))
    assert fout.locatie == "/Bericht/DeclaratieAntwoord/TotaalToegekendBedrag"
    assert "9333" in fout.melding


def test_tr342_fully_granted_declaratie_has_no_prestaties():
    jw325 = bericht("JW325")
    alles = jw325.declaratie_antwoord.totaal_ingediend_bedrag
    assert fouten(TR342, "JW325", _antwoord325(retour_codes=["8001"], totaal_toegekend_bedrag=alles, clienten=[])) == []


# ---------------------------------------------------------------- TR352 / TR353 verzoek om wijziging


def test_tr352_verzoek_without_ongewijzigd_or_te_wijzigen_product():
    (fout,) = fouten(TR352, "JW317", _verzoek(bericht("JW317"), ongewijzigde_producten=[]))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Verzoek"
    assert "9003" in fout.melding


def test_tr352_a_te_wijzigen_product_is_enough():
    assert fouten(TR352, "WMO317", _verzoek(bericht("WMO317"), ongewijzigde_producten=[])) == []


def test_tr353_verzoek_without_te_wijzigen_or_nieuw_product():
    (fout,) = fouten(TR353, "JW317", _verzoek(bericht("JW317"), nieuwe_producten=[]))
    assert fout.locatie == fout.klasse == "/Bericht/Client/Verzoek"


def test_tr353_a_te_wijzigen_product_is_enough():
    assert fouten(TR353, "WMO317", _verzoek(bericht("WMO317"), nieuwe_producten=[])) == []


# ---------------------------------------------------------------- TR358 TotaalIngediendBedrag


def test_tr358_totaal_ingediend_bedrag_differs_from_the_prestaties():
    jw323 = bericht("JW323")  # 4 credits: 50 + 240 + 50 + 240 euro
    totaal = vervang(jw323.declaratie.totaal_ingediend_bedrag, totaal_bedrag=57000)
    (fout,) = fouten(TR358, "JW323", _declaratie(jw323, totaal_ingediend_bedrag=totaal))
    assert fout.locatie == "/Bericht/Declaratie/TotaalIngediendBedrag" and fout.klasse == "/Bericht"
    assert "-570,00 euro" in fout.melding and "-580,00 euro" in fout.melding


def test_tr358_debet_credit_of_the_total_counts():
    jw323 = bericht("JW323")
    totaal = vervang(jw323.declaratie.totaal_ingediend_bedrag, debet_credit="D")
    (fout,) = fouten(TR358, "JW323", _declaratie(jw323, totaal_ingediend_bedrag=totaal))
    assert fout.locatie == "/Bericht/Declaratie/TotaalIngediendBedrag"


def test_tr358_credits_are_subtracted_from_debets():
    wmo323 = bericht("WMO323")  # debets 50 + 240 + 50 + 240 euro
    prestaties = wmo323.declaratie.clienten[1].prestaties
    credit = _lijst(prestaties, 1, ingediend_bedrag=vervang(prestaties[1].ingediend_bedrag, debet_credit="C"))
    changed = _prestaties(wmo323, 1, credit)
    totaal = vervang(wmo323.declaratie.totaal_ingediend_bedrag, totaal_bedrag=5000 + 24000 + 5000 - 24000)
    assert fouten(TR358, "WMO323", _declaratie(changed, totaal_ingediend_bedrag=totaal)) == []
    assert len(fouten(TR358, "WMO323", changed)) == 1


# ---------------------------------------------------------------- TR377 / TR409 woonplaatsbeginsel (JW319)


def test_tr377_reden_8_without_woonplaatsbeginsel():
    (fout,) = fouten(TR377, "JW319", _antwoord(bericht("JW319"), woonplaatsbeginsel=None))
    assert fout.locatie == "/Bericht/Antwoord/Woonplaatsbeginsel" and fout.klasse == "/Bericht/Antwoord"


def test_tr377_does_not_apply_to_iwmo_which_has_no_woonplaatsbeginsel():
    assert fouten(TR377, "WMO319", _antwoord(bericht("WMO319"), reden_afwijzing_verzoek="8")) == []


def test_tr409_woonplaatsbeginsel_with_another_reden():
    (fout,) = fouten(TR409, "JW319", _antwoord(bericht("JW319"), reden_afwijzing_verzoek="7"))
    assert fout.locatie == fout.klasse == "/Bericht/Antwoord/Woonplaatsbeginsel"
    assert "1916" in fout.melding and "7" in fout.melding


def test_tr409_woonplaatsbeginsel_while_in_onderzoek():
    changed = _antwoord(bericht("JW319"), verzoek_antwoord="2", reden_afwijzing_verzoek=None)
    (fout,) = fouten(TR409, "JW319", changed)
    assert fout.locatie == "/Bericht/Antwoord/Woonplaatsbeginsel"


def test_tr409_woonplaatsbeginsel_in_a_wmo319_model():
    changed = _antwoord(bericht("WMO319"), woonplaatsbeginsel=Woonplaatsbeginsel(gemeente="0363"))
    (fout,) = fouten(TR409, "WMO319", changed)
    assert fout.locatie == "/Bericht/Antwoord/Woonplaatsbeginsel"


# ---------------------------------------------------------------- TR380 GewensteIngangsdatum after the Dagtekening


def test_tr380_nieuw_product_gewenste_ingangsdatum_on_dagtekening():
    jw317 = bericht("JW317")
    nieuw = _lijst(jw317.client.verzoek.nieuwe_producten, 0, gewenste_ingangsdatum=_dagtekening(jw317))
    (fout,) = fouten(TR380, "JW317", _verzoek(jw317, nieuwe_producten=nieuw))
    assert fout.locatie == "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct/GewensteIngangsdatum"
    assert fout.klasse == "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct"
    assert "2023-01-02" in fout.melding


def test_tr380_nieuw_product_the_day_after_dagtekening_is_allowed():
    jw317 = bericht("JW317")
    nieuw = _lijst(jw317.client.verzoek.nieuwe_producten, 0, gewenste_ingangsdatum=_dagtekening(jw317) + timedelta(days=1))
    assert fouten(TR380, "JW317", _verzoek(jw317, nieuwe_producten=nieuw)) == []


# ---------------------------------------------------------------- TR383 ReferentieAanbieder unique (315)


def test_tr383_referentie_aanbieder_twice():
    wmo315 = bericht("WMO315")
    producten = _lijst(wmo315.client.aangevraagde_producten, 1, referentie_aanbieder="42420001")
    (fout,) = fouten(TR383, "WMO315", _client(wmo315, aangevraagde_producten=producten))
    assert fout.locatie == "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]/ReferentieAanbieder"
    assert fout.klasse == "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]"
    assert "42420001" in fout.melding


# ---------------------------------------------------------------- TR416 one debet per toewijzing, product and period


def test_tr416_second_debet_for_the_same_toewijzing_product_and_period():
    wmo323 = bericht("WMO323")
    prestaties = wmo323.declaratie.clienten[0].prestaties
    eerste = prestaties[0]
    tweede = vervang(eerste, product_referentie=vervang(eerste.product_referentie, referentie_nummer="RN009"))
    (fout,) = fouten(TR416, "WMO323", _prestaties(wmo323, 0, [*prestaties, tweede]))
    assert fout.locatie == fout.klasse == PRESTATIE.format(c=1, p=3)
    assert str(eerste.toewijzing_nummer) in fout.melding and PRESTATIE.format(c=1, p=1) in fout.melding


def test_tr416_two_credits_for_the_same_toewijzing_are_not_debets():
    jw323 = bericht("JW323")  # RN002 and RN004: both credits on toewijzing 10073, 45A04, April 2023
    clienten = jw323.declaratie.clienten
    assert clienten[0].prestaties[1].toewijzing_nummer == clienten[1].prestaties[1].toewijzing_nummer
    assert fouten(TR416, "JW323") == []


def test_tr416_debet_for_another_period_is_allowed():
    wmo323 = bericht("WMO323")
    prestaties = wmo323.declaratie.clienten[0].prestaties
    eerste = prestaties[0]
    maart = vervang(
        eerste,
        product_referentie=vervang(eerste.product_referentie, referentie_nummer="RN009"),
        product_periode=vervang(eerste.product_periode, begindatum=date(2023, 3, 1), einddatum=date(2023, 3, 31)),
    )
    assert fouten(TR416, "WMO323", _prestaties(wmo323, 0, [*prestaties, maart])) == []
