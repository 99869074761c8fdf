"""A portal page that gathers from several services shows what the reachable ones answered when one
is down, with a Dutch notice naming the service(s) that could not be reached, and logs it: the audit
page (each service's inzage log; the unreachable service keeps its paging position, the others go
on; when it returns, the later pages show none of its rows newer than the first page) and the
cliënt's dossier (a missing cliënt is still an error). Real service processes, one of them stopped."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import grpc
import pytest
from zorgketen.common.v1 import audit_pb2, audit_pb2_grpc, common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2

from devstack.portal_testing import PortalStack, login, portal_stack_fixture
from devstack.testing import ServiceProcess, health_status, metadata, wait_for
from edge.portal.audit import DIENSTEN, lees_token
from runtime.tenancy import Role, Tenant

pytestmark = pytest.mark.integration

_DIENST_CEL = re.compile(r"<td>(" + "|".join(DIENSTEN.values()) + r")</td>\s*</tr>")
_VOLGENDE = re.compile(r'href="(/portal/audit\?[^"]*na=[^"]+)">Volgende pagina')
BEHEERDER = Tenant.gemeente(Role.BEHEERDER, "test:beheerder", ["0356", "0321", "0353", "0331", "1961"])


stack = portal_stack_fixture("portal-onbereikbaar")


def proces(stack: PortalStack, naam: str) -> ServiceProcess:
    return next(p for p in stack.processes if p.name == naam and p.process is not None and p.process.poll() is None)


def diensten_in(html: str) -> set[str]:
    return set(_DIENST_CEL.findall(html))


def client_0356(stack: PortalStack) -> indicatie_pb2.Client:
    return next(c for c in stack.clienten("0356") if c.bsn.value == stack.traject_bsn)


def test_a_service_that_returns_while_the_audit_pages_are_walked_shows_nothing_newer_than_the_first_page(stack: PortalStack):
    """Declaratie is down on the first page, so the token keeps it at the start; it answers again
    before the next page, with rows recorded after the first page (the searches made since). The
    later pages show its rows up to the first page's moment — every one of them, once — and none after."""
    beheerder, zoek = login(stack, "beheerder"), "/portal/audit?wie=portal:beheerder&wat=ZoekInzage"
    for _ in range(3):
        beheerder.get(zoek)  # each search adds a row to each of the four logs
    declaratie = proces(stack, "declaratie")
    declaratie.stop()
    for _ in range(18):
        beheerder.get(zoek)  # rows in the other three: more than a page
    eerste = beheerder.get(zoek)
    assert eerste.status_code == 200 and "De dienst Declaratie is nu niet bereikbaar" in eerste.text
    volgende = _VOLGENDE.search(eerste.text)
    assert volgende, "more than 50 rows: a next page"
    posities, moment = lees_token(parse_qs(urlparse(unescape(volgende.group(1))).query)["na"][0], list(DIENSTEN))
    assert posities["declaratie"] == "" and moment is not None

    declaratie.start()
    wait_for(lambda: health_status(declaratie.address) == "SERVING", 30, what="declaratie SERVING again")
    # the edge reaches it again (each try is a search, recorded after the first page's moment — in declaratie too once it answers)
    wait_for(lambda: "niet bereikbaar" not in beheerder.get(zoek).text, 60, 0.5, what="the edge reaching declaratie again")

    def declaratie_rijen(tot: str = "") -> int:
        request = audit_pb2.ZoekInzageRequest(page=common_pb2.PageRequest(page_size=500), subject="portal:beheerder", wat="ZoekInzage", tot=tot)
        with grpc.insecure_channel(declaratie.address) as channel:
            return len(audit_pb2_grpc.AuditStub(channel).ZoekInzage(request, metadata=metadata(BEHEERDER), timeout=15).inzages)

    voor = declaratie_rijen(moment.isoformat())
    assert 0 < voor < declaratie_rijen(), "declaratie has rows before and after the first page's moment"

    pad, getoond, paginas = unescape(volgende.group(1)), 0, 0
    while pad:
        page = beheerder.get(pad)
        assert page.status_code == 200 and "niet bereikbaar" not in page.text, page.text
        getoond += _DIENST_CEL.findall(page.text).count("Declaratie")
        verder = _VOLGENDE.search(page.text)
        pad, paginas = unescape(verder.group(1)) if verder else "", paginas + 1
        assert paginas < 20
    assert getoond == voor


def test_pages_show_what_the_reachable_services_answer_and_name_the_ones_that_do_not(stack: PortalStack):
    beheerder, consulent = login(stack, "beheerder"), login(stack, "consulent-0356")
    client = client_0356(stack)
    dossier_pad = f"/portal/clienten/0356/{client.bsn.value}"
    assert consulent.get(dossier_pad).status_code == 200  # reads in every service
    beheerder.get("/portal/audit")  # each service records the search: rows in all four logs
    alles = beheerder.get("/portal/audit?wat=ZoekInzage")
    assert alles.status_code == 200 and diensten_in(alles.text) == set(DIENSTEN.values())
    assert 'id="onbereikbaar"' not in alles.text

    proces(stack, "declaratie").stop()

    # the audit page: the rows of the other three, and a notice naming Declaratie
    audit = beheerder.get("/portal/audit?wat=ZoekInzage")
    assert audit.status_code == 200, audit.text
    assert diensten_in(audit.text) == {"Indicatie", "Toewijzing", "Berichten"}
    assert 'id="onbereikbaar"' in audit.text and "De dienst Declaratie is nu niet bereikbaar" in audit.text

    # its paging: with rows enough for more than one page, the next page goes on for the others and
    # keeps Declaratie where it was (the start), so none of its rows is skipped once it answers again
    for _ in range(18):
        beheerder.get("/portal/audit?wie=portal:beheerder&wat=ZoekInzage")  # each search adds a row to each of the three logs
    eerste = beheerder.get("/portal/audit?wie=portal:beheerder&wat=ZoekInzage")
    volgende = _VOLGENDE.search(eerste.text)
    assert volgende, "more than 50 rows: a next page"
    posities, _ = lees_token(parse_qs(urlparse(unescape(volgende.group(1))).query)["na"][0], list(DIENSTEN))
    assert posities["declaratie"] == ""  # not answered: from the start again
    assert all(posities[d] for d in ("indicatie", "toewijzing", "berichten") if posities[d] is not None)
    tweede = beheerder.get(unescape(volgende.group(1)))
    assert tweede.status_code == 200 and "De dienst Declaratie is nu niet bereikbaar" in tweede.text
    assert diensten_in(tweede.text) <= {"Indicatie", "Toewijzing", "Berichten"}

    # the dossier: the cliënt and what indicatie and toewijzing hold, the declaraties left out and named
    dossier = consulent.get(dossier_pad)
    assert dossier.status_code == 200, dossier.text
    assert client.bsn.value in dossier.text and 'id="beschikkingen-kop"' in dossier.text
    assert "De dienst Declaratie is nu niet bereikbaar" in dossier.text
    assert "De declaraties kunnen nu niet worden getoond (de dienst Declaratie is niet bereikbaar)." in dossier.text
    assert "De toewijzingen kunnen nu niet worden getoond" not in dossier.text
    # a cliënt that does not exist is still an error, not a page with gaps
    assert consulent.get("/portal/clienten/0356/999999990").status_code == 404

    # logged, naming the service
    edge = proces(stack, "edge")
    wait_for(lambda: "service declaratie not reachable" in edge.logtext(), 10, what="the edge logging the unreachable service")

    # two services down: both named
    proces(stack, "toewijzing").stop()
    dossier = consulent.get(dossier_pad)
    assert dossier.status_code == 200 and "De diensten Toewijzing en Declaratie zijn nu niet bereikbaar" in dossier.text
    assert "De toewijzingen kunnen nu niet worden getoond (de dienst Toewijzing is niet bereikbaar)." in dossier.text
    audit = beheerder.get("/portal/audit?wat=ZoekInzage")
    assert audit.status_code == 200 and diensten_in(audit.text) == {"Indicatie", "Berichten"}
    assert "De diensten Toewijzing en Declaratie zijn nu niet bereikbaar" in audit.text

    # the cliënt's own service down: the dossier cannot be shown at all
    proces(stack, "indicatie").stop()
    assert consulent.get(dossier_pad).status_code == 503
