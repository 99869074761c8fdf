"""The audit page merges the services' newest-first pages into one newest-first list: the first page
holds the newest rows of all services, the token continues each service right after its last shown
row, and walking the pages shows every row exactly once, in order — also when rows of different
services have the same moment, and when a service runs out."""

from __future__ import annotations

import base64
import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from zorgketen.common.v1 import audit_pb2

from edge.portal.audit import KLAAR, Bronpagina, lees_token, maak_token, samenvoegen
from edge.portal.context import PortalFout

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)


def rij(id: int, seconden: int) -> audit_pb2.Inzage:
    return audit_pb2.Inzage(id=id, op=(T0 + timedelta(seconds=seconden)).isoformat(), na=f"na-{id}")


class Bron:
    """One service's log answering a page after a position, as the service's keyset does."""

    def __init__(self, rijen: list[audit_pb2.Inzage]):
        self.rijen = sorted(rijen, key=lambda i: (datetime.fromisoformat(i.op), i.id), reverse=True)

    def pagina(self, positie: str, grootte: int) -> Bronpagina:
        start = 0 if not positie else next(n for n, i in enumerate(self.rijen) if i.na == positie) + 1
        rijen = self.rijen[start : start + grootte]
        return Bronpagina(rijen, start + grootte < len(self.rijen))


def alle_paginas(bronnen: dict[str, Bron], grootte: int) -> list[list[tuple[str, int]]]:
    token, paginas = "", []
    while True:
        posities, _ = lees_token(token, list(bronnen))
        open_ = {d: bronnen[d].pagina(p or "", grootte) for d, p in posities.items() if p is not KLAAR}
        rijen, verder = samenvoegen(posities, open_, grootte)
        paginas.append([(d, i.id) for d, i in rijen])
        if verder is None:
            return paginas
        token = maak_token(verder, T0)


def test_the_first_page_holds_the_newest_rows_of_all_services():
    bronnen = {"indicatie": Bron([rij(1, 10), rij(2, 40)]), "toewijzing": Bron([rij(1, 30), rij(2, 20)]), "declaratie": Bron([rij(7, 50)])}
    paginas = alle_paginas(bronnen, 3)
    assert paginas[0] == [("declaratie", 7), ("indicatie", 2), ("toewijzing", 1)]
    assert paginas[1] == [("toewijzing", 2), ("indicatie", 1)]
    assert len(paginas) == 2


def test_walking_the_pages_shows_every_row_once_newest_first_with_ties_and_services_running_out():
    rng = random.Random(7)
    bronnen = {
        naam: Bron([rij(n, rng.randrange(0, 40)) for n in range(1, aantal + 1)])  # few moments: many ties across services
        for naam, aantal in (("indicatie", 57), ("toewijzing", 3), ("declaratie", 0), ("berichten", 21))
    }
    verwacht = sorted(
        ((datetime.fromisoformat(i.op), d, i.id) for d, b in bronnen.items() for i in b.rijen), reverse=True
    )
    for grootte in (1, 4, 10, 81, 200):
        paginas = alle_paginas(bronnen, grootte)
        gezien = [r for p in paginas for r in p]
        assert gezien == [(d, id) for _, d, id in verwacht], grootte
        assert all(len(p) == grootte for p in paginas[:-1]) and 0 < len(paginas[-1]) <= grootte


def test_nothing_found_is_one_empty_page_without_a_next_one():
    rijen, verder = samenvoegen({"indicatie": "", "toewijzing": ""}, {"indicatie": Bronpagina([], False), "toewijzing": Bronpagina([], False)}, 50)
    assert rijen == [] and verder is None


def test_a_token_that_the_page_did_not_make_is_refused():
    goed = maak_token({"indicatie": "", "toewijzing": KLAAR}, T0)
    assert lees_token(goed, ["indicatie", "toewijzing"]) == ({"indicatie": "", "toewijzing": KLAAR}, T0)
    zonder_moment = base64.urlsafe_b64encode(json.dumps({"posities": {"indicatie": "", "toewijzing": ""}}).encode()).decode()
    zonder_zone = base64.urlsafe_b64encode(json.dumps({"posities": {"indicatie": "", "toewijzing": ""}, "tot": "2026-12-03T09:00:00"}).encode()).decode()
    oud = base64.urlsafe_b64encode(json.dumps({"indicatie": "", "toewijzing": ""}).encode()).decode()  # positions without the moment
    for token in ("nonsense!", maak_token({"indicatie": ""}, T0), maak_token({"indicatie": "", "toewijzing": 3}, T0), zonder_moment, zonder_zone, oud):  # type: ignore[dict-item]
        with pytest.raises(PortalFout) as fout:
            lees_token(token, ["indicatie", "toewijzing"])
        assert fout.value.status == 400


def test_a_service_that_did_not_answer_keeps_its_position_while_the_others_go_on():
    bronnen = {"indicatie": Bron([rij(n, n) for n in range(1, 6)]), "toewijzing": Bron([rij(n, n) for n in range(1, 4)])}
    posities = {"indicatie": "", "toewijzing": "", "declaratie": "na-9"}  # declaratie is down on this page
    rijen, verder = samenvoegen(posities, {d: b.pagina(posities[d] or "", 4) for d, b in bronnen.items()}, 4)
    assert [(d, i.id) for d, i in rijen] == [("indicatie", 5), ("indicatie", 4), ("toewijzing", 3), ("indicatie", 3)]
    assert verder == {"indicatie": "na-3", "toewijzing": "na-3", "declaratie": "na-9"}
    # all the others done: declaratie alone remains, from where it was
    rijen, verder = samenvoegen({"indicatie": KLAAR, "toewijzing": KLAAR, "declaratie": "na-9"}, {}, 4)
    assert rijen == [] and verder == {"indicatie": KLAAR, "toewijzing": KLAAR, "declaratie": "na-9"}
