"""The berichtoverstijgende rules on 305 and 307: each with its official retourcode and the class it lands on."""

from __future__ import annotations

import dataclasses
from datetime import date

from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from berichten.domain.regels.catalogus import Controleniveau
from berichten.domain.retour import Kop, retourbericht
from toewijzing.domain.regels import Stand, beoordeel
from toewijzing.domain.toewijzing import Product
from toewijzing.tests.regie_voorbeelden import AGB, BSN, GEMEENTE, WET, codec, start, stop, toewijzing, voorbeeld

START_1 = "/Bericht/Client/StartProducten/StartProduct[1]"
START_2 = "/Bericht/Client/StartProducten/StartProduct[2]"
STOP_1 = "/Bericht/Client/StopProducten/StopProduct[1]"
STOP_2 = "/Bericht/Client/StopProducten/StopProduct[2]"


def stand(**changes: object) -> Stand:
    velden: dict[str, object] = dict(
        gemeentecode=GEMEENTE,
        wet=WET,
        agb=AGB,
        bsn=BSN,
        vandaag=date(2023, 7, 25),
        dagtekening=date(2023, 7, 25),
        toewijzingen=(toewijzing(300201, "55A11"), toewijzing(300202, "55A12")),
    )
    velden.update(changes)
    return Stand(**velden)  # type: ignore[arg-type]


def codes(bevindingen: list) -> list[tuple[str, str, str]]:
    return [(b.regel, b.retourcode, b.klasse) for b in bevindingen]


def een_start(**changes: object) -> model.StartBericht:
    """JW305 with only its first StartProduct (path without index), changed as asked."""
    bericht = voorbeeld("JW305")
    bericht.client.start_producten = [dataclasses.replace(bericht.client.start_producten[0], **changes)]
    return bericht


def een_stop(**changes: object) -> model.StopBericht:
    bericht = voorbeeld("JW307")
    bericht.client.stop_producten = [dataclasses.replace(bericht.client.stop_producten[0], **changes)]
    return bericht


# ---------------------------------------------------------------- 305


def test_officieel_startbericht_wordt_geaccepteerd() -> None:
    assert beoordeel(voorbeeld("JW305"), stand()) == []


def test_tr019_start_zonder_bestaande_toewijzing() -> None:
    bevindingen = beoordeel(voorbeeld("JW305"), stand(toewijzingen=(toewijzing(300201),)))
    assert codes(bevindingen) == [("TR019", "9019", START_2)]
    assert bevindingen[0].locatie == f"{START_2}/ToewijzingNummer"
    assert bevindingen[0].niveau is Controleniveau.BERICHTOVERSTIJGEND


def test_tr019_product_wijkt_af_van_toewijzing() -> None:
    bericht = een_start(product=model.Product(categorie="55", code="55A99"))
    bevindingen = beoordeel(bericht, stand())
    assert codes(bevindingen) == [("TR019", "9019", "/Bericht/Client/StartProducten/StartProduct")]
    assert bevindingen[0].locatie.endswith("/Product")


def test_tr019_generieke_toewijzing_vraagt_generieke_start() -> None:
    generiek = toewijzing(300201, code=None, product=Product(), omvang=None, budget=100_000)
    assert codes(beoordeel(een_start(), stand(toewijzingen=(generiek,)))) == [("TR019", "9019", "/Bericht/Client/StartProducten/StartProduct")]
    assert beoordeel(een_start(product=None), stand(toewijzingen=(generiek,))) == []


def test_tr019_taakgericht_zonder_toewijzingnummer() -> None:
    bericht = een_start(toewijzing_nummer=None, toewijzing_ingangsdatum=None)
    assert codes(beoordeel(bericht, stand())) == [("TR019", "9019", "/Bericht/Client/StartProducten/StartProduct")]
    assert beoordeel(bericht, stand(taakgerichte_producten=frozenset({Product("55", "55A11")}))) == []


def test_tr326_er_is_al_een_actuele_start() -> None:
    eerder = start(begindatum=date(2023, 3, 1))
    assert codes(beoordeel(een_start(), stand(starts=(eerder,)))) == [("TR326", "9326", "/Bericht/Client/StartProducten/StartProduct")]


def test_tr326_na_een_tijdelijke_stop_mag_een_nieuwe_start() -> None:
    eerder = start(begindatum=date(2023, 3, 1))
    tijdelijk = stop(begindatum=date(2023, 3, 1), einddatum=date(2023, 3, 20), reden="20")
    assert beoordeel(een_start(), stand(starts=(eerder,), stops=(tijdelijk,))) == []


def test_tr326_niet_als_de_actuele_start_in_hetzelfde_bericht_verwijderd_wordt() -> None:
    bericht = voorbeeld("JW305")
    weg, nieuw = bericht.client.start_producten
    weg.toewijzing_nummer, weg.product.code, weg.status_aanlevering = 300201, "55A11", "3"
    nieuw.toewijzing_nummer, nieuw.product.code = 300201, "55A11"  # begindatum 2023-04-15: another key
    assert beoordeel(bericht, stand(starts=(start(),))) == []


def test_tr063_verwijderen_zonder_eerdere_aanlevering() -> None:
    bevindingen = beoordeel(een_start(status_aanlevering="3"), stand())
    assert codes(bevindingen) == [("TR063", "9063", "/Bericht/Client/StartProducten/StartProduct")]
    assert bevindingen[0].locatie.endswith("/StatusAanlevering")


def test_tr063_verwijderen_met_eerdere_aanlevering_wordt_geaccepteerd() -> None:
    assert beoordeel(een_start(status_aanlevering="3"), stand(starts=(start(),))) == []


def test_tr071_gestopte_start_kan_niet_verwijderd_worden() -> None:
    bevindingen = beoordeel(een_start(status_aanlevering="3"), stand(starts=(start(),), stops=(stop(),)))
    assert codes(bevindingen) == [("TR071", "9071", "/Bericht/Client/StartProducten/StartProduct")]


def test_tr074_sleutel_al_ontvangen() -> None:
    tijdelijk_gestopt = (stop(reden="20"),)  # so TR326 is not what rejects it
    bevindingen = beoordeel(een_start(), stand(starts=(start(),), stops=tijdelijk_gestopt))
    assert codes(bevindingen) == [("TR074", "9074", "/Bericht/Client/StartProducten/StartProduct")]


def test_tr074_verwijderde_aanlevering_telt_niet() -> None:
    assert beoordeel(een_start(), stand(starts=(start(verwijderd=True),))) == []


def test_retourbericht_306_zet_de_code_op_de_juiste_klasse() -> None:
    """IV028: header 0200, Client 0200, the rejected StartProduct its code, the others 0200."""
    heen = voorbeeld("JW305")
    heen.client.start_producten[1].status_aanlevering = "3"
    bevindingen = beoordeel(heen, stand())
    assert codes(bevindingen) == [("TR063", "9063", START_2)]
    retour_type = codec().schemas.type_for(Standaard.IJW, "306")
    kop = Kop(
        bericht_code=retour_type.berichtcode,
        identificatie="R1",
        dagtekening=date(2023, 7, 26),
        xsd_versie=model.XsdVersie(basisschema_xsd_versie=retour_type.basisschema_xsd_versie, bericht_xsd_versie=retour_type.bericht_xsd_versie),
    )
    retour = retourbericht(heen, kop, bevindingen)
    assert retour.header.retour_codes == ["0200"]
    assert retour.client.retour_codes == ["0200"]
    assert [p.retour_codes for p in retour.client.start_producten] == [["0200"], ["9063"]]
    assert codec().decode(codec().encode(retour)).bericht == retour  # valid against the official JW306 XSD


# ---------------------------------------------------------------- 307


def stop_stand(**changes: object) -> Stand:
    return stand(starts=(start(), start(300202, "55A12", begindatum=date(2023, 4, 15))), **changes)


def test_officieel_stopbericht_wordt_geaccepteerd() -> None:
    assert beoordeel(voorbeeld("JW307"), stop_stand()) == []


def test_tr019_stop_zonder_bestaande_toewijzing() -> None:
    bevindingen = beoordeel(voorbeeld("JW307"), stop_stand(toewijzingen=(toewijzing(300202, "55A12"),)))
    assert codes(bevindingen) == [("TR019", "9019", STOP_1)]


def test_tr382_stop_neemt_sleutel_van_start_niet_over() -> None:
    bericht = een_stop(begindatum=date(2023, 4, 4))
    assert codes(beoordeel(bericht, stop_stand())) == [("TR382", "9069", "/Bericht/Client/StopProducten/StopProduct")]


def test_tr382_stop_zonder_start() -> None:
    assert codes(beoordeel(voorbeeld("JW307"), stand())) == [("TR382", "9069", STOP_1), ("TR382", "9069", STOP_2)]


def test_tr063_stop_verwijderen_zonder_eerdere_stop() -> None:
    bericht = een_stop(status_aanlevering="3")
    assert codes(beoordeel(bericht, stop_stand())) == [("TR063", "9063", "/Bericht/Client/StopProducten/StopProduct")]
    assert beoordeel(bericht, stop_stand(stops=(stop(),))) == []


def test_tr074_stop_sleutel_al_ontvangen() -> None:
    bevindingen = beoordeel(een_stop(reden_beeindiging="20"), stop_stand(stops=(stop(reden="20"),)))
    assert ("TR074", "9074", "/Bericht/Client/StopProducten/StopProduct") in codes(bevindingen)


def test_tr413_geen_tweede_tijdelijke_stop() -> None:
    tijdelijk = stop(einddatum=date(2023, 5, 1), reden="20")
    bevindingen = beoordeel(een_stop(reden_beeindiging="20"), stop_stand(stops=(tijdelijk,)))
    assert codes(bevindingen) == [("TR413", "9413", "/Bericht/Client/StopProducten/StopProduct")]
    assert bevindingen[0].locatie.endswith("/RedenBeeindiging")


def test_definitieve_stop_na_tijdelijke_stop_is_toegestaan() -> None:
    tijdelijk = stop(einddatum=date(2023, 5, 1), reden="20")
    assert beoordeel(een_stop(), stop_stand(stops=(tijdelijk,))) == []


def test_tr414_einddatum_voor_die_van_de_actuele_stop() -> None:
    tijdelijk = stop(einddatum=date(2023, 7, 20), reden="20")
    bevindingen = beoordeel(een_stop(), stop_stand(stops=(tijdelijk,)))
    assert codes(bevindingen) == [("TR414", "9414", "/Bericht/Client/StopProducten/StopProduct")]
    assert bevindingen[0].locatie.endswith("/Einddatum")


def test_tr415_geen_stop_na_definitieve_stop() -> None:
    definitief = stop(einddatum=date(2023, 7, 1), reden="34")
    assert codes(beoordeel(een_stop(), stop_stand(stops=(definitief,)))) == [("TR415", "9415", "/Bericht/Client/StopProducten/StopProduct")]


def test_verwijderen_van_een_stop_krijgt_geen_inhoudelijke_controles() -> None:
    """TR063: a StatusAanlevering 3 is corrective; TR413–TR415 and TR382 do not apply to it."""
    bestaand = (stop(einddatum=date(2023, 7, 19), reden="31"), stop(einddatum=date(2023, 7, 30), reden="34"))
    assert beoordeel(een_stop(status_aanlevering="3"), stop_stand(stops=bestaand)) == []
