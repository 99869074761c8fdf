"""The portal's OIDC login and its server-side sessions, against a real OpenID Connect provider on
127.0.0.1 (devstack.oidc_provider: real HTTP, real RSA and EC keys, signed id_tokens, PKCE checked)
and the real services:

- a user logs in without a browser (httpx following redirects) and in Debian's Chromium, acts as
  the tenant the id_token's claims describe, and logs out (also at the issuer);
- tampered, expired, wrong-audience, wrong-issuer, wrong-nonce and foreign-key tokens, a replayed
  code, a forged state and an unknown role are refused with a page that says why, and no session;
- logout, a beheerder's action and the absolute maximum end a session in every edge process, also
  for a replayed copy of the cookie.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from playwright.sync_api import BrowserContext, expect

from devstack.browser import assert_accessible, browser, log_in, playwright, screenshot  # noqa: F401  (fixtures)
from devstack.infra import free_port
from devstack.oidc_provider import OidcProvider
from devstack.portal_testing import PortalStack, portal_stack
from devstack.testing import sql

pytestmark = pytest.mark.integration

ALLE = ["0356", "0321", "0353", "0331", "1961"]
USERS = {
    "j.jansen": {"name": "J. Jansen", "zk_rol": "gemeente_consulent", "zk_gemeentecodes": ["0356"]},
    "a.bakker": {"name": "A. Bakker", "zk_rol": "aanbieder_medewerker", "zk_agb": "98100001"},
    "b.beheer": {"name": "B. Beheer", "zk_rol": "beheerder", "zk_gemeentecodes": ALLE},
    "x.elders": {"name": "X. Elders", "zk_rol": "gemeente_consulent", "zk_gemeentecodes": ["0363"]},  # outside the region
    "d.directeur": {"name": "D. Directeur", "zk_rol": "directeur", "zk_gemeentecodes": ["0356"]},
    "g.geen": {"name": "G. Geen", "zk_rol": "gemeente_consulent"},  # no gemeente, no AGB
}


@pytest.fixture(scope="module")
def oidc(infra, tmp_path_factory) -> Iterator[tuple[PortalStack, OidcProvider, str, str]]:
    """The services, a provider, and two edge processes with OIDC on one database (the second with
    its own port: both are registered redirect URIs would need two clients, so it is used only with
    cookies made by the first)."""
    workdir = tmp_path_factory.mktemp("portal-oidc")
    port = free_port()
    provider = OidcProvider("zorgketen-portaal", "geheim-van-de-test", f"http://127.0.0.1:{port}/portal/oidc/terug", USERS).start()
    with portal_stack(infra, workdir, ZK_EDGE_PORT=str(port), **provider.edge_env()) as stack:
        tweede = stack.start_edge(workdir, **provider.edge_env())
        yield stack, provider, stack.base_url, tweede
    provider.stop()


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden":
            self.fields[values["name"] or ""] = values.get("value") or ""


def oidc_login(base: str, provider: OidcProvider, gebruiker: str, terug: str = "/portal/") -> tuple[httpx.Client, httpx.Response]:
    """Logs in without a browser: the portal sends us to the provider's form, we fill it in, the
    redirects bring us back. Returns the client (with its cookies) and the last response."""
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=30)
    form_page = client.get("/portal/oidc/inloggen", params={"terug": terug})
    assert form_page.status_code == 200 and str(form_page.url).startswith(provider.issuer + "/authorize"), form_page.text
    parser = _Form()
    parser.feed(form_page.text)
    return client, client.post(f"{provider.issuer}/authorize", data={**parser.fields, "gebruiker": gebruiker})


def has_session(client: httpx.Client) -> bool:
    return any(c.name == "zk_sessie" for c in client.cookies.jar)


def test_login_without_a_browser_acts_as_the_tenant_of_the_claims(oidc):
    stack, provider, base, _ = oidc
    client, response = oidc_login(base, provider, "j.jansen", terug="/portal/clienten")
    assert response.status_code == 200 and str(response.url) == f"{base}/portal/clienten"
    assert "J. Jansen" in response.text and "gemeente 0356" in response.text
    assert all(c.bsn.value in response.text for c in stack.clienten("0356")[:5])
    houten = stack.clienten("0321")[0].bsn.value
    assert houten not in response.text
    assert client.get(f"/portal/clienten/0321/{houten}").status_code == 404  # the services refuse another gemeente
    # the PKCE verifier, state and nonce did their work: the token the provider issued carried our nonce
    issued = provider.uitgegeven[-1]
    assert issued["sub"] == "j.jansen" and issued["aud"] == "zorgketen-portaal" and issued["nonce"]
    # an aanbieder gets its AGB as tenant: no cliënten list, its own toewijzingen
    aanbieder, start = oidc_login(base, provider, "a.bakker")
    assert start.status_code == 200 and "AGB 98100001" in start.text and "Medewerker zorgaanbieder" in start.text


def test_es256_tokens_are_accepted_too(oidc):
    _, provider, base, _ = oidc
    provider.alg = "ES256"
    try:
        client, response = oidc_login(base, provider, "j.jansen")
    finally:
        provider.alg = "RS256"
    assert response.status_code == 200 and "Welkom, J. Jansen" in response.text and has_session(client)


@pytest.mark.parametrize(
    ("manipulatie", "uitleg"),
    [
        ("verlopen", "het identiteitsbewijs is verlopen"),
        ("andere_aud", "niet voor dit portaal bestemd"),
        ("andere_iss", "komt niet van de ingestelde inlogdienst"),
        ("andere_nonce", "hoort niet bij deze inlogpoging"),
        ("onbekende_sleutel", "de handtekening van het identiteitsbewijs klopt niet"),
        ("gewijzigd", "de handtekening van het identiteitsbewijs klopt niet"),
    ],
)
def test_a_wrong_id_token_is_refused_with_a_clear_page(oidc, manipulatie, uitleg):
    _, provider, base, _ = oidc
    provider.manipulatie = manipulatie
    try:
        client, response = oidc_login(base, provider, "j.jansen")
    finally:
        provider.manipulatie = ""
    assert response.status_code == 401 and "Inloggen mislukt" in response.text and uitleg in response.text, response.text
    assert not has_session(client)
    assert client.get("/portal/", follow_redirects=False).status_code == 303


def test_an_unknown_role_or_a_user_without_party_gets_no_session(oidc):
    _, provider, base, _ = oidc
    client, response = oidc_login(base, provider, "d.directeur")
    assert response.status_code == 403 and "geen (eenduidige) rol" in response.text and "directeur" in response.text
    assert not has_session(client)
    client, response = oidc_login(base, provider, "g.geen")
    assert response.status_code == 403 and "niet (goed) aan een gemeente of zorgaanbieder gekoppeld" in response.text
    assert not has_session(client)
    client, response = oidc_login(base, provider, "niet-bestaand")  # the provider answers access_denied
    assert response.status_code == 401 and "afgebroken" in response.text


def test_a_forged_state_and_a_replayed_code_are_refused(oidc):
    _, provider, base, _ = oidc
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    start = client.get("/portal/oidc/inloggen")
    assert start.status_code == 303
    parser = _Form()
    parser.feed(client.get(start.headers["location"]).text)
    back = client.post(f"{provider.issuer}/authorize", data={**parser.fields, "gebruiker": "j.jansen"})
    callback = back.headers["location"]
    forged = client.get(re.sub(r"state=[^&]+", "state=vervalst", callback))
    assert forged.status_code == 400 and "hoort niet bij deze browser" in forged.text
    flow = client.cookies.get("zk_oidc", path="/portal")
    assert client.get(callback).status_code == 303 and has_session(client)  # the real one works once
    assert httpx.get(callback).status_code == 400  # another browser, without our state cookie
    replay = httpx.get(callback, cookies={"zk_oidc": flow})  # the same code again: the provider refuses it
    assert replay.status_code == 401 and "weigerde de inlogcode" in replay.text


def test_logout_ends_the_session_in_every_edge_process_and_at_the_issuer(oidc):
    _, provider, base, tweede = oidc
    client, _ = oidc_login(base, provider, "j.jansen")
    cookie = client.cookies.get("zk_sessie", path="/portal")
    assert httpx.get(f"{tweede}/portal/clienten", cookies={"zk_sessie": cookie}).status_code == 200  # one session, both edges
    csrf = re.search(r'data-csrf="([^"]+)"', client.get("/portal/").text).group(1)  # type: ignore[union-attr]
    before = provider.uitgelogd
    logout = client.post("/portal/uitloggen", data={"csrf": csrf})
    assert logout.status_code == 200 and str(logout.url) == f"{base}/portal/inloggen?uitgelogd=1" and "U bent uitgelogd" in logout.text
    assert provider.uitgelogd == before + 1  # through the issuer's end_session_endpoint
    for edge in (base, tweede):  # the old cookie, replayed, no longer opens anything
        replay = httpx.get(f"{edge}/portal/clienten", cookies={"zk_sessie": cookie}, follow_redirects=False)
        assert replay.status_code == 303 and replay.headers["location"].startswith("/portal/inloggen"), edge


def test_a_beheerder_ends_a_session_which_then_fails_everywhere(oidc):
    stack, provider, base, tweede = oidc
    consulent, _ = oidc_login(base, provider, "j.jansen")
    elders, _ = oidc_login(base, provider, "x.elders")
    beheerder, _ = oidc_login(base, provider, "b.beheer")
    lijst = beheerder.get("/portal/sessies")
    assert lijst.status_code == 200 and "J. Jansen" in lijst.text
    assert "X. Elders" not in lijst.text  # a gemeente outside the beheerder's
    sessie_ids = re.findall(r'action="/portal/sessies/([^/"]+)/beeindigen"', lijst.text)
    rows = sql(stack.database_url, "SELECT id, gebruikersnaam FROM edge.portal_sessie WHERE beeindigd_op IS NULL")
    jansen = {i for i, naam in rows if naam == "oidc:j.jansen"} & set(sessie_ids)
    elders_id = next(i for i, naam in rows if naam == "oidc:x.elders")
    csrf = re.search(r'data-csrf="([^"]+)"', lijst.text).group(1)  # type: ignore[union-attr]
    # not a session it may not see, and not as a consulent
    assert beheerder.post(f"/portal/sessies/{elders_id}/beeindigen", data={"csrf": csrf}).status_code == 404
    assert elders.get("/portal/").status_code == 200
    consulent_csrf = re.search(r'data-csrf="([^"]+)"', consulent.get("/portal/").text).group(1)  # type: ignore[union-attr]
    assert consulent.get("/portal/sessies").status_code == 403
    assert consulent.post(f"/portal/sessies/{elders_id}/beeindigen", data={"csrf": consulent_csrf}).status_code == 403
    cookie = consulent.cookies.get("zk_sessie", path="/portal")
    for sessie_id in jansen:
        done = beheerder.post(f"/portal/sessies/{sessie_id}/beeindigen", data={"csrf": csrf})
        assert done.status_code == 200 and "De sessie is beëindigd" in done.text
    for edge in (base, tweede):
        replay = httpx.get(f"{edge}/portal/", cookies={"zk_sessie": cookie}, follow_redirects=False)
        assert replay.status_code == 303, edge
    assert sql(stack.database_url, f"SELECT beeindigd_door FROM edge.portal_sessie WHERE id = '{sorted(jansen)[0]}'") == [("oidc:b.beheer",)]


def test_a_session_ends_at_its_absolute_maximum_however_active(oidc):
    stack, provider, _, _ = oidc
    kort = stack.start_edge(stack.workdir, ZK_PORTAL_SESSION_MAX_SECONDS="3")  # built-in login only
    client = httpx.Client(base_url=kort, follow_redirects=False, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/portal/inloggen").text).group(1)  # type: ignore[union-attr]
    client.post("/portal/inloggen", data={"csrf": token, "terug": "/portal/", "gebruikersnaam": "consulent-0356", "wachtwoord": "demo-consulent-0356"})
    assert client.get("/portal/").status_code == 200
    time.sleep(3.5)  # within the sliding TTL of 1800 s, past the maximum of 3 s
    response = client.get("/portal/")
    assert response.status_code == 303 and response.headers["location"].startswith("/portal/inloggen")


def test_oidc_login_and_logout_in_the_browser(oidc, browser: BrowserContext):
    _, provider, base, _ = oidc
    page = browser.new_page()
    page.goto(f"{base}/portal/berichten")
    expect(page).to_have_url(re.compile(r"/portal/inloggen\?terug=/portal/berichten$"))
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen met uw organisatieaccount").click()
    expect(page.get_by_role("heading", name="Inlogdienst (test)")).to_be_visible()
    page.get_by_label("Gebruiker").fill("j.jansen")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(f"{base}/portal/berichten")
    expect(page.get_by_text("J. Jansen — Consulent, gemeente 0356")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "20-oidc-ingelogd")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(f"{base}/portal/inloggen?uitgelogd=1")
    expect(page.get_by_role("status").filter(has_text="U bent uitgelogd")).to_be_visible()
    page.goto(f"{base}/portal/berichten")
    expect(page).to_have_url(re.compile(r"/portal/inloggen"))

    # a user whose account has no role in the portal sees why
    page.get_by_role("link", name="Inloggen met uw organisatieaccount").click()
    page.get_by_label("Gebruiker").fill("d.directeur")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_text("geen (eenduidige) rol")).to_be_visible()
    screenshot(page, "21-oidc-onbekende-rol")


def test_the_built_in_login_still_works_beside_oidc(oidc, browser: BrowserContext):
    _, _, base, _ = oidc
    page = browser.new_page()
    page.goto(f"{base}/portal/")
    log_in(page, "consulent-0321")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Consulent Houten")
