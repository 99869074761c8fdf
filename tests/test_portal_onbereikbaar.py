"""A portal page that gathers from several services shows what the reachable ones answered when one
is down, with a Dutch notice naming the service(s) that could not be reached, and logs it: the audit
page (each service's inzage log; the unreachable service keeps its paging position, the others go
on) and the cliënt's dossier (a missing cliënt is still an error). Real service processes, one of
them stopped."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from zorgketen.indicatie.v1 import indicatie_pb2

from devstack.portal_testing import PortalStack, login, portal_stack_fixture
from devstack.testing import ServiceProcess, wait_for
from edge.portal.audit import DIENSTEN, lees_token

pytestmark = pytest.mark.integration

_DIENST_CEL = re.compile(r"<td>(" + "|".join(DIENSTEN.values()) + r")</td>\s*</tr>")
_VOLGENDE = re.compile(r'href="(/portal/audit\?[^"]*na=[^"]+)">Volgende pagina')


stack = portal_stack_fixture("portal-onbereikbaar")


def proces(stack: PortalStack, naam: str) -> ServiceProcess:
    return next(p for p in stack.processes if p.name == naam and p.process is not None and p.process.poll() is None)


def diensten_in(html: str) -> set[str]:
    return set(_DIENST_CEL.findall(html))


def client_0356(stack: PortalStack) -> indicatie_pb2.Client:
    return next(c for c in stack.clienten("0356") if c.bsn.value == stack.traject_bsn)


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
    posities = lees_token(parse_qs(urlparse(unescape(volgende.group(1))).query)["na"][0], list(DIENSTEN))
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
