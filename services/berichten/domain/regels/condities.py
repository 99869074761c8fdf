"""Conditions (CD) checked inside one message (controleniveau 2).

Where each applies is the official per-element export (standaard/ijw/3.2/rules/regels-per-data-element.csv).
That export names heenberichten (and the 325) only; the retourberichten that share a model class with their
heenbericht (302, 306, 308, 316, 318, 320) are not checked: each rule declares the berichtsoorten it applies to on
its `Regel` (`soorten=`); for a retourbericht the export names only the header's RS rules, which the XSD checks.
A finding's location is the element the export places the rule on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from berichten.domain.model import (
    AangevraagdProduct,
    Adres,
    Antwoord,
    Bericht,
    Communicatie,
    Contact,
    NieuwProduct,
    Prestatie,
    Referentie,
    TeWijzigenProduct,
    ToegewezenProduct,
    Verwijzer,
    element_name,
)
from berichten.domain.regels.regel import Context, Fout, Knoop, Regel, of_type

# The (gewenste) ingangsdatum and einddatum of each product class, as named in that class.
INGANGSDATUM: dict[type, str] = {
    ToegewezenProduct: "ingangsdatum",
    AangevraagdProduct: "toewijzing_ingangsdatum",
    NieuwProduct: "gewenste_ingangsdatum",
    TeWijzigenProduct: "gewenste_ingangsdatum",
}
EINDDATUM: dict[type, str] = {
    ToegewezenProduct: "einddatum",
    AangevraagdProduct: "toewijzing_einddatum",
    NieuwProduct: "einddatum",
    TeWijzigenProduct: "einddatum",
}

# CD080, CD095, CD096, CS338, CS343: these rules apply to products whose einddatum is after this day or open.
NA_2020 = date(2020, 12, 31)

# CD066, CD067, CD068: Verwijzer types 02 huisarts, 03 jeugdarts, 04 gecertificeerde instelling, 05 medisch specialist.
_VERWIJZER_MET_ZORGVERLENERCODE = ("02", "03", "04", "05")


# ---------------------------------------------------------------- 301 Client, Contact, Adres


def _adressen(bericht: Bericht) -> Iterator[Knoop]:
    """Every Adres inside a Contact of a 301, with the Contact it belongs to as parent."""
    return (node for node in of_type(bericht, Adres) if node.ouder is not None and isinstance(node.ouder.obj, Contact))


def _cd005(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Adres/LandCode (301 Contact) is filled when Postcode is filled, and empty otherwise."""
    for node in _adressen(bericht):
        adres = node.obj
        if adres.postcode is not None and adres.land_code is None:
            yield node.fout("land_code", f"LandCode ontbreekt terwijl Postcode {adres.postcode} gevuld is")
        elif adres.postcode is None and adres.land_code is not None:
            yield node.fout("land_code", f"LandCode {adres.land_code} is gevuld terwijl Postcode leeg is; laat LandCode leeg")


CD005 = Regel("CD005", _cd005, soorten=("301",))


def _cd007(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Communicatie/Taal (301 Client) is filled when Communicatie/Vorm is 1 (tolk taal), and empty otherwise."""
    for node in of_type(bericht, Communicatie):
        communicatie = node.obj
        if communicatie.vorm == "1" and communicatie.taal is None:
            yield node.fout("taal", "Taal ontbreekt terwijl Communicatie/Vorm 1 (tolk taal) is")
        elif communicatie.vorm != "1" and communicatie.taal is not None:
            yield node.fout(
                "taal",
                f"Taal {communicatie.taal} is gevuld terwijl Communicatie/Vorm {communicatie.vorm} is; "
                "alleen bij Vorm 1 (tolk taal) vullen",
            )


CD007 = Regel("CD007", _cd007, soorten=("301",))


def _cd009(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Contact/Periode (301) may only be filled when Soort adres is 04 (tijdelijk adres)."""
    for node in of_type(bericht, Contact):  # Client/Contactgegevens and Relatie/Contact
        contact = node.obj
        if contact.periode is not None and contact.soort != "04":
            yield node.fout(
                "periode", f"Periode is gevuld bij Soort adres {contact.soort}; alleen toegestaan bij 04 (tijdelijk adres)"
            )


CD009 = Regel("CD009", _cd009, soorten=("301",))


def _cd025(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Adres/Huis (301 Contact) is filled when Adres/LandCode is NL."""
    for node in _adressen(bericht):
        if node.obj.land_code == "NL" and node.obj.huis is None:
            yield node.fout("huis", "Huis (huisnummer) ontbreekt terwijl LandCode NL (Nederland) is")


CD025 = Regel("CD025", _cd025, soorten=("301",))


def _cd034(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Adres/Postcode (301 Contact) is filled when Soort adres is 01 (BRP-adres) or 03 (verblijfadres)."""
    for node in _adressen(bericht):
        soort = node.ouder.obj.soort
        if soort in ("01", "03") and node.obj.postcode is None:
            naam = "BRP-adres" if soort == "01" else "verblijfadres"
            yield node.fout("postcode", f"Postcode ontbreekt terwijl Soort adres {soort} ({naam}) is")


CD034 = Regel("CD034", _cd034, soorten=("301",))


# ---------------------------------------------------------------- 315 AangevraagdProduct, Verwijzer


def _cd043(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """AangevraagdProduct/BeschikkingIngangsdatum (315) is filled when BeschikkingNummer is filled, and empty otherwise."""
    for node in of_type(bericht, AangevraagdProduct):
        product = node.obj
        if product.beschikking_nummer is not None and product.beschikking_ingangsdatum is None:
            yield node.fout(
                "beschikking_ingangsdatum",
                f"BeschikkingIngangsdatum ontbreekt terwijl BeschikkingNummer {product.beschikking_nummer} gevuld is",
            )
        elif product.beschikking_nummer is None and product.beschikking_ingangsdatum is not None:
            yield node.fout(
                "beschikking_ingangsdatum",
                f"BeschikkingIngangsdatum {product.beschikking_ingangsdatum} is gevuld terwijl BeschikkingNummer leeg is",
            )


CD043 = Regel("CD043", _cd043, soorten=("315",))


def _cd066(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Verwijzer/Naam (315) is empty when Type is 02-05 and ZorgverlenerCode is filled."""
    for node in of_type(bericht, Verwijzer):
        verwijzer = node.obj
        met_code = verwijzer.type in _VERWIJZER_MET_ZORGVERLENERCODE
        if met_code and verwijzer.zorgverlener_code is not None and verwijzer.naam is not None:
            yield node.fout(
                "naam",
                f"Naam {verwijzer.naam!r} is gevuld terwijl Type verwijzer {verwijzer.type} is en "
                f"ZorgverlenerCode {verwijzer.zorgverlener_code} gevuld is; laat Naam leeg",
            )


CD066 = Regel("CD066", _cd066, soorten=("315",))


def _cd067(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Verwijzer/Naam (315) is filled when Type is 02-05 and ZorgverlenerCode is empty."""
    for node in of_type(bericht, Verwijzer):
        verwijzer = node.obj
        met_code = verwijzer.type in _VERWIJZER_MET_ZORGVERLENERCODE
        if met_code and verwijzer.zorgverlener_code is None and verwijzer.naam is None:
            yield node.fout("naam", f"Naam ontbreekt terwijl Type verwijzer {verwijzer.type} is en ZorgverlenerCode leeg is")


CD067 = Regel("CD067", _cd067, soorten=("315",))


def _cd068(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Verwijzer/ZorgverlenerCode (315) is empty when Type is not 02, 03, 04 or 05."""
    for node in of_type(bericht, Verwijzer):
        verwijzer = node.obj
        if verwijzer.type not in _VERWIJZER_MET_ZORGVERLENERCODE and verwijzer.zorgverlener_code is not None:
            yield node.fout(
                "zorgverlener_code",
                f"ZorgverlenerCode {verwijzer.zorgverlener_code} is gevuld terwijl Type verwijzer {verwijzer.type} is; "
                "alleen bij 02, 03, 04 of 05 vullen",
            )


CD068 = Regel("CD068", _cd068, soorten=("315",))


# ---------------------------------------------------------------- products: 301, 315, 317


# CD075 … CD079 apply to the products of a 301, 315 or 317 (not to those in their retours).
_PRODUCTSOORTEN = ("301", "315", "317")

_MET_EINDDATUM = (ToegewezenProduct, AangevraagdProduct, NieuwProduct, TeWijzigenProduct)


def _cd075(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Einddatum (ToegewezenProduct, TeWijzigenProduct, NieuwProduct) / ToewijzingEinddatum (AangevraagdProduct)
    is filled when Budget is filled."""
    for node in of_type(bericht, *_MET_EINDDATUM):
        attribute = EINDDATUM[type(node.obj)]
        if node.obj.budget is not None and getattr(node.obj, attribute) is None:
            yield node.fout(attribute, f"{element_name(attribute)} ontbreekt terwijl Budget {node.obj.budget} gevuld is")


CD075 = Regel("CD075", _cd075, soorten=_PRODUCTSOORTEN)


def _cd076(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Einddatum / ToewijzingEinddatum is filled when Omvang/Frequentie is 2 (per week)."""
    for node in of_type(bericht, *_MET_EINDDATUM):
        attribute = EINDDATUM[type(node.obj)]
        omvang = node.obj.omvang
        if omvang is not None and omvang.frequentie == "2" and getattr(node.obj, attribute) is None:
            yield node.fout(attribute, f"{element_name(attribute)} ontbreekt terwijl Frequentie 2 (per week) is")


CD076 = Regel("CD076", _cd076, soorten=_PRODUCTSOORTEN)


def _cd077(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Omvang is empty when Budget is filled (ToegewezenProduct, AangevraagdProduct, NieuwProduct, TeWijzigenProduct)."""
    for node in of_type(bericht, *_MET_EINDDATUM):
        if node.obj.budget is not None and node.obj.omvang is not None:
            yield node.fout("omvang", f"Omvang is gevuld terwijl Budget {node.obj.budget} gevuld is; laat Omvang leeg")


CD077 = Regel("CD077", _cd077, soorten=_PRODUCTSOORTEN)


def _cd078(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Budget is empty when Omvang is filled (ToegewezenProduct, AangevraagdProduct, NieuwProduct, TeWijzigenProduct)."""
    for node in of_type(bericht, *_MET_EINDDATUM):
        omvang = node.obj.omvang
        if omvang is not None and node.obj.budget is not None:
            yield node.fout(
                "budget",
                f"Budget {node.obj.budget} is gevuld terwijl Omvang ({omvang.volume} eenheid {omvang.eenheid} "
                f"frequentie {omvang.frequentie}) gevuld is; laat Budget leeg",
            )


CD078 = Regel("CD078", _cd078, soorten=_PRODUCTSOORTEN)


def _cd079(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Product is filled when Budget is empty (ToegewezenProduct, AangevraagdProduct, NieuwProduct)."""
    for node in of_type(bericht, ToegewezenProduct, AangevraagdProduct, NieuwProduct):
        if node.obj.budget is None and node.obj.product is None:
            yield node.fout("product", "Product ontbreekt terwijl Budget leeg is")


CD079 = Regel("CD079", _cd079, soorten=_PRODUCTSOORTEN)


def _omvang_zonder_productcode(bericht: Bericht, klasse: type) -> Iterator[Fout]:
    """CD080, CD095, CD096: Omvang is empty when Product/Code is empty and the einddatum is after 2020-12-31 or open."""
    for node in of_type(bericht, klasse):
        product = node.obj.product
        attribute = EINDDATUM[klasse]
        einddatum = getattr(node.obj, attribute)
        zonder_code = product is None or product.code is None
        if node.obj.omvang is not None and zonder_code and (einddatum is None or einddatum > NA_2020):
            naam = element_name(attribute)
            wanneer = f"{naam} {einddatum} na 31-12-2020 ligt" if einddatum else f"{naam} leeg is"
            yield node.fout("omvang", f"Omvang is gevuld terwijl Product/Code leeg is en {wanneer}; laat Omvang leeg")


def _cd080(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """ToegewezenProduct/Omvang (301) is empty when Product/Code is empty and Einddatum is after 2020-12-31 or empty."""
    return _omvang_zonder_productcode(bericht, ToegewezenProduct)


CD080 = Regel("CD080", _cd080, soorten=("301",))


def _cd095(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """AangevraagdProduct/Omvang (315) is empty when Product/Code is empty and ToewijzingEinddatum is after
    2020-12-31 or empty."""
    return _omvang_zonder_productcode(bericht, AangevraagdProduct)


CD095 = Regel("CD095", _cd095, soorten=("315",))


def _cd096(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """NieuwProduct/Omvang (317) is empty when Product/Code is empty and Einddatum is after 2020-12-31 or empty."""
    return _omvang_zonder_productcode(bericht, NieuwProduct)


CD096 = Regel("CD096", _cd096, soorten=("317",))


def _cd041(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Omvang is required when Product/Code is filled (ToegewezenProduct, AangevraagdProduct, NieuwProduct)."""
    for node in of_type(bericht, ToegewezenProduct, AangevraagdProduct, NieuwProduct):
        product = node.obj.product
        if product is not None and product.code and node.obj.omvang is None:
            yield node.fout("omvang", f"Omvang ontbreekt terwijl Product/Code {product.code} gevuld is")


CD041 = Regel("CD041", _cd041, soorten=("301", "315", "317"))


# ---------------------------------------------------------------- 319 Antwoord


def _cd085(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Antwoord/RedenAfwijzingVerzoek (319) is filled when VerzoekAntwoord is 1 (verzoek afgewezen)."""
    for node in of_type(bericht, Antwoord):
        if node.obj.verzoek_antwoord == "1" and node.obj.reden_afwijzing_verzoek is None:
            yield node.fout(
                "reden_afwijzing_verzoek", "RedenAfwijzingVerzoek ontbreekt terwijl VerzoekAntwoord 1 (verzoek afgewezen) is"
            )


CD085 = Regel("CD085", _cd085, soorten=("319",))


def _cd086(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Antwoord/RedenAfwijzingVerzoek (319) is empty when VerzoekAntwoord is 2 (aanvraag in onderzoek)."""
    for node in of_type(bericht, Antwoord):
        if node.obj.verzoek_antwoord == "2" and node.obj.reden_afwijzing_verzoek is not None:
            yield node.fout(
                "reden_afwijzing_verzoek",
                f"RedenAfwijzingVerzoek {node.obj.reden_afwijzing_verzoek} is gevuld terwijl VerzoekAntwoord 2 "
                "(aanvraag in onderzoek) is; laat leeg",
            )


CD086 = Regel("CD086", _cd086, soorten=("319",))


# ---------------------------------------------------------------- 323 / 325 Prestatie


def _cd060(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Prestatie/ProductReferentie/VorigReferentieNummer (323, 325) is filled when IngediendBedrag/DebetCredit is
    C (credit), and empty otherwise."""
    for node in of_type(bericht, Referentie):
        prestatie = node.ouder.obj if node.ouder is not None else None
        if not isinstance(prestatie, Prestatie):
            continue
        referentie, debet_credit = node.obj, prestatie.ingediend_bedrag.debet_credit
        if debet_credit == "C" and referentie.vorig_referentie_nummer is None:
            yield node.fout(
                "vorig_referentie_nummer",
                f"VorigReferentieNummer ontbreekt bij prestatie {referentie.referentie_nummer} met DebetCredit C (credit)",
            )
        elif debet_credit != "C" and referentie.vorig_referentie_nummer is not None:
            yield node.fout(
                "vorig_referentie_nummer",
                f"VorigReferentieNummer {referentie.vorig_referentie_nummer} is gevuld bij prestatie "
                f"{referentie.referentie_nummer} met DebetCredit {debet_credit}; alleen bij C (credit) vullen",
            )


CD060 = Regel("CD060", _cd060, soorten=("323", "325"))


def _cd087(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Prestatie/ProductTarief (323) is filled when Eenheid is not 83 (euro's), and empty when it is."""
    for node in of_type(bericht, Prestatie):
        prestatie = node.obj
        if prestatie.eenheid != "83" and prestatie.product_tarief is None:
            yield node.fout("product_tarief", f"ProductTarief ontbreekt terwijl Eenheid {prestatie.eenheid} is (niet 83, euro's)")
        elif prestatie.eenheid == "83" and prestatie.product_tarief is not None:
            yield node.fout(
                "product_tarief", f"ProductTarief {prestatie.product_tarief} is gevuld terwijl Eenheid 83 (euro's) is; laat leeg"
            )


CD087 = Regel("CD087", _cd087, soorten=("323",))


REGELS: tuple[Regel, ...] = (
    CD005,
    CD007,
    CD009,
    CD025,
    CD034,
    CD041,
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
