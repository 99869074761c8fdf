"""The 325 on a 323 with good and bad prestaties: only the rejected ones returned, TotaalToegekendBedrag the
sum of the accepted ones (hand-checked), valid against the official JW325 XSD."""

from __future__ import annotations

from berichten.domain.retour import declaratie_antwoord
from declaratie.domain.controle import beoordeel, toegekend
from declaratie.tests.declaratie_voorbeelden import (
    BSN_A,
    BSN_B,
    SEPTEMBER,
    codec,
    codes,
    credit,
    declaratie,
    een,
    eerder,
    kop325,
    prestatie,
    stand,
)


def gemengd():  # type: ignore[no-untyped-def]
    """Cliënt A: RN11 October 120 min × €1.75 = €210.00 D (good); RN12 September 120 min × €1.80 = €216.00 D
    (tarief not the contract's €1.75: 0611).
    Cliënt B: RN13 October 120 min × €1.75 = €210.00 D (good); RN14 on cliënt A's toewijzing, €210.00 D (8187);
    RN15 credit of the granted September debet RN05, €210.00 C (good).
    TotaalIngediendBedrag = 210.00 + 216.00 + 210.00 + 210.00 − 210.00 = €636.00 D (63600).
    TotaalToegekendBedrag = 210.00 + 210.00 − 210.00 = €210.00 D (21000); rejected 216.00 + 210.00 = 426.00 = 636.00 − 210.00."""
    bericht = declaratie(
        (BSN_A, [prestatie("RN11"), prestatie("RN12", periode=SEPTEMBER, tarief=180)]),
        (BSN_B, [prestatie("RN13", nummer=10073), prestatie("RN14", nummer=10072, periode=SEPTEMBER), credit("RN15", vorig="RN05", nummer=10073, periode=SEPTEMBER)]),
    )
    return bericht, stand(eerdere_prestaties=(eerder("RN05", nummer=10073, periode=SEPTEMBER),))


def test_bevindingen_van_de_gemengde_declaratie() -> None:
    bericht, s = gemengd()
    assert bericht.declaratie.totaal_ingediend_bedrag.totaal_bedrag == 63600
    assert codes(beoordeel(bericht, s)) == [
        ("TR304", "8187", "/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[2]"),
        ("TR418", "0611", "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie[2]"),
    ]


def test_toegekend_is_de_som_van_de_geaccepteerde_prestaties() -> None:
    bericht, s = gemengd()
    geaccepteerd, afgewezen, totaal = toegekend(bericht, beoordeel(bericht, s))
    assert [p.product_referentie.referentie_nummer for p in geaccepteerd] == ["RN11", "RN13", "RN15"]
    assert [p.product_referentie.referentie_nummer for p in afgewezen] == ["RN12", "RN14"]
    assert totaal == 21000


def test_325_met_afgewezen_prestaties_en_toegekend_bedrag() -> None:
    bericht, s = gemengd()
    antwoord = declaratie_antwoord(bericht, kop325(), beoordeel(bericht, s))
    da = antwoord.declaratie_antwoord
    assert antwoord.header.retour_codes == ["0200"]
    assert da is not None and da.retour_codes == ["0200"]
    assert (da.totaal_ingediend_bedrag.totaal_bedrag, da.totaal_ingediend_bedrag.debet_credit) == (63600, "D")
    assert (da.totaal_toegekend_bedrag.totaal_bedrag, da.totaal_toegekend_bedrag.debet_credit) == (21000, "D")
    assert [(c.bsn, c.retour_codes, [(p.product_referentie.referentie_nummer, p.retour_codes) for p in c.prestaties]) for c in da.clienten] == [
        (BSN_A, ["0200"], [("RN12", ["0611"])]),
        (BSN_B, ["0200"], [("RN14", ["8187"])]),
    ]
    # TR342: the returned prestaties explain the difference (216.00 + 210.00 = 636.00 − 210.00)
    assert sum(p.ingediend_bedrag.bedrag for c in da.clienten for p in c.prestaties) == 63600 - 21000
    assert codec().decode(codec().encode(antwoord)).bericht == antwoord  # valid against the official JW325 XSD


def test_volledig_toegekend_geeft_8001() -> None:
    bericht = een(prestatie("RN1"), prestatie("RN2", periode=SEPTEMBER))  # 2 × 120 min × €1.75 = €420.00
    bevindingen = beoordeel(bericht, stand())
    assert toegekend(bericht, bevindingen)[2] == 42000
    antwoord = declaratie_antwoord(bericht, kop325(), bevindingen)
    assert antwoord.declaratie_antwoord is not None
    assert antwoord.declaratie_antwoord.retour_codes == ["8001"]
    assert antwoord.declaratie_antwoord.totaal_toegekend_bedrag.totaal_bedrag == 42000
    codec().encode(antwoord)


def test_correctie_met_creditbedrag_als_totaal() -> None:
    """Credit RN2 of granted RN1 (120 min × €1.75 = €210.00 C) and new debet RN3 (60 min × €1.75 = €105.00 D):
    toegekend 105.00 − 210.00 = −€105.00, i.e. 10500 C."""
    bericht = een(credit("RN2", vorig="RN1", periode=SEPTEMBER), prestatie("RN3", periode=SEPTEMBER, volume=60))
    s = stand(eerdere_prestaties=(eerder("RN1"),))
    bevindingen = beoordeel(bericht, s)
    assert toegekend(bericht, bevindingen) == ([*bericht.declaratie.clienten[0].prestaties], [], -10500)
    da = declaratie_antwoord(bericht, kop325(), bevindingen).declaratie_antwoord
    assert da is not None
    assert (da.totaal_toegekend_bedrag.totaal_bedrag, da.totaal_toegekend_bedrag.debet_credit) == (10500, "C")


def test_afkeur_op_de_declaratie_kent_niets_toe() -> None:
    bericht = een()
    bevindingen = beoordeel(bericht, stand(declaratienummers=frozenset({"DN2026-10"})))
    assert toegekend(bericht, bevindingen) == ([], bericht.declaratie.clienten[0].prestaties, 0)
    da = declaratie_antwoord(bericht, kop325(), bevindingen).declaratie_antwoord
    assert da is not None and da.retour_codes == ["9333"] and da.totaal_toegekend_bedrag.totaal_bedrag == 0
