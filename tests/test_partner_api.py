"""The partner webservices over HTTP: OAuth2 client credentials, sending a message, its status and
retourbericht, the postbus — and a specific 4xx with problem details for every kind of bad input."""

from __future__ import annotations

import httpx
import pytest

from berichten.codec.schemas import STANDAARD_DIR
from devstack.infra import free_port
from berichten.bench import grote_declaratie
from berichten.codec.xml import MAX_BYTES
from devstack.partners import demo_secret, write_clients_file
from devstack.testing import ServiceProcess, wait_for
from runtime.settings import SERVICE_NAMES

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


def example(name: str) -> bytes:
    return next(STANDAARD_DIR.glob(f"*/3.2/examples/{name}.xml")).read_bytes()


@pytest.fixture
def edge(start_service, tmp_path):
    berichten = start_service("berichten")
    clients_file = tmp_path / "partners.json"
    write_clients_file(clients_file)
    port = free_port()
    nobody = f"127.0.0.1:{free_port()}"
    env = {f"ZK_{n.upper()}_ADDR": (berichten.address if n == "berichten" else nobody) for n in SERVICE_NAMES}
    process = ServiceProcess("edge", {**env, "ZK_EDGE_PORT": str(port), "ZK_PARTNER_CLIENTS_FILE": str(clients_file)}, tmp_path).start()
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _up(base), 20, what="the edge answering")
    with httpx.Client(base_url=base, timeout=30) as client:
        yield client
    process.stop()


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def token(client: httpx.Client, client_id: str) -> dict[str, str]:
    response = client.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": demo_secret(client_id)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    return {"Authorization": f"Bearer {body['access_token']}"}


def send(client: httpx.Client, headers: dict[str, str], data: bytes, content_type: str = "application/xml") -> httpx.Response:
    return client.post("/partner/v1/berichten", content=data, headers={**headers, "Content-Type": content_type})


def test_token_requires_a_known_client_its_secret_and_client_credentials(edge):
    wrong = edge.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": "aanbieder-65656055", "client_secret": "raden"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = edge.post("/oauth/token", data={"grant_type": "password", "client_id": "aanbieder-65656055", "client_secret": "x"})
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    basic = edge.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("gemeente-0356", demo_secret("gemeente-0356")))
    assert basic.status_code == 200


@pytest.mark.parametrize("authorization", [None, "Bearer zk1.e30.bm9wZQ", "Basic abc"])
def test_calls_without_a_valid_token_get_401_problem_details(edge, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = edge.get("/partner/v1/postbus", headers=headers)
    assert response.status_code == 401 and response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:zorgketen:probleem:niet-geauthenticeerd"


def test_a_toewijzing_is_answered_and_both_sides_fetch_what_is_theirs(edge):
    gemeente = token(edge, "gemeente-0384")
    response = send(edge, gemeente, example("JW301"))
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "retour_verzonden" and body["berichtsoort"] == "301" and body["bevindingen"] == []
    assert response.headers["location"] == f"/partner/v1/berichten/{body['id']}"
    assert edge.get(f"/partner/v1/berichten/{body['id']}", headers=gemeente).json()["retour"] == body["retour"]

    retour = edge.get(body["retour"], headers=gemeente)
    assert retour.status_code == 200 and retour.headers["content-type"].startswith("application/xml")
    assert b"<jw302:BerichtCode>" in retour.content

    (waiting,) = edge.get("/partner/v1/postbus", headers=gemeente).json()["berichten"]
    assert waiting["berichtsoort"] == "302" and waiting["levering"] == "opgehaald"  # fetched through the retour link
    assert edge.post(waiting["ontvangen"], headers=gemeente).json() == {"id": waiting["id"], "levering": "bevestigd"}
    assert edge.get("/partner/v1/postbus", headers=gemeente).json() == {"berichten": [], "volgende": None}

    aanbieder = token(edge, "aanbieder-42420001")
    (delivered,) = edge.get("/partner/v1/postbus", headers=aanbieder).json()["berichten"]
    assert delivered["id"] == body["id"] and delivered["levering"] == "klaargezet"
    assert edge.get(delivered["xml"], headers=aanbieder).content == example("JW301")


def test_a_start_waits_for_its_verdict_without_a_retour_link(edge):
    aanbieder = token(edge, "aanbieder-65656055")
    body = send(edge, aanbieder, example("JW305")).json()
    assert body["status"] == "geaccepteerd" and "retour" not in body
    assert edge.get(f"/partner/v1/berichten/{body['id']}/retour", headers=aanbieder).status_code == 404


def test_a_rejected_message_is_answered_with_its_retourcodes(edge):
    aanbieder = token(edge, "aanbieder-65656055")
    response = send(edge, aanbieder, example("JW305").replace(b"<jw305:Ontvanger>0363</jw305:Ontvanger>", b"<jw305:Ontvanger>0001</jw305:Ontvanger>"))
    assert response.status_code == 202
    assert [(b["regel"], b["retourcode"]) for b in response.json()["bevindingen"]] == [("TR378", "S300")]
    assert b"<jw306:RetourCode>S300</jw306:RetourCode>" in edge.get(response.json()["retour"], headers=aanbieder).content


@pytest.mark.parametrize(
    "data, content_type, status, probleem",
    [
        (b"dit is geen xml", "application/xml", 400, "geen-xml"),
        (example("JW305")[:400], "application/xml", 400, "onvolledige-xml"),
        (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>', "application/xml", 400, "dtd-niet-toegestaan"),
        (example("JW305").replace(b"ijw/3_2/jw305", b"ijw/2_3/jw305"), "application/xml", 422, "release-niet-ondersteund"),
        (example("JW305").replace(b"<jw305:Geslacht>1</jw305:Geslacht>", b"<jw305:Geslacht>9</jw305:Geslacht>"), "application/xml", 422, "xsd-ongeldig"),
        (b'{"bericht": 305}', "application/json", 415, "geen-xml-mediatype"),
    ],
    ids=["not-xml", "truncated", "xxe", "old-release", "xsd-invalid", "json"],
)
def test_bad_input_gets_a_specific_4xx_with_problem_details(edge, data, content_type, status, probleem):
    response = send(edge, token(edge, "aanbieder-65656055"), data, content_type)
    assert response.status_code == status and response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:zorgketen:probleem:{probleem}" and body["detail"] and body["instance"] == "/partner/v1/berichten"
    if probleem == "xsd-ongeldig":
        assert body["xsd_fouten"][0]["element"] == "/Bericht/Client/Geslacht" and body["xsd_fouten"][0]["regel"] > 1


def test_a_body_over_25_mb_gets_413(edge):
    response = send(edge, token(edge, "aanbieder-65656055"), b"<a>" + b" " * (25 * 1024 * 1024) + b"</a>")
    assert response.status_code == 413 and response.json()["type"] == "urn:zorgketen:probleem:te-groot"


def test_a_party_cannot_send_or_read_in_anothers_name(edge):
    other = token(edge, "aanbieder-98100001")
    forged = send(edge, other, example("JW305"))
    assert forged.status_code == 403 and forged.headers["content-type"] == PROBLEM
    sent = send(edge, token(edge, "aanbieder-65656055"), example("JW305")).json()
    for client_id in ("aanbieder-98100001", "gemeente-0356"):
        headers = token(edge, client_id)
        for path in (f"/partner/v1/berichten/{sent['id']}", f"/partner/v1/berichten/{sent['id']}/retour", f"/partner/v1/postbus/{sent['id']}"):
            response = edge.get(path, headers=headers)
            assert response.status_code == 404, (client_id, path, response.text)
        assert edge.post(f"/partner/v1/postbus/{sent['id']}/ontvangen", headers=headers).status_code == 404
        assert edge.get("/partner/v1/postbus", headers=headers).json()["berichten"] == []


def test_a_message_near_the_25_mb_limit_is_received_whole_and_its_xml_fetched_back(edge):
    """gRPC's default limit is 4 MB; an i-Standaard message may be 25 MB (OP179) and crosses edge → hub → edge whole."""
    data = grote_declaratie(24 * 1024 * 1024)
    assert 20 * 1024 * 1024 < len(data) <= MAX_BYTES
    aanbieder = token(edge, "aanbieder-65656055")
    response = send(edge, aanbieder, data)
    assert response.status_code == 202, response.text[:500]
    assert response.json()["status"] == "geaccepteerd"  # a 323 waits for the declaratie service
    gemeente = token(edge, "gemeente-0384")
    (delivered,) = edge.get("/partner/v1/postbus", headers=gemeente).json()["berichten"]
    assert edge.get(delivered["xml"], headers=gemeente).content == data
