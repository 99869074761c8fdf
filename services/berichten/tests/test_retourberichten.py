"""Retourberichten as IV028 says, and the 325 as IV087 / IV088 say; every one valid against its XSD."""

from __future__ import annotations

from datetime import date

import pytest

from berichten.domain import model
from berichten.domain.berichtsoorten import RETOUR_VAN, Standaard
from berichten.domain.regels.catalogus import Bevinding, Controleniveau
from berichten.domain.retour import Kop, declaratie_antwoord, retourbericht

from .regelhulp import bericht

VANDAAG = date(2026, 11, 23)


def kop(codec, standaard: Standaard, soort: str) -> Kop:
    t = codec.schemas.type_for(standaard, soort)
    return Kop(t.berichtcode, "R00000000001", VANDAAG, model.XsdVersie(basisschema_xsd_versie=t.basisschema_xsd_versie, bericht_xsd_versie=t.bericht_xsd_versie))


def bevinding(klasse: str, code: str, niveau: Controleniveau = Controleniveau.BERICHTOVERSTIJGEND, element: str = "") -> Bevinding:
    return Bevinding("TR999", code, niveau, klasse + element, klasse, "test")


def retour(codec, name: str, bevindingen):  # type: ignore[no-untyped-def]
    heen = bericht(name)
    standaard = Standaard.IWMO if name.startswith("WMO") else Standaard.IJW
    result = retourbericht(heen, kop(codec, standaard, RETOUR_VAN[name[-3:]]), bevindingen)
    written = codec.encode(result)  # validates against the retour XSD
    assert codec.decode(written).bericht == result
    return heen, result


@pytest.mark.parametrize("name", ["JW301", "JW305", "JW307", "JW315", "JW317", "JW319", "WMO301", "WMO305", "WMO319"])
def test_fully_accepted_heenbericht_gets_its_header_alone_without_retourcodes(codec, name):
    heen, result = retour(codec, name, [])
    h = result.header
    assert h.retour_codes == [] and (getattr(result, "client", None) or getattr(result, "antwoord", None)) is None
    assert (h.afzender, h.ontvanger, h.bericht_identificatie, h.xsd_versie) == (
        heen.header.afzender, heen.header.ontvanger, heen.header.bericht_identificatie, heen.header.xsd_versie,
    )
    assert (h.identificatie_retour, h.dagtekening_retour) == ("R00000000001", VANDAAG)
    assert h.bericht_code == codec.schemas.type_for(Standaard.IWMO if name.startswith("WMO") else Standaard.IJW, RETOUR_VAN[name[-3:]]).berichtcode


def test_level_2_finding_gives_header_alone_with_0001(codec):
    _, result = retour(codec, "JW305", [bevinding("/Bericht/Client/StartProducten/StartProduct[2]", "0001", Controleniveau.BERICHTINHOUD)])
    assert result.header.retour_codes == ["0001"] and result.client is None


def test_finding_in_the_header_gives_header_alone_with_its_code(codec):
    _, result = retour(codec, "JW305", [bevinding("/Bericht/Header", "9056")])
    assert result.header.retour_codes == ["9056"] and result.client is None


def test_finding_in_a_product_returns_the_client_with_codes_per_class(codec):
    _, result = retour(codec, "JW305", [bevinding("/Bericht/Client/StartProducten/StartProduct[2]", "9063")])
    assert result.header.retour_codes == ["0200"]
    assert result.client.retour_codes == ["0200"]
    assert [p.retour_codes for p in result.client.start_producten] == [["0200"], ["9063"]]


def test_classes_below_a_rejected_class_are_not_assessed(codec):
    _, result = retour(codec, "JW305", [bevinding("/Bericht/Client", "8187"), bevinding("/Bericht/Client", "8187")])
    assert result.client.retour_codes == ["8187"]
    assert [p.retour_codes for p in result.client.start_producten] == [["0233"], ["0233"]]


def test_several_codes_on_one_class(codec):
    _, result = retour(codec, "JW305", [bevinding("/Bericht/Client/StartProducten/StartProduct[1]", "9019"), bevinding("/Bericht/Client/StartProducten/StartProduct[1]", "9326")])
    assert result.client.start_producten[0].retour_codes == ["9019", "9326"]


def test_rejected_antwoord_returns_the_antwoord(codec):
    _, result = retour(codec, "JW319", [bevinding("/Bericht/Antwoord", "9355")])
    assert result.antwoord.retour_codes == ["9355"]


def antwoord(codec, name: str, bevindingen):  # type: ignore[no-untyped-def]
    declaratie = bericht(name)
    standaard = Standaard.IWMO if name.startswith("WMO") else Standaard.IJW
    result = declaratie_antwoord(declaratie, kop(codec, standaard, "325"), bevindingen)
    written = codec.encode(result)
    assert codec.decode(written).bericht == result
    return declaratie, result


def signed(prestatie: model.Prestatie) -> int:
    b = prestatie.ingediend_bedrag
    return -b.bedrag if b.debet_credit == "C" else b.bedrag


@pytest.mark.parametrize("name", ["JW323", "WMO323"])
def test_fully_granted_declaratie_gets_8001_and_the_full_amount(codec, name):
    declaratie, result = antwoord(codec, name, [])
    a = result.declaratie_antwoord
    assert result.header.retour_codes == ["0200"] and a.retour_codes == ["8001"]
    assert a.totaal_toegekend_bedrag == declaratie.declaratie.totaal_ingediend_bedrag and a.clienten == []
    h = result.header
    assert (h.afzender, h.ontvanger) == (declaratie.header.ontvanger, declaratie.header.afzender)
    assert h.declaratie_identificatie == declaratie.header.bericht_identificatie
    assert h.xsd_versie_declaratie == declaratie.header.xsd_versie
    assert a.declaratie_nummer == declaratie.declaratie.declaratie_nummer


def test_rejected_prestatie_alone_is_returned_and_the_rest_is_granted(codec):
    declaratie, _ = antwoord(codec, "JW323", [])
    clienten = declaratie.declaratie.clienten
    all_prestaties = [(ci, pi, p) for ci, c in enumerate(clienten, 1) for pi, p in enumerate(c.prestaties, 1)]
    assert len(all_prestaties) >= 2, "the example has several prestaties"
    ci, pi, rejected = all_prestaties[0]
    client_pad = f"/Bericht/Declaratie/Clienten/Client{f'[{ci}]' if len(clienten) > 1 else ''}"
    pad = f"{client_pad}/Prestaties/Prestatie{f'[{pi}]' if len(clienten[ci - 1].prestaties) > 1 else ''}"
    _, result = antwoord(codec, "JW323", [bevinding(pad, "9307")])
    a = result.declaratie_antwoord
    assert [c.bsn for c in a.clienten] == [clienten[ci - 1].bsn]
    assert a.clienten[0].retour_codes == ["0200"]
    assert [(p.product_referentie, p.retour_codes) for p in a.clienten[0].prestaties] == [(rejected.product_referentie, ["9307"])]
    granted = sum(signed(p) for _, _, p in all_prestaties[1:])
    assert a.totaal_toegekend_bedrag == model.TotaalBedragMetDC(totaal_bedrag=abs(granted), debet_credit="C" if granted < 0 else "D")
    assert a.retour_codes == ["0200"]


def test_finding_on_the_declaratie_grants_nothing(codec):
    _, result = antwoord(codec, "JW323", [bevinding("/Bericht/Declaratie", "9333")])
    a = result.declaratie_antwoord
    assert a.retour_codes == ["9333"] and a.totaal_toegekend_bedrag.totaal_bedrag == 0 and a.clienten == []


def test_level_2_finding_in_a_declaratie_gives_header_0001_only(codec):
    _, result = antwoord(codec, "JW323", [bevinding("/Bericht/Declaratie", "0001", Controleniveau.BERICHTINHOUD)])
    assert result.header.retour_codes == ["0001"] and result.declaratie_antwoord is None
