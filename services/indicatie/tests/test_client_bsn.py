"""A cliënt has a BSN that passes the 11-proef and a valid gemeentecode, naam and geboortedatum."""

from datetime import date, timedelta

import pytest

from indicatie.domain.client import Client, Geslacht, is_geldig_bsn
from runtime.errors import DomainError


@pytest.mark.parametrize("bsn", ["999900006", "111222333", "123456782"])
def test_bsn_passing_the_11_proef(bsn):
    assert is_geldig_bsn(bsn)


@pytest.mark.parametrize("bsn", ["123456789", "99990000", "9999000061", "99990000a", "000000000", ""])
def test_bsn_failing_the_11_proef_or_the_form(bsn):
    assert not is_geldig_bsn(bsn)


def client(**changes):  # type: ignore[no-untyped-def]
    values = dict(bsn="999900006", gemeentecode="0356", geslachtsnaam="Jansen", voorletters="J.", geboortedatum=date(1950, 1, 1), geslacht=Geslacht.MAN)
    return Client(**{**values, **changes})


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"bsn": "123456789"}, "11-proef"),
        ({"gemeentecode": "356"}, "gemeentecode"),
        ({"geslachtsnaam": " "}, "geslachtsnaam"),
        ({"geboortedatum": date.today() + timedelta(days=1)}, "future"),
        ({"postcode": "3431"}, "postcode"),
    ],
)
def test_invalid_client_is_refused_with_its_reason(changes, message):
    with pytest.raises(DomainError, match=message):
        client(**changes)


def test_valid_client():
    assert client(postcode="3431AB").postcode == "3431AB"
