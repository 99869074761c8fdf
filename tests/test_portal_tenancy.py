"""The portal's login, sessions and tenancy over HTTP against the real services: the built-in login
refuses wrong wachtwoorden and forged forms, the session cookie is signed, HttpOnly, SameSite=Lax
and expires, every form POST needs the session's CSRF token — and through every portal route
aanbieder A cannot read aanbieder B's data nor gemeente X gemeente Y's: 403 or 404, nothing leaked."""

from __future__ import annotations

import re
from datetime import date

import grpc
import httpx
import pytest
from zorgketen.berichten.v1 import berichten_pb2, berichten_pb2_grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.toewijzing.v1 import toewijzing_pb2

from berichten.codec.schemas import STANDAARD_DIR
from devstack.portal_testing import (
    CONSULENT_0356,
    PortalStack,
    client_met_beschikking,
    csrf,
    inschrijving_van,
    login,
    nieuwe_bsn,
    portal_stack_fixture,
    toewijzing_call,
    verzoek_om_toewijzing,
)
from devstack.testing import metadata, sql, wait_for
from devstack.users import demo_password
from edge import portal
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration


def example(name: str) -> bytes:
    return next(STANDAARD_DIR.glob(f"*/3.2/examples/{name}.xml")).read_bytes()


stack = portal_stack_fixture("portal-tenancy")


@pytest.fixture(scope="module")
def bericht(stack: PortalStack) -> berichten_pb2.Bericht:
    """A start zorg of aanbieder 65656055 to gemeente 0363, and its (rejected) twin, answered with a 306."""
    with grpc.insecure_channel(stack.addresses["berichten"]) as channel:
        stub = berichten_pb2_grpc.BerichtenStub(channel)
        md = metadata(Tenant.aanbieder(Role.SYSTEEM, "partner:aanbieder-65656055", "65656055"))
        rejected = example("JW305").replace(b"<jw305:Ontvanger>0363</jw305:Ontvanger>", b"<jw305:Ontvanger>0001</jw305:Ontvanger>")
        sent = stub.Ontvang(berichten_pb2.OntvangRequest(xml=rejected), metadata=md, timeout=30)
    assert sent.retour_id and sent.bevindingen
    return sent


def test_login_refuses_a_wrong_wachtwoord_an_unknown_user_and_a_forged_form(stack: PortalStack):
    client = httpx.Client(base_url=stack.base_url, follow_redirects=False, timeout=30)
    for naam, wachtwoord in (("consulent-0356", "raden"), ("niemand", "demo-niemand")):
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/portal/inloggen").text).group(1)  # type: ignore[union-attr]
        response = client.post("/portal/inloggen", data={"csrf": token, "gebruikersnaam": naam, "wachtwoord": wachtwoord})
        assert response.status_code == 401 and "zk_sessie" not in response.headers.get("set-cookie", "")
        assert "kennen wij niet" in response.text
    forged = httpx.post(
        f"{stack.base_url}/portal/inloggen", data={"csrf": "verzonnen", "gebruikersnaam": "consulent-0356", "wachtwoord": demo_password("consulent-0356")}
    )
    assert forged.status_code == 400 and "zk_sessie" not in forged.headers.get("set-cookie", "")


def test_login_returns_only_to_a_portal_page(stack: PortalStack):
    client = httpx.Client(base_url=stack.base_url, follow_redirects=False, timeout=30)
    for terug, expected in (("/portal/clienten?na=x", "/portal/clienten?na=x"), ("https://evil.example/", "/portal/"), ("//evil.example/portal/", "/portal/")):
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/portal/inloggen").text).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/portal/inloggen", data={"csrf": token, "terug": terug, "gebruikersnaam": "beheerder", "wachtwoord": demo_password("beheerder")}
        )
        assert response.headers["location"] == expected


def test_session_cookie_is_signed_httponly_lax_and_expires(stack: PortalStack):
    client = login(stack, "consulent-0356")
    cookie = next(c for c in client.cookies.jar if c.name == "zk_sessie")
    assert cookie.path == "/portal" and cookie.has_nonstandard_attr("HttpOnly") and cookie.get_nonstandard_attr("SameSite").lower() == "lax"
    assert cookie.expires is not None
    tampered = cookie.value.replace(cookie.value.split(".")[1][:8], "eyJ1Ijoi", 1)[:-2] + "xx"
    anonymous = httpx.get(f"{stack.base_url}/portal/clienten", cookies={"zk_sessie": tampered}, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/portal/inloggen?terug=/portal/clienten"
    # logging out removes the session
    response = client.post("/portal/uitloggen", data={"csrf": csrf(client)})
    assert response.status_code == 303 and client.get("/portal/").status_code == 303


def test_every_form_post_needs_the_sessions_csrf_token(stack: PortalStack):
    client = login(stack, "consulent-0356")
    bsn = stack.clienten("0356")[0].bsn.value
    for path, data in (
        ("/portal/uitloggen", {}),
        ("/portal/sessie/verleng", {}),
        (f"/portal/clienten/0356/{bsn}/beschikking", {"wet": "jeugdwet"}),
        ("/portal/berichten/x/ontvangen", {}),
    ):
        response = client.post(path, data={**data, "csrf": "verkeerd"})
        assert response.status_code == 403 and "Formulier verlopen" in response.text, path
    upload = client.post("/portal/berichten/uploaden", data={"csrf": "verkeerd"}, files={"bestand": ("a.xml", example("JW305"), "application/xml")})
    assert upload.status_code == 403
    assert client.get("/portal/").status_code == 200  # still logged in: the refused logout did nothing
    extended = client.post("/portal/sessie/verleng", headers={"X-CSRF-Token": csrf(client)})
    assert extended.status_code == 200 and extended.json()["einde"] > 0


# ---- cross-tenant access through every route ------------------------------------------------


def _leaks(body: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s and s in body]


def test_gemeente_cannot_reach_another_gemeentes_clienten_through_any_route(stack: PortalStack):
    victim = next(c for c in stack.clienten("0356") if c.bsn.value != stack.traject_bsn)
    bsns = [c.bsn.value for c in stack.clienten("0356")]
    secrets = [victim.bsn.value, f"{victim.voorletters} {victim.geslachtsnaam}", victim.postcode]
    houten = login(stack, "consulent-0321")
    token = csrf(houten)
    base = f"/portal/clienten/0356/{victim.bsn.value}"
    beschikking = _a_beschikking_of(stack, "0356")
    form = {"csrf": token, "wet": "jeugdwet", "aantal": "1", "product-0-categorie": "45", "product-0-code": "45A48", "product-0-ingangsdatum": "2027-01-01", "product-0-variant": "inspanningsgericht"}
    for method, path, data in (
        ("GET", base, None),
        ("GET", f"{base}/beschikking", None),
        ("POST", f"{base}/beschikking", form),
        ("POST", f"{base}/beschikking", {**form, "actie": "product_toevoegen"}),
        ("GET", f"/portal/clienten/0356/{beschikking[0]}/beschikkingen/{beschikking[1]}/brief", None),
        ("GET", f"/portal/trajecten/{stack.traject_id}", None),
    ):
        response = houten.request(method, path, data=data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert _leaks(response.text, secrets) == [], (method, path)
    # lists show only the own gemeente
    for path in ("/portal/clienten", "/portal/", "/portal/signalen", "/portal/trajecten", "/portal/berichten"):
        response = houten.get(path)
        assert response.status_code == 200 and _leaks(response.text, bsns) == [], path
    assert "/portal/clienten/0321/" in houten.get("/portal/clienten").text
    # the beschikking was not made
    own = login(stack, "consulent-0356").get(base).text
    assert "01-01-2027" not in own


def _a_beschikking_of(stack: PortalStack, gemeentecode: str) -> tuple[str, str]:
    client = login(stack, f"consulent-{gemeentecode}")
    for c in stack.clienten(gemeentecode):
        found = re.search(r'/beschikkingen/(\d+)/brief', client.get(f"/portal/clienten/{gemeentecode}/{c.bsn.value}").text)
        if found:
            return c.bsn.value, found.group(1)
    raise AssertionError("the demo region has no beschikking in this gemeente")


def test_an_aanbieder_cannot_reach_anothers_berichten_or_trajecten_nor_any_clienten(stack: PortalStack, bericht: berichten_pb2.Bericht):
    secrets = [bericht.id, bericht.retour_id, bericht.identificatie, "65656055", "999900006"]
    other = login(stack, "aanbieder-98100002")
    token = csrf(other)
    victim = stack.clienten("0356")[0]
    routes = [
        ("GET", f"/portal/berichten/{bericht.id}", None),
        ("GET", f"/portal/berichten/{bericht.retour_id}", None),
        ("GET", f"/portal/berichten/{bericht.id}/xml", None),
        ("GET", f"/portal/berichten/{bericht.retour_id}/xml", None),
        ("POST", f"/portal/berichten/{bericht.retour_id}/ontvangen", {"csrf": token}),
        ("GET", f"/portal/trajecten/{stack.traject_id}", None),  # handed to 98100001, not to 98100002
        ("GET", f"/portal/clienten/0356/{victim.bsn.value}", None),
        ("GET", f"/portal/clienten/0356/{victim.bsn.value}/beschikking", None),
    ]
    for method, path, data in routes:
        response = other.request(method, path, data=data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert _leaks(response.text, [*secrets, victim.bsn.value]) == [], (method, path)
    # sending in another party's name is refused
    forged = other.post("/portal/berichten/uploaden", data={"csrf": token}, files={"bestand": ("JW305.xml", example("JW305"), "application/xml")})
    assert forged.status_code == 403
    for path in ("/portal/berichten", "/portal/clienten", "/portal/trajecten", "/portal/signalen", "/portal/"):
        response = other.get(path)
        assert response.status_code == 200 and _leaks(response.text, [*secrets, victim.bsn.value, stack.traject_bsn]) == [], path
    # the gemeente of another region's message cannot read it either
    gemeente = login(stack, "consulent-0356")
    assert gemeente.get(f"/portal/berichten/{bericht.id}").status_code == 404
    # while the parties themselves can
    assert login(stack, "aanbieder-65656055").get(f"/portal/berichten/{bericht.id}").status_code == 200
    chosen = login(stack, "aanbieder-98100001").get(f"/portal/trajecten/{stack.traject_id}")
    assert chosen.status_code == 200 and stack.traject_bsn in chosen.text


# ---- toewijzingen, the toewijslijst and verzoeken ------------------------------------------------

AANBIEDER_A, AANBIEDER_B, ZONDER_CONTRACT = "98100003", "98100004", "98100001"  # 45A48: A and B contracted, 98100001 not


@pytest.fixture(scope="module")
def toewijzing_data(stack: PortalStack) -> dict[str, str]:
    """A's toewijzing (a cliënt of Nieuwegein), an entry on Nieuwegein's toewijslijst claimed by A, and
    an open verzoek of B to Nieuwegein."""
    from datetime import date, timedelta

    ingang, einde = (date.today() - timedelta(days=30)).isoformat(), (date.today() + timedelta(days=300)).isoformat()
    van_a = nieuwe_bsn(stack)
    client_met_beschikking(stack, van_a, ingang, einde, aanbieder=AANBIEDER_A)
    medewerker_a = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-a", AANBIEDER_A)
    request = toewijzing_pb2.ListToewijzingenRequest(bsn=common_pb2.Bsn(value=van_a), page=common_pb2.PageRequest(page_size=10))
    toewijzing = wait_for(lambda: list(toewijzing_call(stack, "ListToewijzingen", request, medewerker_a).toewijzingen), 30, 0.2, what="A's toewijzing")[0]
    wachtend = nieuwe_bsn(stack)
    client_met_beschikking(stack, wachtend, ingang, einde)
    inschrijving = inschrijving_van(stack, wachtend)
    toewijzing_call(stack, "ClaimInschrijving", toewijzing_pb2.InschrijvingRequest(id=inschrijving.id), medewerker_a)
    verzoeker = nieuwe_bsn(stack)
    client_met_beschikking(stack, verzoeker, ingang, einde, aanbieder=AANBIEDER_A)
    verzoek = verzoek_om_toewijzing(stack, AANBIEDER_B, "0356", verzoeker)
    return {"bsn_a": van_a, "nummer": str(toewijzing.toewijzing_nummer), "inschrijving": inschrijving.id, "wachtend": wachtend, "verzoek": verzoek.id, "verzoeker": verzoeker}


def _toewijzing_routes(d: dict[str, str], token: str) -> list[tuple[str, str, dict[str, str] | None]]:
    toewijzing = f"/portal/toewijzingen/0356/jeugdwet/{d['nummer']}"
    return [
        ("GET", toewijzing, None),
        ("GET", f"{toewijzing}/start", None),
        ("GET", f"{toewijzing}/stop", None),
        ("POST", f"{toewijzing}/start", {"csrf": token, "begindatum": "2026-11-02"}),
        ("POST", f"{toewijzing}/stop", {"csrf": token, "begindatum": "2026-11-02", "einddatum": "2026-11-20", "reden": "31"}),
        ("POST", f"/portal/toewijslijst/{d['inschrijving']}/bevestigen", {"csrf": token}),
        ("POST", f"/portal/toewijslijst/{d['inschrijving']}/afwijzen", {"csrf": token}),
        ("POST", f"/portal/verzoeken/{d['verzoek']}/honoreren", {"csrf": token}),
        ("POST", f"/portal/verzoeken/{d['verzoek']}/afwijzen", {"csrf": token, "reden": "3"}),
        ("POST", f"/portal/verzoeken/{d['verzoek']}/onderzoek", {"csrf": token}),
    ]


def _onveranderd(stack: PortalStack, d: dict[str, str]) -> None:
    """Nothing of the refused actions happened: the claim waits, the verzoek is open, no start or stop."""
    lijst = toewijzing_call(stack, "ListToewijslijst", toewijzing_pb2.ListToewijslijstRequest(page=common_pb2.PageRequest(page_size=500)), CONSULENT_0356)
    assert [(i.status, i.geclaimd_door.value) for i in lijst.inschrijvingen if i.id == d["inschrijving"]] == [("geclaimd", AANBIEDER_A)]
    verzoeken = toewijzing_call(stack, "ListVerzoeken", toewijzing_pb2.ListVerzoekenRequest(page=common_pb2.PageRequest(page_size=500)), CONSULENT_0356)
    assert [v.status for v in verzoeken.verzoeken if v.id == d["verzoek"]] == ["open"]
    leveringen = toewijzing_call(stack, "ListLeveringen", toewijzing_pb2.ListLeveringenRequest(bsn=common_pb2.Bsn(value=d["bsn_a"])), CONSULENT_0356)
    assert list(leveringen.leveringen) == []


def test_an_aanbieder_cannot_reach_anothers_toewijzingen_claims_or_leveringen(stack: PortalStack, toewijzing_data: dict[str, str]):
    d = toewijzing_data
    secrets = [d["bsn_a"], d["wachtend"], d["verzoeker"], d["inschrijving"][:8]]
    other = login(stack, f"aanbieder-{AANBIEDER_B}")
    token = csrf(other)
    for method, path, data in _toewijzing_routes(d, token):
        response = other.request(method, path, data=data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert _leaks(response.text, [s for s in secrets if s != d["verzoeker"] or "verzoeken" not in path]) == [], (method, path)
    # an aanbieder without a contract for the product cannot claim (nor see) the entry
    zonder = login(stack, f"aanbieder-{ZONDER_CONTRACT}")
    response = zonder.post(f"/portal/toewijslijst/{d['inschrijving']}/claim", data={"csrf": csrf(zonder)})
    assert response.status_code == 404 and _leaks(response.text, secrets) == []
    for path in ("/portal/toewijzingen", "/portal/toewijslijst", "/portal/verzoeken", "/portal/"):
        for client in (other, zonder):
            response = client.get(path)
            assert response.status_code == 200 and _leaks(response.text, [d["bsn_a"], d["wachtend"], d["inschrijving"][:8]]) == [], path
    _onveranderd(stack, d)
    # while A itself sees its toewijzing
    own = login(stack, f"aanbieder-{AANBIEDER_A}").get(f"/portal/toewijzingen/0356/jeugdwet/{d['nummer']}")
    assert own.status_code == 200 and d["bsn_a"] in own.text and "Start zorg melden" in own.text


def test_a_gemeente_cannot_reach_anothers_toewijzingen_toewijslijst_or_verzoeken(stack: PortalStack, toewijzing_data: dict[str, str]):
    d = toewijzing_data
    secrets = [d["bsn_a"], d["wachtend"], d["verzoeker"], d["inschrijving"][:8]]
    houten = login(stack, "consulent-0321")
    token = csrf(houten)
    for method, path, data in _toewijzing_routes(d, token):
        response = houten.request(method, path, data=data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert _leaks(response.text, secrets) == [], (method, path)
    for path in ("/portal/toewijzingen", "/portal/toewijslijst", "/portal/verzoeken", "/portal/"):
        response = houten.get(path)
        assert response.status_code == 200 and _leaks(response.text, secrets) == [], path
    _onveranderd(stack, d)
    # while Nieuwegein sees them
    nieuwegein = login(stack, "consulent-0356")
    assert d["verzoeker"] in nieuwegein.get("/portal/verzoeken").text
    assert d["inschrijving"] in nieuwegein.get("/portal/toewijslijst").text


# ---- the audit page ---------------------------------------------------------------------------


def test_audit_page_is_for_the_beheerder_only_and_shows_who_read_or_changed_which_client(stack: PortalStack):
    victim = stack.clienten("0356")[1]
    bsn = victim.bsn.value
    consulent = login(stack, "consulent-0356")
    assert consulent.get(f"/portal/clienten/0356/{bsn}").status_code == 200  # a read, logged by the service
    assert 'href="/portal/audit"' not in consulent.get("/portal/").text
    # every other role gets 403, with nothing of the log in it
    for naam in ("consulent-0356", "consulent-0321", "backoffice", "contractmanager-0356", "aanbieder-98100002"):
        response = login(stack, naam).get(f"/portal/audit?bsn={bsn}")
        assert response.status_code == 403 and "Geen toegang" in response.text, naam
        assert _leaks(response.text, [bsn, "portal:consulent-0356", "GetClient"]) == [], naam

    beheerder = login(stack, "beheerder")
    assert 'href="/portal/audit"' in beheerder.get("/portal/").text
    vandaag = date.today().isoformat()
    page = beheerder.get("/portal/audit", params={"wie": "portal:consulent-0356", "bsn": bsn, "wat": "GetClient", "van": vandaag, "tot": vandaag})
    assert page.status_code == 200, page.text
    rij = re.search(r"<tr>\s*<th scope=\"row\">portal:consulent-0356</th>(.*?)</tr>", page.text, re.S)
    assert rij is not None, page.text
    assert all(t in rij.group(1) for t in ("<td>Consulent</td>", "<td>0356</td>", bsn, "GetClient", "Inzage")), rij.group(1)
    # changes are there too: the demo region's cliënten were registered
    registratie = beheerder.get("/portal/audit", params={"bsn": bsn, "wat": "RegistreerClient"})
    assert "RegistreerClient" in registratie.text and "Wijziging" in registratie.text
    # and the beheerder's own searches, with their filters
    zoekopdrachten = beheerder.get("/portal/audit", params={"wie": "portal:beheerder", "wat": "ZoekInzage"})
    assert "Zoekopdracht" in zoekopdrachten.text and f"bsn: {bsn}" in zoekopdrachten.text
    # nothing yet in a range before today; a wrong BSN or date is said above the form
    assert "Er is niets gevonden" in beheerder.get("/portal/audit", params={"bsn": bsn, "tot": "2020-01-01"}).text
    for params, melding in (({"bsn": "12ab"}, "BSN: vul 9 cijfers in."), ({"van": "morgen"}, "Van: vul een datum in"), ({"van": vandaag, "tot": "2020-01-01"}, "Tot en met ligt voor Van.")):
        response = beheerder.get("/portal/audit", params=params)
        assert response.status_code == 400 and melding in response.text, params
    # paging, newest first: the next page has other rows and a way back
    eerste = beheerder.get("/portal/audit")
    volgende = re.search(r'href="(/portal/audit\?[^"]*na=[^"]+)">Volgende pagina', eerste.text)
    assert volgende is not None
    tweede = beheerder.get(volgende.group(1).replace("&amp;", "&"))
    assert tweede.status_code == 200 and "Eerste pagina" in tweede.text
    rijen = re.compile(r"<tr>\s*<th scope=\"row\">.*?</tr>", re.S)
    assert len(rijen.findall(eerste.text)) == 50 and rijen.findall(tweede.text) and rijen.findall(tweede.text) != rijen.findall(eerste.text)


# ---- declaraties and afrekeningen ---------------------------------------------------------------


def _declaratie_van(stack: PortalStack, agb: str, gemeente: str) -> dict[str, str]:
    """A cliënt of `gemeente` with a toewijzing (45A48) to `agb`, and a 323 of `agb` for last month on
    it, sent through the hub by the aanbieder's partner system and judged by the declaratie service."""
    import uuid
    from datetime import timedelta

    from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc

    from berichten.domain import model
    from berichten.domain.berichtsoorten import Standaard
    from devstack import aanbieder
    from devstack.portal_testing import partner

    ingang, einde = date.today() - timedelta(days=70), date.today() + timedelta(days=300)
    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, ingang.isoformat(), einde.isoformat(), aanbieder=agb, gemeente=gemeente)
    medewerker = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, f"portal:aanbieder-{agb}", agb)
    request = toewijzing_pb2.ListToewijzingenRequest(bsn=common_pb2.Bsn(value=bsn), page=common_pb2.PageRequest(page_size=10))
    toewijzing = wait_for(lambda: list(toewijzing_call(stack, "ListToewijzingen", request, medewerker).toewijzingen), 30, 0.2, what="the toewijzing")[0]
    maand_einde = date.today().replace(day=1) - timedelta(days=1)
    maand = (maand_einde.replace(day=1), maand_einde)
    regel = aanbieder.Prestatieregel(uuid.uuid4().hex[:20], toewijzing.toewijzing_nummer, *maand, 60, 60 * 175, product_tarief=175, product=model.Product(categorie="45", code="45A48"), eenheid="01")
    xml = aanbieder.declaratie_323_clienten(Standaard.IJW, agb, gemeente, uuid.uuid4().hex[:12], maand, [(bsn, [regel])])
    with grpc.insecure_channel(stack.addresses["berichten"]) as channel:
        sent = berichten_pb2_grpc.BerichtenStub(channel).Ontvang(berichten_pb2.OntvangRequest(xml=xml), metadata=metadata(partner(agb)), timeout=30)
    assert sent.status == "geaccepteerd", (sent.status, list(sent.bevindingen))

    def beoordeeld() -> bool:
        with grpc.insecure_channel(stack.addresses["declaratie"]) as channel:
            lijst = declaratie_pb2_grpc.DeclaratieStub(channel).ListDeclaraties(declaratie_pb2.ListDeclaratiesRequest(), metadata=metadata(medewerker), timeout=10)
        return any(d.bericht_id == sent.id for d in lijst.declaraties)

    wait_for(beoordeeld, 45, 0.3, what=f"the declaratie {sent.id} judged")
    return {"bsn": bsn, "bericht": sent.id, "nummer": str(toewijzing.toewijzing_nummer), "gemeente": gemeente, "maand": maand[0].strftime("%Y-%m")}


@pytest.fixture(scope="module")
def declaratie_data(stack: PortalStack) -> dict[str, dict[str, str]]:
    """Aanbieder A's declaraties: one to Nieuwegein (0356), one to Houten (0321)."""
    return {"0356": _declaratie_van(stack, AANBIEDER_A, "0356"), "0321": _declaratie_van(stack, AANBIEDER_A, "0321")}


def _afrekeningen_van(stack: PortalStack, gemeente: str) -> list:  # type: ignore[type-arg]
    from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc

    backoffice = Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "portal-test", [gemeente])
    with grpc.insecure_channel(stack.addresses["declaratie"]) as channel:
        return list(declaratie_pb2_grpc.DeclaratieStub(channel).ListAfrekeningen(declaratie_pb2.ListAfrekeningenRequest(), metadata=metadata(backoffice), timeout=10).afrekeningen)


def test_an_aanbieder_cannot_reach_anothers_declaraties_nor_make_an_afrekening(stack: PortalStack, declaratie_data: dict[str, dict[str, str]]):
    d = declaratie_data["0356"]
    secrets = [d["bsn"], d["bericht"], declaratie_data["0321"]["bsn"], declaratie_data["0321"]["bericht"]]
    other = login(stack, f"aanbieder-{AANBIEDER_B}")
    token = csrf(other)
    for method, path, data in (
        ("GET", f"/portal/declaraties/{d['bericht']}", None),
        ("POST", "/portal/declaraties/indienen", {"csrf": token, "toewijzing": f"0356/jeugdwet/{d['nummer']}", "maand": d["maand"], "volume": "60"}),
        ("POST", "/portal/afrekeningen", {"csrf": token, "gemeente": "0356", "aanbieder": AANBIEDER_B, "maand": d["maand"], "soort": "voorlopig"}),
        ("POST", "/portal/afrekeningen", {"csrf": token, "gemeente": "0356", "aanbieder": AANBIEDER_A, "maand": d["maand"], "soort": "definitief"}),
    ):
        response = other.request(method, path, data=data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert _leaks(response.text, secrets) == [], (method, path)
    for path in ("/portal/declaraties", "/portal/declaraties/indienen", "/portal/afrekeningen", "/portal/"):
        response = other.get(path)
        assert response.status_code == 200 and _leaks(response.text, secrets) == [], path
    # A itself cannot make an afrekening either, nor did B's attempts make one
    eigen = login(stack, f"aanbieder-{AANBIEDER_A}")
    response = eigen.post("/portal/afrekeningen", data={"csrf": csrf(eigen), "gemeente": "0356", "aanbieder": AANBIEDER_A, "maand": d["maand"], "soort": "voorlopig"})
    assert response.status_code == 403
    assert _afrekeningen_van(stack, "0356") == []
    # while A sees its declaratie with the cliënt, and the form offers its toewijzing
    detail = eigen.get(f"/portal/declaraties/{d['bericht']}")
    assert detail.status_code == 200 and d["bsn"] in detail.text and "Toegekend" in detail.text
    assert d["bericht"] in eigen.get("/portal/declaraties").text
    assert f"0356/jeugdwet/{d['nummer']}" in eigen.get("/portal/declaraties/indienen").text


def test_a_gemeente_cannot_reach_anothers_declaraties_nor_make_its_afrekeningen(stack: PortalStack, declaratie_data: dict[str, dict[str, str]]):
    nieuwegein, houten = declaratie_data["0356"], declaratie_data["0321"]
    # financieel medewerker of Nieuwegein (X) against Houten (Y)
    financieel = login(stack, "financieel-0356")
    token = csrf(financieel)
    houten_secrets = [houten["bsn"], houten["bericht"]]
    response = financieel.get(f"/portal/declaraties/{houten['bericht']}")
    assert response.status_code == 404 and _leaks(response.text, houten_secrets) == []
    for soort in ("voorlopig", "definitief"):
        response = financieel.post("/portal/afrekeningen", data={"csrf": token, "gemeente": "0321", "aanbieder": AANBIEDER_A, "maand": houten["maand"], "soort": soort})
        assert response.status_code == 403 and _leaks(response.text, houten_secrets) == [], soort
    assert _afrekeningen_van(stack, "0321") == []
    for path in ("/portal/declaraties", "/portal/afrekeningen", "/portal/"):
        response = financieel.get(path)
        assert response.status_code == 200 and _leaks(response.text, houten_secrets) == [], path
    # a consulent of Houten against Nieuwegein's declaratie; a consulent makes no afrekening at all
    consulent = login(stack, "consulent-0321")
    nieuwegein_secrets = [nieuwegein["bsn"], nieuwegein["bericht"]]
    response = consulent.get(f"/portal/declaraties/{nieuwegein['bericht']}")
    assert response.status_code == 404 and _leaks(response.text, nieuwegein_secrets) == []
    response = consulent.post("/portal/afrekeningen", data={"csrf": csrf(consulent), "gemeente": "0321", "aanbieder": AANBIEDER_A, "maand": houten["maand"], "soort": "voorlopig"})
    assert response.status_code == 403
    assert consulent.get("/portal/declaraties/indienen").status_code == 403  # the form is for aanbieders
    for path in ("/portal/declaraties", "/portal/afrekeningen"):
        response = consulent.get(path)
        assert response.status_code == 200 and _leaks(response.text, nieuwegein_secrets) == [], path
    assert houten["bericht"] in consulent.get("/portal/declaraties").text
    # while the financieel medewerker of Nieuwegein sees its own and makes its afrekening
    eigen = financieel.get(f"/portal/declaraties/{nieuwegein['bericht']}")
    assert eigen.status_code == 200 and nieuwegein["bsn"] in eigen.text
    gemaakt = financieel.post("/portal/afrekeningen", data={"csrf": token, "gemeente": "0356", "aanbieder": AANBIEDER_A, "maand": nieuwegein["maand"], "soort": "voorlopig"})
    assert gemaakt.status_code == 303 and "gemaakt=voorlopig" in gemaakt.headers["location"]
    assert [(a.gemeente.value, a.soort) for a in _afrekeningen_van(stack, "0356")] == [("0356", "voorlopig")]
    assert _afrekeningen_van(stack, "0321") == []


# ---- samenwerkingstrajecten: melding, traject, taken, POP, evaluaties (every route of the workspace) ----


@pytest.fixture(scope="module")
def traject_data(stack: PortalStack) -> dict[str, str]:
    """A traject of a new Nieuwegein cliënt with doelen, a taak and a POP handed to aanbieder A, and a
    regular evaluatie planned — made through the indicatie service's API as the consulent."""
    from zorgketen.indicatie.v1 import trajecten_pb2 as pb
    from zorgketen.indicatie.v1 import trajecten_pb2_grpc

    from datetime import timedelta

    bsn = nieuwe_bsn(stack)
    client_met_beschikking(stack, bsn, (date.today() - timedelta(days=30)).isoformat(), (date.today() + timedelta(days=300)).isoformat())
    md = metadata(CONSULENT_0356)
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        stub = trajecten_pb2_grpc.TrajectenStub(channel)
        traject = stub.RegistreerMelding(
            pb.RegistreerMeldingRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=common_pb2.Gemeentecode(value="0356"), onderwerp="Tenancy-proef onderwerp"), metadata=md, timeout=10
        )
        stub.WijzigTraject(pb.WijzigTrajectRequest(id=traject.id, vervang_doelen=True, doelen=[pb.Doel(omschrijving="Geheim doel")]), metadata=md, timeout=10)
        taak = stub.MaakTaak(
            pb.MaakTaakRequest(
                traject_id=traject.id,
                naam="Geheime taak",
                soort="Overleg",
                bestemd_voor=pb.Partij(soort=pb.PARTIJ_SOORT_GEMEENTE, code="0356"),
                einddatum=common_pb2.Datum(value=(date.today() + timedelta(days=20)).isoformat()),
            ),
            metadata=md,
            timeout=10,
        )
        stub.StelPopOp(
            pb.StelPopOpRequest(
                traject_id=traject.id, zrm=[pb.ZrmScore(domein="financien", score=2)], profiel="Profiel-geheim", pakket="Pakket-geheim", aanbieder=common_pb2.AgbCode(value=AANBIEDER_A)
            ),
            metadata=md,
            timeout=10,
        )
        stub.DraagPopOver(pb.DraagPopOverRequest(traject_id=traject.id), metadata=md, timeout=10)
        evaluatie = stub.PlanEvaluatie(
            pb.PlanEvaluatieRequest(traject_id=traject.id, soort=pb.EVALUATIE_SOORT_REGULIER, beschikking_einddatum=common_pb2.Datum(value=(date.today() + timedelta(days=300)).isoformat())),
            metadata=md,
            timeout=10,
        )
    return {"bsn": bsn, "traject": traject.id, "nummer": traject.nummer, "taak": taak.id, "evaluatie": evaluatie.id}


def _traject_routes(d: dict[str, str], token: str) -> list[tuple[str, str, dict[str, str] | None]]:
    t = f"/portal/trajecten/{d['traject']}"
    morgen = date.today().isoformat()
    melding = f"/portal/clienten/0356/{d['bsn']}/melding"
    return [
        ("GET", melding, None),
        ("POST", melding, {"csrf": token, "onderwerp": "Ingebroken melding"}),
        ("GET", t, None),
        ("GET", f"{t}/wijzigen", None),
        ("POST", f"{t}/wijzigen", {"csrf": token, "onderwerp": "Gekaapt", "acties": "1", "actie-0-omschrijving": "Gekaapte actie"}),
        ("POST", f"{t}/sluiten", {"csrf": token, "status": "gestopt"}),
        ("GET", f"{t}/taken/nieuw", None),
        ("POST", f"{t}/taken/nieuw", {"csrf": token, "naam": "Gekaapte taak", "soort": "Overleg", "voor": "gemeente:0356", "einddatum": morgen, "prioriteit": "hoog"}),
        ("GET", f"{t}/taken/{d['taak']}", None),
        ("POST", f"{t}/taken/{d['taak']}", {"csrf": token, "status": "vervallen", "prioriteit": "laag", "voor": "gemeente:0356", "einddatum": morgen}),
        ("GET", f"{t}/pop", None),
        ("POST", f"{t}/pop", {"csrf": token, "profiel": "Gekaapt profiel", "pakket": "x", "aanbieder": AANBIEDER_B}),
        ("POST", f"{t}/pop/overdragen", {"csrf": token}),
        ("GET", f"{t}/pop/aanvullen", None),
        ("POST", f"{t}/pop/aanvullen", {"csrf": token, "inzet": "Gekaapte inzet", "activiteiten": "x"}),
        ("POST", f"{t}/pop/teruggeven", {"csrf": token, "reden": "Gekaapte teruggave"}),
        ("POST", f"{t}/pop/ondertekenen", {"csrf": token, "ondertekend_door": "Niemand"}),
        ("POST", f"{t}/pop/besluit", {"csrf": token, "besluit": "toekennen"}),
        ("POST", f"{t}/pop/beeindigen", {"csrf": token}),
        ("GET", f"{t}/evaluaties/nieuw", None),
        ("GET", f"{t}/evaluaties/nieuw?soort=tussentijds", None),
        ("POST", f"{t}/evaluaties/nieuw", {"csrf": token, "soort": "regulier", "beschikking_einddatum": "2027-06-30"}),
        ("POST", f"{t}/evaluaties/nieuw", {"csrf": token, "soort": "tussentijds", "reden": "Gekaapt", "uiterlijk": morgen}),
        ("GET", f"{t}/evaluaties/{d['evaluatie']}", None),
        ("POST", f"{t}/evaluaties/{d['evaluatie']}", {"csrf": token, "doelen": "1", "doel-0": "Geheim doel", "doel-0-mate": "behaald", "advies": "beeindigen"}),
    ]


def _traject_onveranderd(stack: PortalStack, d: dict[str, str]) -> None:
    """Nothing of the refused actions happened: one traject, as it was, with its taak, POP and evaluatie."""
    from zorgketen.indicatie.v1 import trajecten_pb2 as pb
    from zorgketen.indicatie.v1 import trajecten_pb2_grpc

    md = metadata(CONSULENT_0356)
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        stub = trajecten_pb2_grpc.TrajectenStub(channel)
        trajecten = stub.ListTrajecten(pb.ListTrajectenRequest(bsn=common_pb2.Bsn(value=d["bsn"]), gemeente=common_pb2.Gemeentecode(value="0356")), metadata=md, timeout=10).trajecten
        assert [(t.id, t.onderwerp, t.status, [a.omschrijving for a in t.acties]) for t in trajecten] == [(d["traject"], "Tenancy-proef onderwerp", pb.TRAJECT_STATUS_LOPEND, [])]
        taken = stub.ListTaken(pb.ListTakenRequest(traject_id=d["traject"]), metadata=md, timeout=10).taken
        assert [(t.naam, t.status, len(t.geschiedenis)) for t in taken] == [("Geheime taak", pb.TAAK_STATUS_OPEN, 1)]
        pop = stub.GetPop(pb.GetPopRequest(traject_id=d["traject"]), metadata=md, timeout=10)
        assert (pop.status, pop.profiel, pop.inzet, pop.aanbieder.value) == (pb.POP_STATUS_BIJ_AANBIEDER, "Profiel-geheim", "", AANBIEDER_A)
        evaluaties = stub.ListEvaluaties(pb.ListEvaluatiesRequest(traject_id=d["traject"]), metadata=md, timeout=10).evaluaties
        assert [(e.id, e.status) for e in evaluaties] == [(d["evaluatie"], pb.EVALUATIE_STATUS_GEPLAND)]


def test_an_aanbieder_cannot_reach_a_traject_it_was_not_chosen_for_through_any_route(stack: PortalStack, traject_data: dict[str, str]):
    d = traject_data
    secrets = [d["bsn"], d["nummer"], "Tenancy-proef", "Geheime taak", "Geheim doel", "Profiel-geheim", "Pakket-geheim"]
    other = login(stack, f"aanbieder-{AANBIEDER_B}")
    for method, path, data in _traject_routes(d, csrf(other)):
        response = other.request(method, path, data=data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert _leaks(response.text, secrets) == [], (method, path)
    for path in ("/portal/trajecten", "/portal/signalen", "/portal/"):
        response = other.get(path)
        assert response.status_code == 200 and _leaks(response.text, secrets) == [], path
    _traject_onveranderd(stack, d)
    # while the chosen aanbieder sees it, and its step
    chosen = login(stack, f"aanbieder-{AANBIEDER_A}")
    page = chosen.get(f"/portal/trajecten/{d['traject']}")
    assert page.status_code == 200 and d["bsn"] in page.text and "POP aanvullen" in page.text and "POP teruggeven" in page.text


def test_a_gemeente_cannot_reach_anothers_trajecten_through_any_route(stack: PortalStack, traject_data: dict[str, str]):
    d = traject_data
    secrets = [d["bsn"], d["nummer"], "Tenancy-proef", "Geheime taak", "Geheim doel", "Profiel-geheim", "Pakket-geheim"]
    houten = login(stack, "consulent-0321")
    for method, path, data in _traject_routes(d, csrf(houten)):
        response = houten.request(method, path, data=data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
        assert _leaks(response.text, secrets) == [], (method, path)
    for path in ("/portal/trajecten", "/portal/signalen", "/portal/"):
        response = houten.get(path)
        assert response.status_code == 200 and _leaks(response.text, secrets) == [], path
    _traject_onveranderd(stack, d)
    # while Nieuwegein's own consulent sees it, with the gemeente's steps
    own = login(stack, "consulent-0356").get(f"/portal/trajecten/{d['traject']}")
    assert own.status_code == 200 and "Geheime taak" in own.text and "Tussentijdse evaluatie vragen" in own.text


# every route of the portal and the test above that tries it across tenants (or why it has no tenant data)
COVERED = {
    "/portal/inloggen": "no tenant data: the login form",
    "/portal/uitloggen": "no tenant data: ends the own session",
    "/portal/sessie/verleng": "no tenant data: extends the own session",
    "/portal/": "lists: both cross-tenant tests",
    "/portal/clienten": "lists: both cross-tenant tests",
    "/portal/clienten/{gemeente}/{bsn}": "gemeente and aanbieder tests",
    "/portal/clienten/{gemeente}/{bsn}/beschikking": "gemeente test (GET, POST) and aanbieder test (GET)",
    "/portal/clienten/{gemeente}/{bsn}/beschikkingen/{nummer}/brief": "gemeente test",
    "/portal/berichten": "lists: both cross-tenant tests",
    "/portal/berichten/uploaden": "aanbieder test: sending in another's name",
    "/portal/berichten/{bericht_id}": "aanbieder test, and gemeente 0356 on 0363's message",
    "/portal/berichten/{bericht_id}/xml": "aanbieder test",
    "/portal/berichten/{bericht_id}/ontvangen": "aanbieder test",
    "/portal/signalen": "lists: both cross-tenant tests",
    "/portal/trajecten": "lists: both cross-tenant tests",
    "/portal/trajecten/{traject_id}": "gemeente and aanbieder tests, and both traject cross-tenant tests",
    "/portal/toewijzingen": "lists: both toewijzing cross-tenant tests",
    "/portal/toewijzingen/{gemeente}/{wet}/{nummer}": "both toewijzing cross-tenant tests",
    "/portal/toewijzingen/{gemeente}/{wet}/{nummer}/start": "both toewijzing cross-tenant tests (GET, POST)",
    "/portal/toewijzingen/{gemeente}/{wet}/{nummer}/stop": "both toewijzing cross-tenant tests (GET, POST)",
    "/portal/toewijslijst": "lists: both toewijzing cross-tenant tests",
    "/portal/toewijslijst/{inschrijving_id}/claim": "aanbieder toewijzing test: an aanbieder without contract",
    "/portal/toewijslijst/{inschrijving_id}/bevestigen": "both toewijzing cross-tenant tests",
    "/portal/toewijslijst/{inschrijving_id}/afwijzen": "both toewijzing cross-tenant tests",
    "/portal/verzoeken": "lists: both toewijzing cross-tenant tests",
    "/portal/verzoeken/{verzoek_id:path}/honoreren": "both toewijzing cross-tenant tests",
    "/portal/verzoeken/{verzoek_id:path}/afwijzen": "both toewijzing cross-tenant tests",
    "/portal/verzoeken/{verzoek_id:path}/onderzoek": "both toewijzing cross-tenant tests",
    "/portal/declaraties": "lists: both declaratie cross-tenant tests",
    "/portal/declaraties/indienen": "aanbieder declaratie test (GET, POST with another's toewijzing); gemeente test: not for a gemeente",
    "/portal/declaraties/{bericht_id}": "both declaratie cross-tenant tests",
    "/portal/afrekeningen": "both declaratie cross-tenant tests (GET; POST by an aanbieder, by gemeente X for Y, by a consulent)",
    # ---- issue 6: benutting, onderbenutting, voorschotten, betaalbestand (the test at the end of this file)
    "/portal/benutting": "benutting/voorschotten test: aanbieder B and gemeente X see nothing of A's or Y's rows; a consulent 403",
    "/portal/onderbenutting": "benutting/voorschotten test: an aanbieder 403, gemeente Y sees nothing of X's signals",
    "/portal/voorschotten": "benutting/voorschotten test: aanbieder B and gemeente X do not see A's voorschot in Y; a consulent 403",
    "/portal/betaalbestand": "benutting/voorschotten test: an aanbieder, a consulent and gemeente X for Y get 403",
    # ----
    "/portal/audit": "audit page test: every non-beheerder role 403 (a beheerder of gemeente X not seeing Y's rows: tests/test_indicatie_audit.py)",
    # ---- samenwerkingstrajecten: both traject cross-tenant tests (each GET and POST) ----
    "/portal/clienten/{gemeente}/{bsn}/melding": "both traject cross-tenant tests (GET, POST)",
    "/portal/trajecten/{traject_id}/wijzigen": "both traject cross-tenant tests (GET, POST)",
    "/portal/trajecten/{traject_id}/sluiten": "both traject cross-tenant tests",
    "/portal/trajecten/{traject_id}/taken/nieuw": "both traject cross-tenant tests (GET, POST)",
    "/portal/trajecten/{traject_id}/taken/{taak_id}": "both traject cross-tenant tests (GET, POST)",
    "/portal/trajecten/{traject_id}/pop": "both traject cross-tenant tests (GET, POST)",
    "/portal/trajecten/{traject_id}/pop/overdragen": "both traject cross-tenant tests",
    "/portal/trajecten/{traject_id}/pop/aanvullen": "both traject cross-tenant tests (GET, POST)",
    "/portal/trajecten/{traject_id}/pop/teruggeven": "both traject cross-tenant tests (the POP stays bij de aanbieder)",
    "/portal/trajecten/{traject_id}/pop/ondertekenen": "both traject cross-tenant tests",
    "/portal/trajecten/{traject_id}/pop/besluit": "both traject cross-tenant tests",
    "/portal/trajecten/{traject_id}/pop/beeindigen": "both traject cross-tenant tests",
    "/portal/trajecten/{traject_id}/evaluaties/nieuw": "both traject cross-tenant tests (GET and POST, regulier and tussentijds)",
    "/portal/trajecten/{traject_id}/evaluaties/{evaluatie_id}": "both traject cross-tenant tests (GET, POST)",
    # ---- the edge's own login state (OIDC login, sessions): see the block below ----
    "/portal/oidc/inloggen": "no tenant data: starts an OIDC login (404 without ZK_OIDC_ISSUER; tests/test_portal_oidc.py)",
    "/portal/oidc/terug": "no tenant data: a forged state or another browser's callback is refused (tests/test_portal_oidc.py)",
    "/portal/sessies": "sessions block: every non-beheerder role 403; a beheerder does not see another region's users",
    "/portal/sessies/{sessie_id}/beeindigen": "sessions block: non-beheerders 403; a session the beheerder may not see 404",
    "/portal/berichten/{bericht_id}/corrigeren": "correction block: another aanbieder and a gemeente (GET, POST) 404, nothing sent",
    "/portal/indicaties/import": "tests/test_portal_indicatie_import.py: the list across gemeenten, an import in another gemeente's name, an aanbieder 403",
    "/portal/indicaties/afgewezen/{afgewezen_id}": "tests/test_portal_indicatie_import.py (GET, POST) by another gemeente and an aanbieder",
}


def test_every_portal_route_is_tried_across_tenants():
    paths = {route.path for module in portal.ROUTERS for route in module.routes}
    assert paths == set(COVERED), f"new or removed portal routes: add them to the cross-tenant tests: {paths ^ set(COVERED)}"


# ---- benutting, onderbenutting, voorschotten and the betaalbestand (issue 6) ------------------------------


def _zonder_filter(html: str) -> str:
    """The page without the filter form, which shows back what the user typed (a BSN, an AGB code)."""
    return re.sub(r'<form method="get".*?</form>', "", html, flags=re.S)


def test_benutting_voorschotten_onderbenutting_and_betaalbestand_show_only_the_own_party(stack: PortalStack, declaratie_data: dict[str, dict[str, str]]):
    from datetime import timedelta

    from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc

    nieuwegein, houten = declaratie_data["0356"], declaratie_data["0321"]
    maand = nieuwegein["maand"]
    # a voorschot of A in Houten (fixed by an afrekening) and a cliënt of Nieuwegein whose care never started (101 days)
    backoffice = Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "portal-test", ["0321"])
    with grpc.insecure_channel(stack.addresses["declaratie"]) as channel:
        declaratie_pb2_grpc.DeclaratieStub(channel).MaakAfrekening(
            declaratie_pb2.MaakAfrekeningRequest(gemeente=common_pb2.Gemeentecode(value="0321"), aanbieder=common_pb2.AgbCode(value=AANBIEDER_A), jaar=int(maand[:4]), maand=int(maand[5:])),
            metadata=metadata(backoffice),
            timeout=30,
        )
    zonder_zorg = nieuwe_bsn(stack)
    client_met_beschikking(stack, zonder_zorg, (date.today() - timedelta(days=100)).isoformat(), (date.today() + timedelta(days=200)).isoformat(), aanbieder=AANBIEDER_A)
    financieel = login(stack, "financieel-0356")
    wait_for(lambda: zonder_zorg in financieel.get("/portal/onderbenutting").text, 30, 0.5, what="the onderbenutting signal of the cliënt without start")
    houten_voorschot = f'data-voorschot="0321-{AANBIEDER_A}-{maand}"'

    # aanbieder B: its own benutting and voorschotten only; no onderbenutting (gemeente), no betaalbestand
    other = login(stack, f"aanbieder-{AANBIEDER_B}")
    secrets = [nieuwegein["bsn"], houten["bsn"], zonder_zorg, houten_voorschot]
    for path in (f"/portal/benutting?maand={maand}", f"/portal/benutting?maand={maand}&bsn={nieuwegein['bsn']}", f"/portal/benutting?maand={maand}&aanbieder={AANBIEDER_A}", "/portal/voorschotten", f"/portal/voorschotten?aanbieder={AANBIEDER_A}"):
        response = other.get(path)
        assert response.status_code == 200 and _leaks(_zonder_filter(response.text), secrets) == [], path
    for path in ("/portal/onderbenutting", "/portal/betaalbestand", f"/portal/betaalbestand?gemeente=0356&datum={maand}-01&formaat=csv"):
        response = other.get(path)
        assert response.status_code == 403 and _leaks(response.text, secrets) == [], path
    # gemeente X (Nieuwegein) against Y (Houten): benutting, voorschotten, betaalbestand
    for path in (f"/portal/benutting?maand={maand}", f"/portal/benutting?maand={maand}&bsn={houten['bsn']}", "/portal/voorschotten", "/portal/onderbenutting"):
        response = financieel.get(path)
        assert response.status_code == 200 and _leaks(_zonder_filter(response.text), [houten["bsn"], houten_voorschot]) == [], path
    response = financieel.get(f"/portal/betaalbestand?gemeente=0321&datum={maand}-01&formaat=csv")
    assert response.status_code == 403 and "Geen toegang" in response.text and _leaks(response.text, [houten["bsn"], AANBIEDER_A]) == []
    consulent = login(stack, "consulent-0321")
    response = consulent.get("/portal/onderbenutting")
    assert response.status_code == 200 and _leaks(response.text, [nieuwegein["bsn"], zonder_zorg]) == []
    for path in (f"/portal/benutting?maand={maand}", "/portal/voorschotten", "/portal/betaalbestand"):
        assert consulent.get(path).status_code == 403, path  # a consulent has no benutting, voorschotten or payment files

    # while the parties themselves see theirs
    eigen = login(stack, f"aanbieder-{AANBIEDER_A}")
    page = eigen.get(f"/portal/benutting?maand={maand}")
    assert page.status_code == 200 and nieuwegein["bsn"] in page.text and houten["bsn"] in page.text
    assert houten_voorschot in eigen.get("/portal/voorschotten").text
    page = financieel.get(f"/portal/benutting?maand={maand}&bsn={nieuwegein['bsn']}")
    rij = re.search(rf'<tr data-toewijzing="{nieuwegein["nummer"]}" data-periode="{maand}">(.*?)</tr>', page.text, re.S)
    assert rij is not None and "€ 105,00" in rij.group(1), page.text  # 60 minuten × € 1,75 gedeclareerd and toegekend
    assert zonder_zorg in financieel.get("/portal/onderbenutting").text and "Geen start" in financieel.get("/portal/onderbenutting").text


# ---- the edge's own login state: OIDC login routes and the beheerder's sessions page ----------
# (the OIDC flow itself, with tampered tokens and a replayed cookie, is in tests/test_portal_oidc.py)


def _sessie_id(stack: PortalStack, gebruikersnaam: str) -> str:
    rows = sql(stack.database_url, f"SELECT id FROM edge.portal_sessie WHERE gebruikersnaam = '{gebruikersnaam}' AND beeindigd_op IS NULL ORDER BY aangemaakt_op DESC")
    return rows[0][0]


def test_sessions_only_for_a_beheerder_and_only_those_it_may_see(stack: PortalStack):
    beheerder = login(stack, "beheerder")
    beheerder_id = _sessie_id(stack, "beheerder")
    for naam in ("consulent-0356", "contractmanager-0356", "financieel-0356", "backoffice", "aanbieder-98100001"):
        client = login(stack, naam)
        page = client.get("/portal/sessies")
        assert page.status_code == 403 and _leaks(page.text, ["Beheerder Lekstroom", beheerder_id]) == [], naam
        ended = client.post(f"/portal/sessies/{beheerder_id}/beeindigen", data={"csrf": csrf(client)})
        assert ended.status_code == 403 and _leaks(ended.text, [beheerder_id]) == [], naam
    assert beheerder.get("/portal/").status_code == 200  # nobody else could end it
    # a session of a gemeente user outside the beheerder's gemeenten is neither listed nor ended
    sql(
        stack.database_url,
        "INSERT INTO edge.portal_sessie (id, gebruikersnaam, bron, naam, rol, gemeentecodes, verloopt_op)"
        " VALUES ('elders-sessie', 'oidc:elders', 'oidc', 'Consulent Elders', 'gemeente_consulent', '{0363}', now() + interval '1 hour')",
    )
    lijst = beheerder.get("/portal/sessies")
    assert lijst.status_code == 200 and "consulent-0356" in lijst.text and _leaks(lijst.text, ["elders-sessie", "Consulent Elders"]) == []
    response = beheerder.post("/portal/sessies/elders-sessie/beeindigen", data={"csrf": csrf(beheerder)})
    assert response.status_code == 404
    assert sql(stack.database_url, "SELECT beeindigd_op FROM edge.portal_sessie WHERE id = 'elders-sessie'") == [(None,)]
    # without ZK_OIDC_ISSUER the OIDC routes are not there
    for path in ("/portal/oidc/inloggen", "/portal/oidc/terug?code=x&state=y"):
        assert httpx.get(f"{stack.base_url}{path}").status_code == 404, path


def test_only_the_sender_corrects_a_rejected_message(stack: PortalStack, bericht: berichten_pb2.Bericht):
    secrets = [bericht.id, bericht.identificatie]
    for naam in ("aanbieder-98100001", "consulent-0356", "backoffice"):
        client = login(stack, naam)
        page = client.get(f"/portal/berichten/{bericht.id}/corrigeren")
        assert page.status_code == 404 and _leaks(page.text, secrets) == [], naam
        sent = client.post(f"/portal/berichten/{bericht.id}/corrigeren", data={"csrf": csrf(client), "xml": example("JW305").decode()})
        assert sent.status_code == 404 and _leaks(sent.text, secrets) == [], naam
        assert _leaks(client.get("/portal/berichten").text, secrets) == [], naam
    rows = sql(stack.database_url, f"SELECT gecorrigeerd_door FROM berichten.bericht WHERE id = '{bericht.id}'")
    assert rows == [(None,)]
    assert sql(stack.database_url, f"SELECT count(*) FROM berichten.bericht WHERE correctie_van = '{bericht.id}'") == [(0,)]
    # the sender sees it waiting and may correct it
    eigen = login(stack, "aanbieder-65656055")
    assert f'href="/portal/berichten/{bericht.id}/corrigeren"' in eigen.get("/portal/berichten").text
    assert eigen.get(f"/portal/berichten/{bericht.id}/corrigeren").status_code == 200
