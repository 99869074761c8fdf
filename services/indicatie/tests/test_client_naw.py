"""A cliënt's adressen, contact and vertegenwoordiging are checked on their shape and codes; the NAW
needed for a beschikking is complete only with a full woonadres."""

from datetime import date

import pytest

from indicatie.domain.client import Adres, Client, Contact, WettelijkeVertegenwoordiging, codes_gebreken, naw_gebreken
from indicatie.tests.voorbeelden import client, codelijsten
from runtime.errors import DomainError

OP = date(2026, 3, 1)


def test_complete_client_has_no_gebreken():
    c = client(contact=Contact("030-1234567", "j@example.nl"), wettelijke_vertegenwoordiging=WettelijkeVertegenwoordiging("06", "Bureau Jeugdzorg"))
    assert naw_gebreken(c) == [] and codes_gebreken(c, codelijsten(), OP) == []
    assert (c.postcode, c.huisnummer) == ("3431AB", "12")  # the short form follows the woonadres


def test_old_short_adres_becomes_the_brp_adres():
    c = Client(bsn="999900006", gemeentecode="0356", geslachtsnaam="Jansen", voorletters="J.", geboortedatum=date(1950, 1, 1), geslacht="1", postcode="3431 ab", huisnummer="7")  # type: ignore[arg-type]
    assert c.adressen == (Adres("01", postcode="3431AB", huisnummer=7),)
    assert naw_gebreken(c) == ["the woonadres lacks straatnaam, plaatsnaam"]


def test_correspondentieadres_is_the_postadres():
    post = Adres("02", postcode="3430AA", huisnummer=1, straatnaam="Postbus", plaatsnaam="Nieuwegein")
    c = client(adressen=(*client().adressen, post))
    assert c.postadres == post and c.woonadres.soort == "01"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: client(adressen=(Adres("01"), Adres("01"))), "one adres per soort"),
        (lambda: Contact(telefoon="bel me"), "telefoon"),
        (lambda: Contact(emailadres="geen-mail"), "emailadres"),
        (lambda: WettelijkeVertegenwoordiging("06", " "), "naam of the vertegenwoordiger"),
    ],
)
def test_bad_client_values_are_refused_with_their_reason(make, words):
    with pytest.raises(DomainError, match=words):
        make()


@pytest.mark.parametrize(
    "adres, words",
    [
        (dict(postcode="0431AB"), "postcode"),
        (dict(huisnummer=100000), "huisnummer"),
        (dict(huisletter="AB"), "huisletter"),
        (dict(straatnaam="x" * 25), "24 characters"),
    ],
)
def test_bad_adres_is_refused(adres, words):
    with pytest.raises(DomainError, match=words):
        Adres("01", **adres)


def test_codes_are_checked_against_their_lists():
    c = client(
        datum_gebruik="7",
        adressen=(Adres("09", postcode="3431AB", huisnummer=1, straatnaam="A", plaatsnaam="B"), Adres("02", land="XX")),
        wettelijke_vertegenwoordiging=WettelijkeVertegenwoordiging("99", "X"),
        gemeentecode="0001",
    )
    gebreken = " | ".join(codes_gebreken(c, codelijsten(), OP))
    for words in ("datum_gebruik '7'", "soort adres '09'", "land 'XX'", "wettelijke vertegenwoordiging '99'", "gemeentecode '0001'"):
        assert words in gebreken


def test_unknown_geboortedatum_with_datum_gebruik():
    c = client(geboortedatum=date(1900, 1, 1), datum_gebruik="3")
    assert codes_gebreken(c, codelijsten(), OP) == []
