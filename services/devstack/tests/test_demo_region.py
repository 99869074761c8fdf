"""The demo region is large and varied enough to try every part of the chain."""

from collections import Counter
from datetime import date

from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2

from devstack.demo import demo_beschikkingen, demo_bsns, demo_clienten, demo_contracten, load_region
from indicatie.domain.client import is_geldig_bsn


def test_region_has_gemeenten_aanbieders_and_contracts_for_both_laws():
    region = load_region()
    assert len(region["gemeenten"]) >= 3 and all(len(g["code"]) == 4 for g in region["gemeenten"])
    assert len(region["aanbieders"]) >= 3 and all(len(a["agb"]) == 8 for a in region["aanbieders"])
    contracten = demo_contracten(region)
    assert {c.wet for c in contracten} == {common_pb2.WET_WMO, common_pb2.WET_JEUGDWET}
    assert {c.gemeente.value for c in contracten} == {g["code"] for g in region["gemeenten"]}


def test_gemeenten_and_aanbieders_have_valid_fictitious_ibans_and_one_aanbieder_an_agreed_voorschot():
    from declaratie.domain.betaalbestand import iban_geldig

    region = load_region()
    ibans = [p["iban"] for p in region["gemeenten"] + region["aanbieders"]]
    assert all(iban_geldig(i) and i[4:8] == "ZKDM" for i in ibans) and len(set(ibans)) == len(ibans)
    afspraken = {c.aanbieder.value for c in demo_contracten(region) if c.HasField("voorschot_per_periode_eurocent")}
    assert afspraken == {"98100004"}
    assert set(region["regie"]["definitief"]) <= {g["code"] for g in region["gemeenten"]}


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


def test_clienten_have_a_complete_brp_adres():
    for client in demo_clienten(load_region()):
        (adres,) = client.adressen
        assert adres.soort == "01" and adres.straatnaam and adres.plaatsnaam and adres.huisnummer > 0
        assert adres.postcode == client.postcode and str(adres.huisnummer) == client.huisnummer


def test_beschikkingen_for_actieve_clienten_with_contracted_producten_of_their_wet():
    region = load_region()
    clienten = {c.bsn.value: c for c in demo_clienten(region)}
    beschikkingen = demo_beschikkingen(region)
    assert 20 <= len(beschikkingen) < len(clienten)
    assert len({b.beschikkingnummer for b in beschikkingen}) == len(beschikkingen)
    contracted = {(c.gemeente.value, c.product.code, c.wet) for c in demo_contracten(region)}
    for b in beschikkingen:
        client = clienten[b.bsn.value]
        assert client.status == indicatie_pb2.CLIENT_STATUS_ACTIEF and b.gemeente == client.gemeente
        (product,) = b.producten
        assert (b.gemeente.value, product.product.code, b.wet) in contracted
        minderjarig = date.fromisoformat(client.geboortedatum.value) > date(2008, 2, 1)
        assert (b.wet == common_pb2.WET_JEUGDWET) == minderjarig
    assert {b.wet for b in beschikkingen} == {common_pb2.WET_WMO, common_pb2.WET_JEUGDWET}
    assert demo_beschikkingen(region) == beschikkingen  # deterministic
