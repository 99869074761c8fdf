"""Each rule of the declaratiecontrole with its official retourcode and the class it lands on."""

from __future__ import annotations

import dataclasses
from datetime import date

from berichten.adapters.regels import load_regelinfo
from berichten.domain.regels.catalogus import Controleniveau
from declaratie.domain.controle import NIVEAUS, REGELS, beoordeel
from declaratie.domain.toewijzingstand import START, STOP, LeveringKopie, Omvang
from declaratie.tests.declaratie_voorbeelden import (
    AGB,
    BSN_A,
    BSN_B,
    GEMEENTE,
    OKTOBER,
    PRESTATIE,
    SEPTEMBER,
    WET,
    codes,
    contract,
    credit,
    declaratie,
    een,
    eerder,
    prestatie,
    stand,
    toewijzing,
)
from runtime.domein import Uitvoeringsvariant

DECLARATIE = "/Bericht/Declaratie"


def test_de_regels_zijn_van_controleniveau_3_of_4_in_de_export() -> None:
    info = load_regelinfo()
    assert all(info[r.code].niveau in NIVEAUS for r in REGELS if r.code in info)
    assert info["TR316"].niveau is Controleniveau.BERICHTINHOUD  # skipped: the hub's XSLT rule (0001)


def test_correcte_declaratie_wordt_geaccepteerd() -> None:
    assert beoordeel(een(), stand()) == []


# ---------------------------------------------------------------- Declaratie


def test_tr333_declaratienummer_al_gebruikt() -> None:
    bevindingen = beoordeel(een(), stand(declaratienummers=frozenset({"DN2026-10"})))
    assert codes(bevindingen) == [("TR333", "9333", DECLARATIE)]
    assert bevindingen[0].locatie == f"{DECLARATIE}/DeclaratieNummer"


def test_tr318_declaratieperiode_voor_de_laatst_ingediende() -> None:
    bevindingen = beoordeel(een(), stand(laatste_declaratieperiode=date(2026, 11, 1)))
    assert codes(bevindingen) == [("TR318", "8214", DECLARATIE)]
    assert bevindingen[0].locatie == f"{DECLARATIE}/DeclaratiePeriode"


def test_tr318_dezelfde_maand_of_een_gat_is_toegestaan() -> None:
    assert beoordeel(een(), stand(laatste_declaratieperiode=date(2026, 10, 1))) == []
    assert beoordeel(een(), stand(laatste_declaratieperiode=date(2026, 6, 1))) == []


# ---------------------------------------------------------------- identification and periods


def test_tr314_referentienummer_al_aangeleverd() -> None:
    bevindingen = beoordeel(een(), stand(eerdere_prestaties=(eerder("RN1", toegekend=False),)))
    assert codes(bevindingen) == [("TR314", "8021", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/ProductReferentie/ReferentieNummer"


def test_tr314_referentienummer_twee_keer_in_een_declaratie() -> None:
    bericht = declaratie((BSN_A, [prestatie("RN1")]), (BSN_B, [prestatie("RN1", nummer=10073)]))
    assert codes(beoordeel(bericht, stand())) == [("TR314", "8021", "/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie")]


def test_tr319_productperiode_na_de_declaratieperiode() -> None:
    november = (date(2026, 11, 1), date(2026, 11, 30))
    bevindingen = beoordeel(een(prestatie(periode=november)), stand())
    assert codes(bevindingen) == [("TR319", "9319", PRESTATIE)]


def test_tr319_eerdere_productperiode_mag() -> None:
    assert beoordeel(een(prestatie(periode=SEPTEMBER)), stand()) == []


# ---------------------------------------------------------------- the toewijzing


def test_tr338_geen_toewijzing() -> None:
    bevindingen = beoordeel(een(prestatie(nummer=99999)), stand())
    assert codes(bevindingen) == [("TR338", "9338", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/ToewijzingNummer"


def test_tr338_toewijzing_van_een_andere_aanbieder() -> None:
    assert codes(beoordeel(een(), stand(toewijzingen=(toewijzing(agb="12345678"),)))) == [("TR338", "9338", PRESTATIE)]


def test_tr304_prestatie_hoort_niet_bij_deze_client() -> None:
    bericht = declaratie((BSN_A, [prestatie("RN1")]), (BSN_B, [prestatie("RN2", nummer=10073), prestatie("RN3", nummer=10072)]))
    assert codes(beoordeel(bericht, stand())) == [("TR304", "8187", "/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[2]")]


def test_tr384_verwijderde_toewijzing() -> None:
    verwijderd = toewijzing(einddatum=date(2026, 1, 1), verwijderd=True)
    assert codes(beoordeel(een(), stand(toewijzingen=(verwijderd,)))) == [("TR384", "9384", PRESTATIE)]


def test_tr307_begindatum_voor_ingangsdatum() -> None:
    bevindingen = beoordeel(een(), stand(toewijzingen=(toewijzing(ingangsdatum=date(2026, 10, 10)),)))
    assert codes(bevindingen) == [("TR307", "9307", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/ProductPeriode/Begindatum"


def test_tr308_einddatum_na_einddatum_toewijzing() -> None:
    bevindingen = beoordeel(een(), stand(toewijzingen=(toewijzing(einddatum=date(2026, 10, 20)),)))
    assert codes(bevindingen) == [("TR308", "9308", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/ProductPeriode/Einddatum"


def test_tr387_begindatum_niet_de_eerste_van_de_maand() -> None:
    bericht = een(prestatie(periode=(date(2026, 10, 5), date(2026, 10, 31))))
    assert codes(beoordeel(bericht, stand())) == [("TR387", "9387", PRESTATIE)]


def test_tr387_begindatum_is_de_latere_ingangsdatum() -> None:
    later = stand(toewijzingen=(toewijzing(ingangsdatum=date(2026, 10, 10)),))
    assert beoordeel(een(prestatie(periode=(date(2026, 10, 10), date(2026, 10, 31)), volume=120)), later) == []
    assert codes(beoordeel(een(prestatie(periode=(date(2026, 10, 12), date(2026, 10, 31)))), later)) == [("TR387", "9387", PRESTATIE)]


def test_tr388_einddatum_niet_de_laatste_van_de_maand() -> None:
    assert codes(beoordeel(een(prestatie(periode=(date(2026, 10, 1), date(2026, 10, 30)))), stand())) == [("TR388", "9388", PRESTATIE)]
    eerder_einde = stand(toewijzingen=(toewijzing(einddatum=date(2026, 10, 20)),))
    assert beoordeel(een(prestatie(periode=(date(2026, 10, 1), date(2026, 10, 20)))), eerder_einde) == []


def test_tr339_productcategorie_wijkt_af() -> None:
    bevindingen = beoordeel(een(prestatie(categorie="46")), stand(contracten=(contract(), contract(productcategorie="46"))))
    assert codes(bevindingen) == [("TR339", "9339", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/ProductCategorie"


def test_tr340_productcode_wijkt_af() -> None:
    bevindingen = beoordeel(een(prestatie(code="45A49")), stand(contracten=(contract(), contract(productcode="45A49"))))
    assert codes(bevindingen) == [("TR340", "9340", PRESTATIE)]


def test_tr340_aspecifieke_toewijzing_laat_de_code_vrij() -> None:
    aspecifiek = toewijzing(code=None, omvang=None, budget=100_000)
    assert beoordeel(een(prestatie(code="45A49")), stand(toewijzingen=(aspecifiek,), contracten=(contract(productcode="45A49"),))) == []


def test_tr341_eenheid_past_niet() -> None:
    bevindingen = beoordeel(een(prestatie(eenheid="04", volume=2)), stand())
    assert codes(bevindingen) == [("TR341", "9341", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/Eenheid"


def test_tr341_minuten_tegen_uren_is_toegestaan() -> None:
    """IV081: toewijzing and contract in hours (€65.00 per uur), declared in minutes: 300 min × 6500 / 60 = 32500."""
    uren = stand(toewijzingen=(toewijzing(omvang=Omvang(2, "04", "2")),), contracten=(contract(eenheid="04", tarief_eurocent=6500),))
    assert beoordeel(een(prestatie(volume=300, tarief=108, bedrag=32500)), uren) == []


def test_tr341_aspecifieke_toewijzing_volgt_de_eenheid_van_het_contract() -> None:
    aspecifiek = toewijzing(code=None, omvang=None, budget=100_000)
    assert codes(beoordeel(een(prestatie(eenheid="04", volume=2)), stand(toewijzingen=(aspecifiek,)))) == [("TR341", "9341", PRESTATIE)]


# ---------------------------------------------------------------- volume and budget


def test_tr321_meer_dan_de_toegewezen_weken() -> None:
    """October 2026 touches weeks 40–44: 5 × 120 min = 600 min."""
    assert beoordeel(een(prestatie(volume=600)), stand()) == []
    bevindingen = beoordeel(een(prestatie(volume=601)), stand())
    assert codes(bevindingen) == [("TR321", "9321", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/GeleverdVolume"


def test_tr321_outputgericht_telt_zondagen() -> None:
    """Outputgericht 120 per week: October 2026 has 4 Sundays (4, 11, 18, 25) = 480."""
    output = stand(toewijzingen=(toewijzing(uitvoeringsvariant=Uitvoeringsvariant.OUTPUTGERICHT),))
    assert beoordeel(een(prestatie(volume=480)), output) == []
    assert codes(beoordeel(een(prestatie(volume=481)), output)) == [("TR321", "9321", PRESTATIE)]


def test_tr322_som_over_de_toewijzing() -> None:
    """Totaal binnen geldigheidsduur 300 min; 200 accepted in September + 120 now = 320 > 300."""
    totaal = toewijzing(ingangsdatum=date(2026, 9, 1), einddatum=date(2026, 10, 31), omvang=Omvang(300, "01", "6"))
    met_september = stand(toewijzingen=(totaal,), eerdere_prestaties=(eerder(volume=200),))
    assert codes(beoordeel(een(), met_september)) == [("TR322", "9322", PRESTATIE)]
    assert beoordeel(een(prestatie(volume=100)), met_september) == []


def test_tr322_gecrediteerd_volume_komt_terug() -> None:
    totaal = toewijzing(ingangsdatum=date(2026, 9, 1), einddatum=date(2026, 10, 31), omvang=Omvang(300, "01", "6"))
    gecrediteerd = (eerder(volume=200, gecrediteerd=True), eerder("RN0C", volume=200, dc="C", vorig="RN0"))
    assert beoordeel(een(), stand(toewijzingen=(totaal,), eerdere_prestaties=gecrediteerd)) == []


def test_tr322_alleen_de_prestatie_die_over_de_grens_gaat() -> None:
    totaal = toewijzing(ingangsdatum=date(2026, 9, 1), einddatum=date(2026, 10, 31), omvang=Omvang(300, "01", "6"))
    bericht = een(prestatie("RN1", periode=SEPTEMBER, volume=200), prestatie("RN2", volume=120))
    assert codes(beoordeel(bericht, stand(toewijzingen=(totaal,)))) == [("TR322", "9322", f"{PRESTATIE}[2]")]


def test_tr369_boven_het_budget() -> None:
    """Budget €300.00; €100.00 accepted before; 120 min × €1.75 = €210.00 now: €310.00 > €300.00."""
    budget = toewijzing(code=None, omvang=None, budget=30_000)
    met_eerder = stand(toewijzingen=(budget,), eerdere_prestaties=(eerder(volume=0, bedrag=10_000),))
    assert codes(beoordeel(een(), met_eerder)) == [("TR369", "9369", PRESTATIE)]
    assert beoordeel(een(prestatie(volume=114)), met_eerder) == []  # 114 × 175 = 19950: €299.50


# ---------------------------------------------------------------- tarief and bedrag


def test_tr418_tarief_wijkt_af_van_contract() -> None:
    bevindingen = beoordeel(een(prestatie(tarief=180)), stand())
    assert codes(bevindingen) == [("TR418", "0611", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/ProductTarief"


def test_tr418_geen_contract_voor_het_product() -> None:
    assert codes(beoordeel(een(), stand(contracten=()))) == [("TR418", "0611", PRESTATIE)]


def test_tr418_nieuwe_tariefversie_geldt_vanaf_haar_begindatum() -> None:
    versies = (contract(einddatum=date(2026, 9, 30)), contract(begindatum=date(2026, 10, 1), tarief_eurocent=180))
    assert beoordeel(een(prestatie(tarief=180)), stand(contracten=versies)) == []
    assert codes(beoordeel(een(prestatie(periode=SEPTEMBER, tarief=180)), stand(contracten=versies))) == [("TR418", "0611", PRESTATIE)]


def test_tr346_bedrag_is_niet_volume_maal_tarief() -> None:
    bevindingen = beoordeel(een(prestatie(bedrag=21001)), stand())
    assert codes(bevindingen) == [("TR346", "9346", PRESTATIE)]
    assert bevindingen[0].niveau is Controleniveau.EXTERNE_BRON
    assert bevindingen[0].locatie == f"{PRESTATIE}/IngediendBedrag"


def test_tr346_minuten_tegen_uurtarief_iv081() -> None:
    """Uurtarief €65.00, 50 minuten: ProductTarief 6500 / 60 = 108.33 -> 108 (€1.08);
    IngediendBedrag 6500 × 50 / 60 = 5416.67 -> 5417 (€54.17), not 50 × 108 = 5400."""
    uren = stand(toewijzingen=(toewijzing(omvang=Omvang(2, "04", "2")),), contracten=(contract(eenheid="04", tarief_eurocent=6500),))
    assert beoordeel(een(prestatie(volume=50, tarief=108, bedrag=5417)), uren) == []
    assert codes(beoordeel(een(prestatie(volume=50, tarief=108, bedrag=5400)), uren)) == [("TR346", "9346", PRESTATIE)]
    assert codes(beoordeel(een(prestatie(volume=50, tarief=109, bedrag=5417)), uren)) == [("TR418", "0611", PRESTATIE)]


def test_tr346_eenheid_euro_wordt_niet_vermenigvuldigd() -> None:
    euro = stand(toewijzingen=(toewijzing(omvang=Omvang(50_000, "83", "4")),), contracten=(contract(eenheid="83"),))
    assert beoordeel(een(prestatie(eenheid="83", volume=40_000, tarief=None, bedrag=40_000)), euro) == []


# ---------------------------------------------------------------- credits and corrections


def test_tr323_credit_zonder_bekende_debet() -> None:
    bevindingen = beoordeel(een(credit("RN2", vorig="RN1")), stand())
    assert codes(bevindingen) == [("TR323", "8017", PRESTATIE)]
    assert bevindingen[0].locatie == f"{PRESTATIE}/ProductReferentie/VorigReferentieNummer"


def test_tr323_afgewezen_debet_kan_niet_gecrediteerd_worden() -> None:
    afgewezen = (eerder("RN1", periode=OKTOBER, toegekend=False),)
    assert codes(beoordeel(een(credit("RN2", vorig="RN1")), stand(eerdere_prestaties=afgewezen))) == [("TR323", "8017", PRESTATIE)]


def test_tr390_dubbele_credit() -> None:
    al_gecrediteerd = (eerder("RN1", periode=OKTOBER, gecrediteerd=True), eerder("RN2", periode=OKTOBER, dc="C", vorig="RN1"))
    assert codes(beoordeel(een(credit("RN3", vorig="RN1")), stand(eerdere_prestaties=al_gecrediteerd))) == [("TR390", "9390", PRESTATIE)]


def test_tr389_tweede_debet_zonder_credit() -> None:
    bevindingen = beoordeel(een(prestatie("RN2")), stand(eerdere_prestaties=(eerder("RN1", periode=OKTOBER),)))
    assert codes(bevindingen) == [("TR389", "9389", PRESTATIE)]
    assert bevindingen[0].locatie == PRESTATIE


def test_tr389_afgewezen_eerdere_debet_telt_niet() -> None:
    assert beoordeel(een(prestatie("RN2")), stand(eerdere_prestaties=(eerder("RN1", periode=OKTOBER, toegekend=False),))) == []


def test_credit_van_goedgekeurde_debet_en_nieuwe_debet_in_een_declaratie() -> None:
    """OP366: the credit is processed before the new debet, so the new debet is not a second debet."""
    goedgekeurd = stand(eerdere_prestaties=(eerder("RN1", periode=OKTOBER),))
    bericht = een(credit("RN2", vorig="RN1"), prestatie("RN3", volume=60))
    assert beoordeel(bericht, goedgekeurd) == []


def test_credit_en_daarna_nieuwe_debet_in_de_volgende_declaratie() -> None:
    goedgekeurd = stand(eerdere_prestaties=(eerder("RN1", periode=OKTOBER),))
    assert beoordeel(een(credit("RN2", vorig="RN1")), goedgekeurd) == []
    na_credit = stand(eerdere_prestaties=(eerder("RN1", periode=OKTOBER, gecrediteerd=True), eerder("RN2", periode=OKTOBER, dc="C", vorig="RN1")))
    assert beoordeel(een(prestatie("RN3", volume=60), nummer="DN2026-10b"), na_credit) == []


def test_afgewezen_credit_maakt_geen_ruimte_voor_nieuwe_debet() -> None:
    al_gecrediteerd_elders = stand(eerdere_prestaties=(eerder("RN1", periode=OKTOBER),))
    bericht = een(credit("RN2", vorig="RN9"), prestatie("RN3", volume=60))
    assert codes(beoordeel(bericht, al_gecrediteerd_elders)) == [("TR323", "8017", f"{PRESTATIE}[1]"), ("TR389", "9389", f"{PRESTATIE}[2]")]


def test_credit_wordt_niet_op_inhoud_afgewezen() -> None:
    """IV085: a credit of a granted debet is accepted even if the toewijzing was deleted since."""
    verwijderd = stand(toewijzingen=(toewijzing(einddatum=date(2026, 1, 1), verwijderd=True),), eerdere_prestaties=(eerder("RN1", periode=OKTOBER),))
    assert beoordeel(een(credit("RN2", vorig="RN1")), verwijderd) == []


# ---------------------------------------------------------------- start / stop (our own ZK001)


def _start(begindatum: date) -> LeveringKopie:
    return LeveringKopie(START, GEMEENTE, WET, AGB, BSN_A, 10072, "45", "45A48", begindatum)


def _stop(begindatum: date, einddatum: date) -> LeveringKopie:
    return LeveringKopie(STOP, GEMEENTE, WET, AGB, BSN_A, 10072, "45", "45A48", begindatum, einddatum, "31")


def test_zk001_geen_start_waar_het_contract_start_stop_verplicht_stelt() -> None:
    verplicht = stand(contracten=(contract(start_stop_verplicht=True),))
    bevindingen = beoordeel(een(), verplicht)
    assert codes(bevindingen) == [("ZK001", "9069", PRESTATIE)]
    assert beoordeel(een(), dataclasses.replace(verplicht, leveringen=(_start(date(2026, 10, 20)),))) == []


def test_zk001_gestopt_voor_de_productperiode() -> None:
    gestopt = stand(contracten=(contract(start_stop_verplicht=True),), leveringen=(_start(date(2026, 3, 1)), _stop(date(2026, 3, 1), date(2026, 9, 15))))
    assert codes(beoordeel(een(), gestopt)) == [("ZK001", "9069", PRESTATIE)]
    assert beoordeel(een(prestatie(periode=SEPTEMBER)), gestopt) == []


def test_zk001_zonder_afspraak_in_het_contract_geen_voorwaarde_op364() -> None:
    assert beoordeel(een(), stand()) == []  # no start at all, contract without start_stop_verplicht
