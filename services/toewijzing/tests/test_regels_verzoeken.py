"""The berichtoverstijgende rules on 315 and 317: each with its official retourcode and the class it lands on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from berichten.domain.retour import Kop, retourbericht
from toewijzing.domain.regels import Stand, beoordeel
from toewijzing.domain.toewijzing import Omvang, Product, ToewijzingStatus
from toewijzing.domain.verzoek import VerzoekStatus, verzoek_uit_vow
from toewijzing.tests.regie_voorbeelden import WET, codec, toewijzing, voorbeeld

VERZOEK = "/Bericht/Client/Verzoek"
TE_WIJZIGEN = "/Bericht/Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct"
ONGEWIJZIGD = "/Bericht/Client/Verzoek/OngewijzigdeProducten/OngewijzigdProduct"


def codes(bevindingen: list) -> list[tuple[str, str, str]]:
    return [(b.regel, b.retourcode, b.klasse) for b in bevindingen]


def vot_stand(**changes: object) -> Stand:
    velden: dict[str, object] = dict(
        gemeentecode="0384", wet=WET, agb="42420001", bsn="999900006", vandaag=date(2023, 7, 15), dagtekening=date(2023, 7, 15)
    )
    velden.update(changes)
    return Stand(**velden)  # type: ignore[arg-type]


def bestaande(nummer: int = 10071, code: str | None = "45A01", **changes: object):
    velden: dict[str, object] = dict(
        gemeentecode="0384", product=Product("45", code), ingangsdatum=date(2022, 6, 1), einddatum=date(2023, 12, 31)
    )
    velden.update(changes)
    return toewijzing(nummer, code, **velden)


def vow_stand(**changes: object) -> Stand:
    velden: dict[str, object] = dict(
        gemeentecode="0384",
        wet=WET,
        agb="65656055",
        bsn="999900006",
        vandaag=date(2023, 1, 3),
        dagtekening=date(2023, 1, 2),
        toewijzingen=(bestaande(),),
    )
    velden.update(changes)
    return Stand(**velden)  # type: ignore[arg-type]


def vow(te_wijzigen: list[model.TeWijzigenProduct] | None = None, ongewijzigd: list[int] | None = None) -> model.VerzoekOmWijzigingBericht:
    """JW317; optionally with other OngewijzigdProducten and TeWijzigenProducten."""
    bericht = voorbeeld("JW317")
    v = bericht.client.verzoek
    if ongewijzigd is not None:
        v.ongewijzigde_producten = [model.OngewijzigdProduct(toewijzing_nummer=n) for n in ongewijzigd]
    if te_wijzigen is not None:
        v.te_wijzigen_producten = te_wijzigen
    return bericht


def te_wijzigen(nummer: int = 10071, ingang: date = date(2022, 6, 1), **velden: object) -> model.TeWijzigenProduct:
    return model.TeWijzigenProduct(toewijzing_nummer=nummer, gewenste_ingangsdatum=ingang, **velden)  # type: ignore[arg-type]


# ---------------------------------------------------------------- 315


def test_officieel_vot_wordt_geaccepteerd() -> None:
    assert beoordeel(voorbeeld("JW315"), vot_stand()) == []


def test_tr374_er_is_al_een_verzoek_in_behandeling() -> None:
    eerder = verzoek_uit_vow(voorbeeld("JW317"), WET, date(2023, 7, 1), "b-1")
    eerder = replace(eerder, agb="42420001")
    assert codes(beoordeel(voorbeeld("JW315"), vot_stand(verzoeken=(eerder,)))) == [("TR374", "9374", "/Bericht/Client")]


def test_tr374_afgehandeld_verzoek_telt_niet() -> None:
    eerder = verzoek_uit_vow(voorbeeld("JW317"), WET, date(2023, 7, 1), "b-1")
    afgewezen = replace(eerder, agb="42420001", status=VerzoekStatus.AFGEWEZEN)
    assert beoordeel(voorbeeld("JW315"), vot_stand(verzoeken=(afgewezen,))) == []


def test_tr347_referentie_al_gebruikt_in_vot() -> None:
    bevindingen = beoordeel(voorbeeld("JW315"), vot_stand(referenties=frozenset({"40A12341235"})))
    klasse = "/Bericht/Client/AangevraagdeProducten/AangevraagdProduct[2]"
    assert codes(bevindingen) == [("TR347", "9347", klasse)]
    assert bevindingen[0].locatie == f"{klasse}/ReferentieAanbieder"


def test_retourbericht_316_met_9347_op_het_aangevraagd_product() -> None:
    heen = voorbeeld("JW315")
    bevindingen = beoordeel(heen, vot_stand(referenties=frozenset({"40A12341234"})))
    retour_type = codec().schemas.type_for(Standaard.IJW, "316")
    kop = Kop(
        retour_type.berichtcode,
        "R-316",
        date(2023, 7, 16),
        model.XsdVersie(basisschema_xsd_versie=retour_type.basisschema_xsd_versie, bericht_xsd_versie=retour_type.bericht_xsd_versie),
    )
    retour = retourbericht(heen, kop, bevindingen)
    assert retour.header.retour_codes == ["0200"]
    assert retour.client.retour_codes == ["0200"]
    assert [p.retour_codes for p in retour.client.aangevraagde_producten] == [["9347"], ["0200"]]
    codec().encode(retour)  # valid against the official JW316 XSD


# ---------------------------------------------------------------- 317


def test_officieel_vow_wordt_geaccepteerd() -> None:
    assert beoordeel(voorbeeld("JW317"), vow_stand()) == []


def test_tr374_en_tr347_op_vow() -> None:
    open_verzoek = verzoek_uit_vow(voorbeeld("JW317"), WET, date(2022, 12, 1), "b-0")
    bevindingen = beoordeel(voorbeeld("JW317"), vow_stand(verzoeken=(open_verzoek,), referenties=frozenset({"9003"})))
    assert codes(bevindingen) == [("TR374", "9374", "/Bericht/Client"), ("TR347", "9347", VERZOEK)]


def test_tr349_actuele_toewijzing_ontbreekt() -> None:
    stand = vow_stand(toewijzingen=(bestaande(), bestaande(10072, "45A02", ingangsdatum=date(2022, 1, 1), einddatum=date(2022, 5, 31))))
    assert beoordeel(voorbeeld("JW317"), stand) == []  # 10072 ended before the Dagtekening: not current
    stand = vow_stand(toewijzingen=(bestaande(), bestaande(10073, "45A04")))
    assert codes(beoordeel(voorbeeld("JW317"), stand)) == [("TR349", "9349", VERZOEK)]


def test_tr349_nooit_verzonden_toewijzing_hoeft_niet() -> None:
    """OP095: no rejection on what the aanbieder cannot know."""
    nog_niet_verzonden = bestaande(10073, "45A04", status=ToewijzingStatus.TE_VERZENDEN)
    assert beoordeel(voorbeeld("JW317"), vow_stand(toewijzingen=(bestaande(), nog_niet_verzonden))) == []


def test_tr350_ongewijzigd_product_zonder_actuele_toewijzing() -> None:
    bevindingen = beoordeel(vow(ongewijzigd=[10071, 99999]), vow_stand())
    assert codes(bevindingen) == [("TR350", "9350", f"{ONGEWIJZIGD}[2]")]


def test_tr350_verwijderde_toewijzing_is_niet_actueel() -> None:
    verwijderd = bestaande(einddatum=date(2022, 6, 1), reden_wijziging="13")
    assert ("TR350", "9350", ONGEWIJZIGD) in codes(beoordeel(voorbeeld("JW317"), vow_stand(toewijzingen=(verwijderd,))))


def test_tr351_te_wijzigen_product_zonder_actuele_toewijzing() -> None:
    bericht = vow(ongewijzigd=[10071], te_wijzigen=[te_wijzigen(99999, date(2023, 3, 1), omvang=model.Omvang(volume=2, eenheid="04", frequentie="2"))])
    assert codes(beoordeel(bericht, vow_stand())) == [("TR351", "9351", TE_WIJZIGEN)]


def test_tr357_gewenste_ingangsdatum_in_het_verleden_wijkt_af() -> None:
    omvang = model.Omvang(volume=6, eenheid="04", frequentie="2")
    bericht = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(ingang=date(2022, 12, 1), omvang=omvang)])
    bevindingen = beoordeel(bericht, vow_stand())
    assert codes(bevindingen) == [("TR357", "9357", TE_WIJZIGEN)]
    assert bevindingen[0].locatie.endswith("/GewensteIngangsdatum")
    toekomst = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(ingang=date(2023, 2, 1), omvang=omvang)])
    assert beoordeel(toekomst, vow_stand()) == []


def test_tr373_budgetwijziging_op_de_ingangsdatum() -> None:
    budget = bestaande(code=None, omvang=None, budget=100_000, product=Product("45", None))
    bericht = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(ingang=date(2023, 2, 1), budget=150_000, einddatum=date(2023, 10, 31))])
    assert codes(beoordeel(bericht, vow_stand(toewijzingen=(budget,)))) == [("TR373", "9373", TE_WIJZIGEN)]
    goed = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(ingang=date(2022, 6, 1), budget=150_000, einddatum=date(2023, 10, 31))])
    assert beoordeel(goed, vow_stand(toewijzingen=(budget,))) == []


def test_tr373_totaal_binnen_geldigheidsduur() -> None:
    totaal = bestaande(omvang=Omvang(40, "04", "6"))
    bericht = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(ingang=date(2023, 2, 1), omvang=model.Omvang(volume=60, eenheid="04", frequentie="6"))])
    assert codes(beoordeel(bericht, vow_stand(toewijzingen=(totaal,)))) == [("TR373", "9373", TE_WIJZIGEN)]


def test_tr361_overlap_met_nieuw_product() -> None:
    zelfde = bestaande(code="45A03")  # the NieuwProduct asks 45A03 from 2023-11-01, inside 10071's period
    assert codes(beoordeel(voorbeeld("JW317"), vow_stand(toewijzingen=(zelfde,)))) == [("TR361", "9361", VERZOEK)]


def test_tr361_geen_overlap_na_wijziging_van_de_einddatum() -> None:
    zelfde = bestaande(code="45A03")
    omvang = model.Omvang(volume=4, eenheid="04", frequentie="2")
    bericht = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(ingang=date(2022, 6, 1), einddatum=date(2023, 10, 31), omvang=omvang)])
    assert beoordeel(bericht, vow_stand(toewijzingen=(zelfde,))) == []


def test_tr411_omvang_verplicht_bij_productcode() -> None:
    bericht = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(einddatum=date(2023, 10, 31))])
    bevindingen = beoordeel(bericht, vow_stand())
    assert codes(bevindingen) == [("TR411", "9411", TE_WIJZIGEN)]
    assert bevindingen[0].locatie.endswith("/Omvang")


def test_tr412_geen_omvang_zonder_productcode() -> None:
    aspecifiek = bestaande(code=None, product=Product("45", None), omvang=None)
    omvang = model.Omvang(volume=4, eenheid="04", frequentie="2")
    bericht = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(einddatum=date(2023, 10, 31), omvang=omvang)])
    assert codes(beoordeel(bericht, vow_stand(toewijzingen=(aspecifiek,)))) == [("TR412", "9412", TE_WIJZIGEN)]
    voor_2021 = vow(ongewijzigd=[], te_wijzigen=[te_wijzigen(einddatum=date(2020, 12, 31), omvang=omvang)])
    assert [b.regel for b in beoordeel(voor_2021, vow_stand(toewijzingen=(aspecifiek,)))] == []
