"""The conditions (CD) of controleniveau 2: an official example, changed in one place to break the rule, fails it
at the element the official export names (the official examples themselves pass: test_regels_voorbeelden)."""

from __future__ import annotations

from datetime import date
from typing import Any

from berichten.domain.model import OpenPeriode, Product
from berichten.domain.regels.condities import (
    CD005,
    CD007,
    CD009,
    CD025,
    CD034,
    CD043,
    CD060,
    CD066,
    CD067,
    CD068,
    CD075,
    CD076,
    CD077,
    CD078,
    CD079,
    CD080,
    CD085,
    CD086,
    CD087,
    CD095,
    CD096,
)

from .regelhulp import bericht, fouten, vervang

TOEGEWEZEN = "/Bericht/Client/ToegewezenProducten/ToegewezenProduct"
CONTACT = "/Bericht/Client/Contactgegevens/Contact"
AANGEVRAAGD = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct"
NIEUW = "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct"
TE_WIJZIGEN = "/Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct"
PRESTATIE = "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[1]"


def _in_lijst(items: list[Any], index: int, **changes: Any) -> list[Any]:
    return [vervang(item, **changes) if i == index else item for i, item in enumerate(items)]


def toegewezen(name: str, index: int = 0, **changes: Any) -> Any:
    """The 301 `name` with its ToegewezenProduct number `index` (from 0) changed."""
    b = bericht(name)
    return vervang(b, client=vervang(b.client, toegewezen_producten=_in_lijst(b.client.toegewezen_producten, index, **changes)))


def contact(name: str, index: int = 0, **changes: Any) -> Any:
    """The 301 `name` with the client's Contact number `index` (from 0) changed."""
    b = bericht(name)
    return vervang(b, client=vervang(b.client, contactgegevens=_in_lijst(b.client.contactgegevens, index, **changes)))


def adres(name: str, index: int = 0, **changes: Any) -> Any:
    """The 301 `name` with the Adres of the client's Contact number `index` changed."""
    b = bericht(name)
    gewijzigd = vervang(b.client.contactgegevens[index].adres, **changes)
    return contact(name, index, adres=gewijzigd)


def aangevraagd(name: str, index: int = 0, **changes: Any) -> Any:
    """The 315 `name` with its AangevraagdProduct number `index` changed."""
    b = bericht(name)
    producten = _in_lijst(b.client.aangevraagde_producten, index, **changes)
    return vervang(b, client=vervang(b.client, aangevraagde_producten=producten))


def verwijzer(name: str, index: int = 0, **changes: Any) -> Any:
    b = bericht(name)
    return aangevraagd(name, index, verwijzer=vervang(b.client.aangevraagde_producten[index].verwijzer, **changes))


def verzoek(name: str, **changes: Any) -> Any:
    """The 317 `name` with its Verzoek changed; `nieuw` / `te_wijzigen` change the first product of that kind."""
    b = bericht(name)
    v = b.client.verzoek
    nieuw, te_wijzigen = changes.pop("nieuw", None), changes.pop("te_wijzigen", None)
    if nieuw:
        changes["nieuwe_producten"] = _in_lijst(v.nieuwe_producten, 0, **nieuw)
    if te_wijzigen:
        changes["te_wijzigen_producten"] = _in_lijst(v.te_wijzigen_producten, 0, **te_wijzigen)
    return vervang(b, client=vervang(b.client, verzoek=vervang(v, **changes)))


def prestatie(name: str, **changes: Any) -> Any:
    """The 323 or 325 `name` with the first Prestatie of the first Client changed."""
    b = bericht(name)
    field = "declaratie" if hasattr(b, "declaratie") else "declaratie_antwoord"
    declaratie = getattr(b, field)
    client = declaratie.clienten[0]
    clienten = [vervang(client, prestaties=_in_lijst(client.prestaties, 0, **changes)), *declaratie.clienten[1:]]
    return vervang(b, **{field: vervang(declaratie, clienten=clienten)})


def antwoord(name: str, **changes: Any) -> Any:
    b = bericht(name)
    return vervang(b, antwoord=vervang(b.antwoord, **changes))


# ---------------------------------------------------------------- 301 Client, Contact, Adres


def test_cd005_landcode_missing_with_a_postcode():
    (fout,) = fouten(CD005, "JW301", adres("JW301", 0, land_code=None))
    assert fout.locatie == f"{CONTACT}[1]/Adres/LandCode" and fout.klasse == f"{CONTACT}[1]"


def test_cd005_landcode_filled_without_a_postcode_in_a_relatie_contact():
    b = bericht("WMO301")
    relatie = b.client.relaties[1]
    zonder_postcode = vervang(relatie.contact, adres=vervang(relatie.contact.adres, postcode=None))
    changed = vervang(b, client=vervang(b.client, relaties=_in_lijst(b.client.relaties, 1, contact=zonder_postcode)))
    (fout,) = fouten(CD005, "WMO301", changed)
    assert fout.locatie == "/Bericht/Client/Relaties/Relatie[2]/Contact/Adres/LandCode"
    assert fout.klasse == "/Bericht/Client/Relaties/Relatie[2]/Contact"


def test_cd007_taal_missing_with_communicatievorm_tolk_taal():
    b = bericht("JW301")
    changed = vervang(b, client=vervang(b.client, communicatie=vervang(b.client.communicatie, taal=None)))
    (fout,) = fouten(CD007, "JW301", changed)
    assert fout.locatie == "/Bericht/Client/Communicatie/Taal" and fout.klasse == "/Bericht/Client"


def test_cd007_taal_filled_with_another_communicatievorm():
    b = bericht("WMO301")
    changed = vervang(b, client=vervang(b.client, communicatie=vervang(b.client.communicatie, vorm="2")))
    (fout,) = fouten(CD007, "WMO301", changed)
    assert fout.locatie == "/Bericht/Client/Communicatie/Taal" and "Deens" in fout.melding


def test_cd009_periode_on_a_contact_that_is_not_a_tijdelijk_adres():
    changed = contact("JW301", 0, periode=OpenPeriode(begindatum=date(2026, 1, 1)))
    (fout,) = fouten(CD009, "JW301", changed)
    assert fout.locatie == f"{CONTACT}[1]/Periode" and fout.klasse == f"{CONTACT}[1]"


def test_cd025_huis_missing_in_a_dutch_address():
    (fout,) = fouten(CD025, "JW301", adres("JW301", 1, huis=None))
    assert fout.locatie == f"{CONTACT}[2]/Adres/Huis" and fout.klasse == f"{CONTACT}[2]"


def test_cd025_huis_may_be_missing_in_a_foreign_address():
    assert fouten(CD025, "WMO301", adres("WMO301", 0, huis=None)) == []  # LandCode AD


def test_cd034_postcode_missing_in_a_verblijfadres():
    (fout,) = fouten(CD034, "JW301", adres("JW301", 0, postcode=None))  # Soort 03
    assert fout.locatie == f"{CONTACT}[1]/Adres/Postcode" and fout.klasse == f"{CONTACT}[1]"


def test_cd034_postcode_may_be_missing_in_a_tijdelijk_adres():
    assert fouten(CD034, "JW301", adres("JW301", 1, postcode=None)) == []  # Soort 04


# ---------------------------------------------------------------- 315 AangevraagdProduct, Verwijzer


def test_cd043_beschikkingingangsdatum_missing_with_a_beschikkingnummer():
    (fout,) = fouten(CD043, "JW315", aangevraagd("JW315", 0, beschikking_ingangsdatum=None))
    assert fout.locatie == f"{AANGEVRAAGD}[1]/BeschikkingIngangsdatum" and fout.klasse == f"{AANGEVRAAGD}[1]"


def test_cd043_beschikkingingangsdatum_without_beschikkingnummer():
    (fout,) = fouten(CD043, "WMO315", aangevraagd("WMO315", 1, beschikking_nummer=None))
    assert fout.locatie == f"{AANGEVRAAGD}[2]/BeschikkingIngangsdatum"


def test_cd066_verwijzer_naam_filled_next_to_a_zorgverlenercode():
    (fout,) = fouten(CD066, "JW315", verwijzer("JW315", 1, naam="Huisarts Jansen"))  # Type 02 with ZorgverlenerCode
    assert fout.locatie == f"{AANGEVRAAGD}[2]/Verwijzer/Naam" and fout.klasse == f"{AANGEVRAAGD}[2]"


def test_cd067_verwijzer_naam_missing_without_a_zorgverlenercode():
    (fout,) = fouten(CD067, "WMO315", verwijzer("WMO315", 0, naam=None))  # Type 04
    assert fout.locatie == f"{AANGEVRAAGD}[1]/Verwijzer/Naam" and fout.klasse == f"{AANGEVRAAGD}[1]"


def test_cd067_a_gemeente_as_verwijzer_needs_no_naam():
    assert fouten(CD067, "JW315", verwijzer("JW315", 0, naam=None)) == []  # Type 01


def test_cd068_zorgverlenercode_with_a_gemeente_as_verwijzer():
    (fout,) = fouten(CD068, "JW315", verwijzer("JW315", 0, zorgverlener_code="12345678"))  # Type 01
    assert fout.locatie == f"{AANGEVRAAGD}[1]/Verwijzer/ZorgverlenerCode" and fout.klasse == f"{AANGEVRAAGD}[1]"


# ---------------------------------------------------------------- products: 301, 315, 317


def test_cd075_einddatum_missing_with_a_budget():
    (fout,) = fouten(CD075, "JW301", toegewezen("JW301", 0, omvang=None, budget=150000, einddatum=None))
    assert fout.locatie == f"{TOEGEWEZEN}[1]/Einddatum" and fout.klasse == f"{TOEGEWEZEN}[1]"


def test_cd075_toewijzingeinddatum_missing_with_a_budget_in_a_vot():
    (fout,) = fouten(CD075, "WMO315", aangevraagd("WMO315", 1, omvang=None, budget=50000, toewijzing_einddatum=None))
    assert fout.locatie == f"{AANGEVRAAGD}[2]/ToewijzingEinddatum"


def test_cd075_einddatum_missing_with_a_budget_in_a_te_wijzigen_product():
    (fout,) = fouten(CD075, "WMO317", verzoek("WMO317", te_wijzigen={"budget": 50000, "einddatum": None}))
    assert fout.locatie == f"{TE_WIJZIGEN}/Einddatum" and fout.klasse == TE_WIJZIGEN


def test_cd076_einddatum_missing_with_frequentie_per_week():
    (fout,) = fouten(CD076, "JW301", toegewezen("JW301", 1, einddatum=None))  # Frequentie 2
    assert fout.locatie == f"{TOEGEWEZEN}[2]/Einddatum" and fout.klasse == f"{TOEGEWEZEN}[2]"


def test_cd076_einddatum_missing_with_frequentie_per_week_in_a_nieuw_product():
    b = bericht("JW317")
    omvang = vervang(b.client.verzoek.nieuwe_producten[0].omvang, frequentie="2")
    (fout,) = fouten(CD076, "JW317", verzoek("JW317", nieuw={"omvang": omvang, "einddatum": None}))
    assert fout.locatie == f"{NIEUW}/Einddatum" and fout.klasse == NIEUW


def test_cd077_omvang_filled_next_to_a_budget():
    (fout,) = fouten(CD077, "WMO301", toegewezen("WMO301", 0, budget=120000))
    assert fout.locatie == f"{TOEGEWEZEN}/Omvang" and fout.klasse == TOEGEWEZEN


def test_cd078_budget_filled_next_to_an_omvang():
    (fout,) = fouten(CD078, "JW315", aangevraagd("JW315", 1, budget=120000))
    assert fout.locatie == f"{AANGEVRAAGD}[2]/Budget" and "120000" in fout.melding


def test_cd079_product_missing_without_a_budget():
    (fout,) = fouten(CD079, "JW301", toegewezen("JW301", 0, product=None))
    assert fout.locatie == f"{TOEGEWEZEN}[1]/Product" and fout.klasse == f"{TOEGEWEZEN}[1]"


def test_cd079_product_missing_without_a_budget_in_a_nieuw_product():
    (fout,) = fouten(CD079, "JW317", verzoek("JW317", nieuw={"product": None}))
    assert fout.locatie == f"{NIEUW}/Product"


def test_cd079_a_generic_toewijzing_with_a_budget_needs_no_product():
    assert fouten(CD079, "JW301", toegewezen("JW301", 0, product=None, omvang=None, budget=150000)) == []


def test_cd080_omvang_filled_without_a_productcode():
    (fout,) = fouten(CD080, "JW301", toegewezen("JW301", 0, product=Product(categorie="55")))
    assert fout.locatie == f"{TOEGEWEZEN}[1]/Omvang" and fout.klasse == f"{TOEGEWEZEN}[1]"


def test_cd080_omvang_without_a_productcode_is_allowed_when_the_toewijzing_ended_before_2021():
    changed = toegewezen("JW301", 0, product=Product(categorie="55"), einddatum=date(2020, 12, 31))
    assert fouten(CD080, "JW301", changed) == []


def test_cd095_omvang_filled_without_a_productcode_in_a_vot():
    (fout,) = fouten(CD095, "JW315", aangevraagd("JW315", 0, product=Product(categorie="55")))
    assert fout.locatie == f"{AANGEVRAAGD}[1]/Omvang" and fout.klasse == f"{AANGEVRAAGD}[1]"


def test_cd096_omvang_filled_without_a_productcode_in_a_nieuw_product():
    (fout,) = fouten(CD096, "WMO317", verzoek("WMO317", nieuw={"product": Product(categorie="01"), "einddatum": None}))
    assert fout.locatie == f"{NIEUW}/Omvang" and fout.klasse == NIEUW


# ---------------------------------------------------------------- 319 Antwoord


def test_cd085_redenafwijzingverzoek_missing_when_the_verzoek_is_afgewezen():
    (fout,) = fouten(CD085, "WMO319", antwoord("WMO319", reden_afwijzing_verzoek=None))
    assert fout.locatie == "/Bericht/Antwoord/RedenAfwijzingVerzoek" and fout.klasse == "/Bericht/Antwoord"


def test_cd086_redenafwijzingverzoek_filled_when_the_verzoek_is_in_onderzoek():
    (fout,) = fouten(CD086, "JW319", antwoord("JW319", verzoek_antwoord="2", woonplaatsbeginsel=None))
    assert fout.locatie == "/Bericht/Antwoord/RedenAfwijzingVerzoek" and fout.klasse == "/Bericht/Antwoord"


def test_cd086_is_not_checked_in_the_320_retour():
    assert fouten(CD086, "JW320", antwoord("JW320", reden_afwijzing_verzoek="3")) == []


# ---------------------------------------------------------------- 323 / 325 Prestatie


def test_cd060_vorigreferentienummer_missing_in_a_credit_prestatie():
    b = bericht("JW323")
    referentie = vervang(b.declaratie.clienten[0].prestaties[0].product_referentie, vorig_referentie_nummer=None)
    (fout,) = fouten(CD060, "JW323", prestatie("JW323", product_referentie=referentie))
    assert fout.locatie == f"{PRESTATIE}/ProductReferentie/VorigReferentieNummer" and fout.klasse == PRESTATIE


def test_cd060_vorigreferentienummer_filled_in_a_debet_prestatie():
    b = bericht("WMO323")
    referentie = vervang(b.declaratie.clienten[0].prestaties[0].product_referentie, vorig_referentie_nummer="RN000")
    (fout,) = fouten(CD060, "WMO323", prestatie("WMO323", product_referentie=referentie))
    assert fout.locatie == f"{PRESTATIE}/ProductReferentie/VorigReferentieNummer" and "RN000" in fout.melding


def test_cd060_vorigreferentienummer_missing_in_a_credit_prestatie_of_a_325():
    b = bericht("JW325")
    referentie = vervang(b.declaratie_antwoord.clienten[0].prestaties[0].product_referentie, vorig_referentie_nummer=None)
    (fout,) = fouten(CD060, "JW325", prestatie("JW325", product_referentie=referentie))
    klasse = "/Bericht/DeclaratieAntwoord/Clienten/Client[1]/Prestaties/Prestatie[1]"
    assert fout.locatie == f"{klasse}/ProductReferentie/VorigReferentieNummer" and fout.klasse == klasse


def test_cd087_producttarief_missing_with_an_eenheid_other_than_euros():
    (fout,) = fouten(CD087, "WMO323", prestatie("WMO323", product_tarief=None))
    assert fout.locatie == f"{PRESTATIE}/ProductTarief" and fout.klasse == PRESTATIE


def test_cd087_producttarief_filled_with_eenheid_euros():
    (fout,) = fouten(CD087, "JW323", prestatie("JW323", eenheid="83", geleverd_volume=5000))
    assert fout.locatie == f"{PRESTATIE}/ProductTarief" and "83" in fout.melding
