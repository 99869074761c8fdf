"""The portal's login, sessions and tenancy over HTTP against the real services: the built-in login
refuses wrong wachtwoorden and forged forms, the session cookie is signed, HttpOnly, SameSite=Lax
and expires, every form POST needs the session's CSRF token — and through every portal route
aanbieder A cannot read aanbieder B's data nor gemeente X gemeente Y's: 403 or 404, nothing leaked."""

from __future__ import annotations

import re
from collections.abc import Iterator

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
    inschrijving_van,
    nieuwe_bsn,
    start_portal_stack,
    stop_portal_stack,
    toewijzing_call,
    verzoek_om_toewijzing,
)
from devstack.testing import metadata, wait_for
from devstack.users import demo_password
from edge import portal
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration


def example(name: str) -> bytes:
    return next(STANDAARD_DIR.glob(f"*/3.2/examples/{name}.xml")).read_bytes()


@pytest.fixture(scope="module")
def stack(infra, tmp_path_factory) -> Iterator[PortalStack]:
    started, nats = start_portal_stack(infra, tmp_path_factory.mktemp("portal-tenancy"))
    yield started
    stop_portal_stack(started, nats)


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


def login(stack: PortalStack, gebruikersnaam: str) -> httpx.Client:
    client = httpx.Client(base_url=stack.base_url, follow_redirects=False, timeout=30)
    page = client.get("/portal/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/portal/inloggen", data={"csrf": token, "terug": "/portal/", "gebruikersnaam": gebruikersnaam, "wachtwoord": demo_password(gebruikersnaam)}
    )
    assert response.status_code == 303 and response.headers["location"] == "/portal/", response.text
    return client


def csrf(client: httpx.Client, path: str = "/portal/") -> str:
    return re.search(r'data-csrf="([^"]+)"', client.get(path).text).group(1)  # type: ignore[union-attr]


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
    "/portal/trajecten/{traject_id}": "gemeente and aanbieder tests",
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
}


def test_every_portal_route_is_tried_across_tenants():
    paths = {route.path for module in portal.ROUTERS for route in module.routes}
    assert paths == set(COVERED), f"new or removed portal routes: add them to the cross-tenant tests: {paths ^ set(COVERED)}"
