"""The portal's indicatie import against the real services (demo region loaded): a consulent uploads
a CSV file, sees how many became a beschikking and the afgewezen record with its gebreken per field,
corrects it in the form and submits it again; it becomes a beschikking on the cliënt's dossier (its
herindicatie signal on the aanbieder's signalen page), and
uploading the same file again makes nothing twice. Another gemeente and an aanbieder can neither see
nor correct the record nor import in the gemeente's name (both routes are listed in
tests/test_portal_tenancy.py's COVERED)."""

from __future__ import annotations

import re

import pytest

from devstack.portal_testing import PortalStack, client_met_beschikking, csrf, login, nieuwe_bsn, portal_stack_fixture

pytestmark = pytest.mark.integration

CSV_KOP = "bsn;gemeentecode;beschikkingnummer;wet;beschikkingsdatum;productcategorie;productcode;ingangsdatum;einddatum;uitvoeringsvariant;volume;eenheid;frequentie;aanbieder"


stack = portal_stack_fixture("portal-import")


def test_upload_see_the_afgewezen_record_correct_it_and_resubmit(stack: PortalStack):
    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, "2027-01-01", "2027-06-30", "98100003")  # a registered cliënt with complete NAW
    goed = f"{bsn};0356;770000001;jeugdwet;2026-01-20;45;45A48;2027-07-01;2027-12-31;inspanningsgericht;120;01;2;98100003"
    fout = f"{bsn};0356;770000002;jeugdwet;2026-01-20;45;45A48;2028-01-01;2028-06-30;outputgericht;120;01;2;98100003"
    bestand = f"{CSV_KOP}\n{goed}\n{fout}\n".encode()
    consulent = login(stack, "consulent-0356")
    assert "/portal/indicaties/import" in consulent.get("/portal/").text

    pagina = consulent.post("/portal/indicaties/import", data={"csrf": csrf(consulent)}, files={"bestand": ("indicaties.csv", bestand, "text/csv")})
    assert pagina.status_code == 200, pagina.text
    assert 'id="import-aantal">2<' in pagina.text and 'id="import-aanvaard">1<' in pagina.text and 'id="import-afgewezen">1<' in pagina.text
    assert "productcode &#39;45A48&#39; is inspanningsgericht in JZ21, not outputgericht" in pagina.text
    afgewezen_id = re.search(r"/portal/indicaties/afgewezen/([0-9a-f-]{36})", pagina.text).group(1)  # type: ignore[union-attr]

    formulier = consulent.get(f"/portal/indicaties/afgewezen/{afgewezen_id}")
    assert formulier.status_code == 200 and 'id="veld-uitvoeringsvariant" name="uitvoeringsvariant" value="outputgericht"' in formulier.text
    assert 'aria-invalid="true"' in formulier.text
    velden = dict(re.findall(r'name="([a-z]+)" value="([^"]*)"', formulier.text))
    assert velden["bsn"] == bsn and velden["beschikkingnummer"] == "770000002"

    # a correction still wrong stays afgewezen, with the new reason at its field
    nog_fout = consulent.post(f"/portal/indicaties/afgewezen/{afgewezen_id}", data={**velden, "csrf": csrf(consulent), "uitvoeringsvariant": "pgb"})
    assert nog_fout.status_code == 422 and "uitvoeringsvariant (zorgvorm) &#39;pgb&#39; is not one of" in nog_fout.text
    hersteld = consulent.post(f"/portal/indicaties/afgewezen/{afgewezen_id}", data={**velden, "csrf": csrf(consulent), "uitvoeringsvariant": "inspanningsgericht"})
    assert hersteld.status_code == 303 and hersteld.headers["location"] == "/portal/indicaties/import?hersteld=770000002"
    lijst = consulent.get(hersteld.headers["location"])
    assert "beschikking 770000002 geworden" in lijst.text and afgewezen_id not in lijst.text

    dossier = consulent.get(f"/portal/clienten/0356/{bsn}").text
    assert "/beschikkingen/770000001/brief" in dossier and "/beschikkingen/770000002/brief" in dossier
    # the imported beschikking's herindicatie is on the signalen page of the aanbieder that delivers it
    signalen = login(stack, "aanbieder-98100003").get("/portal/signalen").text
    assert "Beschikking 770000001 (0356), product 45/45A48@2027-07-01" in signalen and "Herindicatie (beschikking loopt af)" in signalen

    # the same file again: nothing twice (the corrected record counts as verwerkt)
    opnieuw = consulent.post("/portal/indicaties/import", data={"csrf": csrf(consulent)}, files={"bestand": ("indicaties.csv", bestand, "text/csv")})
    assert 'id="import-aanvaard">0<' in opnieuw.text and 'id="import-al-verwerkt">2<' in opnieuw.text and 'id="import-afgewezen">0<' in opnieuw.text

    onleesbaar = consulent.post("/portal/indicaties/import", data={"csrf": csrf(consulent)}, files={"bestand": ("x.json", b"[{", "application/json")})
    assert onleesbaar.status_code == 422 and "not valid JSON" in onleesbaar.text
    verkeerd = consulent.post("/portal/indicaties/import", data={"csrf": csrf(consulent)}, files={"bestand": ("x.xlsx", b"PK", "application/octet-stream")})
    assert verkeerd.status_code == 415


def test_a_gemeente_cannot_reach_anothers_afgewezen_indicaties_nor_import_for_it_and_an_aanbieder_none(stack: PortalStack):
    bsn = nieuwe_bsn(stack)
    regel = f"{bsn};0356;770000101;jeugdwet;2026-01-20;45;45A48;2028-01-01;2028-06-30;outputgericht;120;01;2;98100003"
    nieuwegein = login(stack, "consulent-0356")
    geupload = nieuwegein.post(
        "/portal/indicaties/import", data={"csrf": csrf(nieuwegein)}, files={"bestand": ("eigen.csv", f"{CSV_KOP}\n{regel}\n".encode(), "text/csv")}
    )
    assert geupload.status_code == 200 and 'id="import-afgewezen">1<' in geupload.text
    afgewezen_id = re.search(r"/portal/indicaties/afgewezen/([0-9a-f-]{36})", geupload.text).group(1)  # type: ignore[union-attr]
    for gebruiker in ("consulent-0321", "aanbieder-98100003"):
        ander = login(stack, gebruiker)
        token = csrf(ander)
        for method, path, data in (
            ("GET", f"/portal/indicaties/afgewezen/{afgewezen_id}", None),
            ("POST", f"/portal/indicaties/afgewezen/{afgewezen_id}", {"csrf": token, "bsn": bsn, "gemeentecode": "0356", "uitvoeringsvariant": "inspanningsgericht"}),
        ):
            response = ander.request(method, path, data=data)
            assert response.status_code in (403, 404), (gebruiker, method, path, response.status_code)
            assert bsn not in response.text, (gebruiker, path)
        lijst = ander.get("/portal/indicaties/import")
        assert bsn not in lijst.text and afgewezen_id not in lijst.text
        forged = ander.post("/portal/indicaties/import", data={"csrf": token, "gemeente": "0356"}, files={"bestand": ("x.csv", f"{CSV_KOP}\n{regel}\n".encode(), "text/csv")})
        assert forged.status_code == 403, gebruiker
    assert login(stack, "aanbieder-98100003").get("/portal/indicaties/import").status_code == 403
    # still open, unchanged, for Nieuwegein only
    eigen = nieuwegein.get(f"/portal/indicaties/afgewezen/{afgewezen_id}")
    assert eigen.status_code == 200 and 'value="outputgericht"' in eigen.text
