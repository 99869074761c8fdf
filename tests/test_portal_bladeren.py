"""Keyset paging never offers a next page that is empty: the services read one row past the page
and give a next-page token only when that row exists. In the portal's cliënt list, exactly
page_size × k cliënten show no "Volgende" on page k; one more and "Volgende" leads to a page with
just that one; a later page reached by an old link (as the services gave before, after a full last
page) says the list changed instead of showing nothing. The same holds for the services' other
keyset-paged lists the portal pages through, with the real demo data."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import quote

import grpc
import httpx
import pytest
from zorgketen.common.v1 import audit_pb2, audit_pb2_grpc, common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from devstack.portal_testing import (
    CONSULENT_0356,
    PortalStack,
    beschikking,
    client_met_beschikking,
    inschrijving_van,
    login,
    nieuwe_bsn,
    portal_stack_fixture,
    toewijzing_call,
)
from devstack.testing import metadata, wait_for
from edge.portal import clienten, toewijzing
from edge.portal.clienten import PAGE_SIZE
from runtime.pagination import encode_token
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

HOUTEN = "0321"
CONSULENT_HOUTEN = Tenant.gemeente(Role.GEMEENTE_CONSULENT, "portal:consulent-0321", [HOUTEN])
BEHEERDER = Tenant.gemeente(Role.BEHEERDER, "portal:beheerder", ["0356", "0321", "0353", "0331", "1961"])
_RIJ = re.compile(rf'href="/portal/clienten/{HOUTEN}/(\d{{9}})"')
_VOLGENDE = re.compile(r'href="(/portal/clienten\?na=[^"]+)">Volgende cliënten')


stack = portal_stack_fixture("portal-bladeren")


def registreer(stack: PortalStack, aantal: int) -> list[str]:
    """`aantal` new cliënten of Houten, through the indicatie service; their BSNs."""
    bsns = []
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        stub = indicatie_pb2_grpc.IndicatieStub(channel)
        for _ in range(aantal):
            bsn = nieuwe_bsn(stack)
            client = indicatie_pb2.Client(
                bsn=common_pb2.Bsn(value=bsn),
                gemeente=common_pb2.Gemeentecode(value=HOUTEN),
                geslachtsnaam="Bakker",
                voorletters="P.",
                geboortedatum=common_pb2.Datum(value="1980-05-06"),
                geslacht="2",
                adressen=[indicatie_pb2.Adres(soort="01", straatnaam="Loerikseweg", huisnummer=3, postcode="3991AA", plaatsnaam="Houten")],
            )
            stub.RegistreerClient(indicatie_pb2.RegistreerClientRequest(client=client), metadata=metadata(CONSULENT_HOUTEN), timeout=10)
            bsns.append(bsn)
    return bsns


def pagina_s(portal: httpx.Client) -> list[tuple[list[str], str | None]]:
    """Every page of the cliënt list, following "Volgende": its BSNs and its next link."""
    paginas, pad = [], "/portal/clienten"
    while pad:
        response = portal.get(pad)
        assert response.status_code == 200, response.text
        volgende = _VOLGENDE.search(response.text)
        paginas.append((_RIJ.findall(response.text), volgende.group(1).replace("&amp;", "&") if volgende else None))
        pad = paginas[-1][1]
        assert len(paginas) < 100
    return paginas


def test_the_clienten_list_offers_a_next_page_only_when_a_cliënt_follows(stack: PortalStack):
    portal = login(stack, "consulent-0321")
    al = len(stack.clienten(HOUTEN))
    k = max(1, -(-al // PAGE_SIZE))
    registreer(stack, PAGE_SIZE * k - al)
    assert len(stack.clienten(HOUTEN)) == PAGE_SIZE * k

    # exactly page_size × k: k full pages, and page k has no "Volgende"
    paginas = pagina_s(portal)
    assert [len(bsns) for bsns, _ in paginas] == [PAGE_SIZE] * k
    assert paginas[-1][1] is None
    alle = [bsn for bsns, _ in paginas for bsn in bsns]
    assert alle == sorted(alle) and len(set(alle)) == PAGE_SIZE * k

    # one more: page k has "Volgende", and it leads to a page with just that cliënt and no "Volgende"
    (erbij,) = registreer(stack, 1)
    paginas = pagina_s(portal)
    assert [len(bsns) for bsns, _ in paginas] == [PAGE_SIZE] * k + [1]
    nu = [bsn for bsns, _ in paginas for bsn in bsns]
    assert nu == sorted(alle + [erbij])  # in BSN order: the one on the last page is the highest
    assert paginas[k - 1][1] is not None and paginas[k] == ([nu[-1]], None)

    # an old link to the page after the last cliënt (as the services gave after a full last page): it says so
    oud = f"/portal/clienten?na={quote(encode_token([HOUTEN, nu[-1]]))}"
    leeg = portal.get(oud)
    assert leeg.status_code == 200 and not _RIJ.search(leeg.text) and not _VOLGENDE.search(leeg.text)
    assert 'id="lege-pagina"' in leeg.text and "Er zijn geen cliënten meer na de vorige pagina" in leeg.text
    assert 'href="/portal/clienten">Naar het begin van de lijst' in leeg.text


# ---- the services' other lists the portal pages through: exact multiples end without a token ----


def _clienten(channel: grpc.Channel, page: common_pb2.PageRequest, tenant: Tenant):  # type: ignore[no-untyped-def]
    response = indicatie_pb2_grpc.IndicatieStub(channel).ListClienten(indicatie_pb2.ListClientenRequest(page=page), metadata=metadata(tenant), timeout=15)
    return list(response.clienten), response.next_page_token


def _beschikkingen(channel: grpc.Channel, page: common_pb2.PageRequest, tenant: Tenant):  # type: ignore[no-untyped-def]
    response = indicatie_pb2_grpc.IndicatieStub(channel).ListBeschikkingen(indicatie_pb2.ListBeschikkingenRequest(page=page), metadata=metadata(tenant), timeout=15)
    return list(response.beschikkingen), response.next_page_token


def _contracten(channel: grpc.Channel, page: common_pb2.PageRequest, tenant: Tenant):  # type: ignore[no-untyped-def]
    response = declaratie_pb2_grpc.DeclaratieStub(channel).ListContracten(declaratie_pb2.ListContractenRequest(page=page), metadata=metadata(tenant), timeout=15)
    return list(response.contracten), response.next_page_token


def _inzage(channel: grpc.Channel, page: common_pb2.PageRequest, tenant: Tenant):  # type: ignore[no-untyped-def]
    # the rows recorded by the Houten consulent's reads of the cliënt list (one per cliënt read): a set
    # that does not grow while the pages are walked (the search itself is recorded under the beheerder)
    request = audit_pb2.ZoekInzageRequest(page=page, subject="portal:consulent-0321", wat="ListClienten")
    response = audit_pb2_grpc.AuditStub(channel).ZoekInzage(request, metadata=metadata(tenant), timeout=15)
    return list(response.inzages), response.next_page_token


def _toewijslijst(channel: grpc.Channel, page: common_pb2.PageRequest, tenant: Tenant):  # type: ignore[no-untyped-def]
    response = toewijzing_pb2_grpc.ToewijzingStub(channel).ListToewijslijst(toewijzing_pb2.ListToewijslijstRequest(page=page), metadata=metadata(tenant), timeout=15)
    return list(response.inschrijvingen), response.next_page_token


LIJSTEN: dict[str, tuple[str, Callable, Tenant]] = {
    "ListClienten": ("indicatie", _clienten, CONSULENT_HOUTEN),
    "ListBeschikkingen": ("indicatie", _beschikkingen, Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "backoffice", ["0356", "0321", "0353", "0331", "1961"])),
    "ListContracten": ("declaratie", _contracten, Tenant.gemeente(Role.CONTRACTMANAGER, "portal:contractmanager-0356", ["0356"])),
    "ZoekInzage": ("indicatie", _inzage, BEHEERDER),
    # the gemeente reads its entries in pages; an aanbieder's page is filtered by its contracts after reading
    "ListToewijslijst (gemeente)": ("toewijzing", _toewijslijst, CONSULENT_0356),
    "ListToewijslijst (aanbieder)": ("toewijzing", _toewijslijst, Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "portal:aanbieder-98100003", "98100003")),
}


@pytest.fixture(scope="module")
def op_de_toewijslijst(stack: PortalStack) -> list[str]:
    """Four new cliënten of Nieuwegein on the toewijslijst (45A48, contracted with 98100003), once there."""
    vandaag = date.today()
    bsns = [nieuwe_bsn(stack) for _ in range(4)]
    for bsn in bsns:
        client_met_beschikking(stack, bsn, vandaag.isoformat(), (vandaag + timedelta(days=180)).isoformat())
    for bsn in bsns:
        inschrijving_van(stack, bsn)
    return bsns


@pytest.mark.parametrize("lijst", list(LIJSTEN))
def test_a_list_of_exactly_whole_pages_ends_without_a_token_and_one_row_more_gets_one(stack: PortalStack, lijst: str, request: pytest.FixtureRequest):
    dienst, vraag, tenant = LIJSTEN[lijst]
    if lijst.startswith("ListToewijslijst"):
        request.getfixturevalue("op_de_toewijslijst")
    with grpc.insecure_channel(stack.addresses[dienst]) as channel:
        if lijst == "ZoekInzage":  # rows to search: the Houten consulent reads its cliënt list once
            _clienten(channel, common_pb2.PageRequest(page_size=500), CONSULENT_HOUTEN)
        alle, token = vraag(channel, common_pb2.PageRequest(page_size=500), tenant)
        assert not token and len(alle) >= 4, (lijst, len(alle))
        for grootte in {len(alle), len(alle) // 2 if len(alle) % 2 == 0 else len(alle) - 1}:
            gezien, token, paginas = [], "", 0
            while True:
                rijen, token = vraag(channel, common_pb2.PageRequest(page_size=grootte, page_token=token), tenant)
                assert rijen, (lijst, grootte, paginas)  # a token never leads to an empty page
                gezien += rijen
                paginas += 1
                if not token:
                    break
            assert gezien == alle, (lijst, grootte)
            assert paginas == -(-len(alle) // grootte), (lijst, grootte, paginas)  # the last page is full or holds the rest; nothing after it


# ---- the dossier: each of the cliënt's lists in pages, as many as it has ----

_DOSSIER_RIJEN = {
    "beschikkingen": re.compile(r'/beschikkingen/(\d+)/brief"'),
    "trajecten": re.compile(r'href="/portal/trajecten/([^"]+)"'),
    "toewijzingen": re.compile(r'href="/portal/toewijzingen/0356/jeugdwet/(\d+)"'),
}
# per list: its page size in the dossier, and the words of its links to the next and the first page
_DOSSIER_LIJSTEN = {
    "beschikkingen": (clienten.PAGE_SIZE, "Volgende beschikkingen", "Eerste beschikkingen"),
    "trajecten": (clienten.PAGE_SIZE, "Volgende samenwerkingstrajecten", "Eerste samenwerkingstrajecten"),
    "toewijzingen": (toewijzing.PAGE_SIZE, "Volgende toewijzingen", "Eerste toewijzingen"),
}
_DOSSIER_AANTAL = 2 * max(grootte for grootte, _, _ in _DOSSIER_LIJSTEN.values()) + 1


def _link(html: str, tekst: str) -> str | None:
    link = re.search(rf'<a href="([^"]+)">{tekst}</a>', html)
    return link.group(1).replace("&amp;", "&") if link else None


def _dossier_rijen(html: str) -> dict[str, list[str]]:
    return {lijst: rij.findall(html) for lijst, rij in _DOSSIER_RIJEN.items()}


@pytest.fixture(scope="module")
def veel_in_het_dossier(stack: PortalStack) -> str:
    """A Nieuwegein cliënt with 2 × page size + 1 beschikkingen (each a week of 45A48 with 98100003, so
    as many toewijzingen) and as many samenwerkingstrajecten, made through the services' gRPC."""
    from zorgketen.indicatie.v1 import trajecten_pb2, trajecten_pb2_grpc

    bsn, eerste = nieuwe_bsn(stack), date(2027, 1, 4)
    for n in range(_DOSSIER_AANTAL):
        ingang = eerste + timedelta(weeks=n)
        maak = client_met_beschikking if n == 0 else beschikking
        maak(stack, bsn, ingang.isoformat(), (ingang + timedelta(days=6)).isoformat(), "98100003")
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        stub = trajecten_pb2_grpc.TrajectenStub(channel)
        for n in range(_DOSSIER_AANTAL):
            melding = trajecten_pb2.RegistreerMeldingRequest(bsn=common_pb2.Bsn(value=bsn), gemeente=common_pb2.Gemeentecode(value="0356"), onderwerp=f"Melding {n}")
            stub.RegistreerMelding(melding, metadata=metadata(CONSULENT_0356), timeout=10)
    alle = toewijzing_pb2.ListToewijzingenRequest(bsn=common_pb2.Bsn(value=bsn), page=common_pb2.PageRequest(page_size=500))
    wait_for(lambda: len(toewijzing_call(stack, "ListToewijzingen", alle, CONSULENT_0356).toewijzingen) == _DOSSIER_AANTAL, 120, 0.5, what="the toewijzingen made")
    return bsn


def test_the_dossier_pages_through_every_list_of_a_client_with_more_than_two_pages(stack: PortalStack, veel_in_het_dossier: str):
    """Beschikkingen, samenwerkingstrajecten and toewijzingen past the first page: each list's
    "Volgende" leads on until every row has been shown exactly once (pages of 50, 50 and 1), and
    no further; its links keep the other lists where they are; each page's read is audited."""
    bsn = veel_in_het_dossier
    portal, start = login(stack, "consulent-0356"), f"/portal/clienten/0356/{bsn}"
    page = portal.get(start)
    assert page.status_code == 200, page.text
    assert {lijst: len(rijen) for lijst, rijen in _dossier_rijen(page.text).items()} == {lijst: g for lijst, (g, _, _) in _DOSSIER_LIJSTEN.items()}
    geladen, laatste = 1, {}  # pages loaded; the last row of each list walked so far
    for lijst, (grootte, volgende, terug) in _DOSSIER_LIJSTEN.items():
        gezien, per_pagina = [], []
        while True:
            rijen = _dossier_rijen(page.text)
            gezien += rijen[lijst]
            per_pagina.append(len(rijen[lijst]))
            assert {eerder: rijen[eerder] for eerder in laatste} == {eerder: [rij] for eerder, rij in laatste.items()}, lijst  # they stay on their last page
            pad = _link(page.text, volgende)
            if pad is None:
                break
            assert pad.startswith(f"{start}?") and pad.endswith(f"#{lijst}-kop"), pad
            page = portal.get(pad)
            assert page.status_code == 200, page.text
            geladen += 1
        assert per_pagina == [grootte] * (_DOSSIER_AANTAL // grootte) + [_DOSSIER_AANTAL % grootte], (lijst, per_pagina)
        assert len(gezien) == len(set(gezien)) == _DOSSIER_AANTAL, lijst
        begin = _link(page.text, terug)
        assert begin is not None and f"{lijst}_na=" not in begin, (lijst, begin)
        laatste[lijst] = gezien[-1]

    # every dossier page read the cliënt's beschikkingen once, and each read is in the indicatie service's audit log
    zoek = audit_pb2.ZoekInzageRequest(page=common_pb2.PageRequest(page_size=500), subject="portal:consulent-0356", bsn=common_pb2.Bsn(value=bsn), wat="ListBeschikkingen")
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        inzages = audit_pb2_grpc.AuditStub(channel).ZoekInzage(zoek, metadata=metadata(BEHEERDER), timeout=15).inzages
    assert len(inzages) == geladen, (len(inzages), geladen)


def test_an_old_link_past_the_last_beschikking_in_the_dossier_says_the_list_changed(stack: PortalStack, veel_in_het_dossier: str):
    """A link to the page after the cliënt's last beschikking (as the service gave after a full last page)."""
    bsn = veel_in_het_dossier
    with grpc.insecure_channel(stack.addresses["indicatie"]) as channel:
        vraag = indicatie_pb2.ListBeschikkingenRequest(page=common_pb2.PageRequest(page_size=500), gemeente=common_pb2.Gemeentecode(value="0356"), bsn=common_pb2.Bsn(value=bsn))
        nummers = [b.beschikkingnummer for b in indicatie_pb2_grpc.IndicatieStub(channel).ListBeschikkingen(vraag, metadata=metadata(CONSULENT_0356), timeout=15).beschikkingen]
    leeg = login(stack, "consulent-0356").get(f"/portal/clienten/0356/{bsn}?beschikkingen_na={quote(encode_token(['0356', nummers[-1]]))}")
    assert leeg.status_code == 200 and not _dossier_rijen(leeg.text)["beschikkingen"]
    assert 'id="beschikkingen-lege-pagina"' in leeg.text and "Er zijn geen beschikkingen meer na de vorige pagina" in leeg.text
    assert f'href="/portal/clienten/0356/{bsn}#beschikkingen-kop">Naar het begin van de lijst' in leeg.text
    assert len(_dossier_rijen(leeg.text)["trajecten"]) == clienten.PAGE_SIZE  # the other lists are on their first page
