"""The demo region is large and varied enough to try every part of the chain."""

from collections import Counter
from datetime import date

from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2

from devstack.demo import demo_bsns, demo_clienten, demo_contracten, load_region
from indicatie.domain.client import is_geldig_bsn


def test_region_has_gemeenten_aanbieders_and_contracts_for_both_laws():
    region = load_region()
    assert len(region["gemeenten"]) >= 3 and all(len(g["code"]) == 4 for g in region["gemeenten"])
    assert len(region["aanbieders"]) >= 3 and all(len(a["agb"]) == 8 for a in region["aanbieders"])
    contracten = demo_contracten(region)
    assert {c.wet for c in contracten} == {common_pb2.WET_WMO, common_pb2.WET_JEUGDWET}
    assert {c.gemeente.value for c in contracten} == {g["code"] for g in region["gemeenten"]}


def test_clienten_are_many_valid_unique_and_varied():
    clienten = demo_clienten(load_region())
    assert len(clienten) >= 100
    assert all(is_geldig_bsn(c.bsn.value) and c.bsn.value.startswith("9999") for c in clienten)
    assert len({c.bsn.value for c in clienten}) == len(clienten)
    assert "999900006" not in {c.bsn.value for c in clienten}  # left to the official example messages
    statuses = Counter(c.status for c in clienten)
    assert set(statuses) == {indicatie_pb2.CLIENT_STATUS_ACTIEF, indicatie_pb2.CLIENT_STATUS_VERHUISD, indicatie_pb2.CLIENT_STATUS_OVERLEDEN}
    minderjarig = sum(1 for c in clienten if (date(2026, 11, 1) - date.fromisoformat(c.geboortedatum.value)).days < 18 * 365)
    assert 0 < minderjarig < len(clienten)
    assert demo_clienten(load_region()) == clienten  # deterministic


def test_demo_bsns_pass_the_11_proef():
    assert all(is_geldig_bsn(b) for b in demo_bsns())
