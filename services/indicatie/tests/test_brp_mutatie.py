"""BRP-mutaties: overlijden and verhuizing buiten de gemeente change the cliënt's status and are
published; a verhuizing binnen de gemeente changes only the BRP-adres."""

from datetime import date

import pytest

from indicatie.domain import events
from indicatie.domain.brp import BrpMutatie, BrpMutatieSoort, pas_toe
from indicatie.domain.client import Adres, ClientStatus
from indicatie.tests.voorbeelden import client
from runtime.errors import DomainError


def mutatie(**changes) -> BrpMutatie:  # type: ignore[no-untyped-def]
    values = dict(bsn="999900006", gemeentecode="0356", soort=BrpMutatieSoort.OVERLIJDEN, datum=date(2026, 3, 2), kenmerk="brp-1")
    return BrpMutatie(**{**values, **changes})


def test_overlijden_sets_the_status_and_is_published_as_client_overleden():
    m = mutatie()
    assert pas_toe(client(), m).status is ClientStatus.OVERLEDEN
    subject, data = events.brp_mutatie_verwerkt(m)  # type: ignore[misc]
    assert subject == "indicatie.client.overleden"
    assert data == {"bsn": "999900006", "gemeentecode": "0356", "datum": "2026-03-02", "kenmerk": "brp-1", "bron": "koppeling"}


def test_verhuizing_buiten_de_gemeente_is_published_with_the_new_gemeente():
    m = mutatie(soort=BrpMutatieSoort.VERHUIZING, nieuwe_gemeentecode="0344")
    assert pas_toe(client(), m).status is ClientStatus.VERHUISD
    subject, data = events.brp_mutatie_verwerkt(m)  # type: ignore[misc]
    assert subject == "indicatie.client.verhuisd" and data["nieuwe_gemeentecode"] == "0344"


def test_verhuizing_binnen_de_gemeente_changes_the_brp_adres():
    nieuw = Adres("01", postcode="3432CD", huisnummer=3, straatnaam="Dorpsstraat", plaatsnaam="Nieuwegein")
    m = mutatie(soort=BrpMutatieSoort.VERHUIZING, nieuwe_gemeentecode="0356", nieuw_adres=nieuw)
    na = pas_toe(client(), m)
    assert na.adres("01") == nieuw and na.postcode == "3432CD" and na.status is ClientStatus.ACTIEF
    assert events.brp_mutatie_verwerkt(m) is None


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"kenmerk": ""}, "kenmerk"),
        ({"datum": date(2999, 1, 1)}, "future"),
        ({"soort": BrpMutatieSoort.VERHUIZING}, "nieuwe gemeentecode"),
        ({"soort": BrpMutatieSoort.VERHUIZING, "nieuwe_gemeentecode": "0356"}, "needs the new adres"),
        ({"nieuwe_gemeentecode": "0344"}, "overlijden carries no"),
    ],
)
def test_bad_mutatie_is_refused_with_its_reason(changes, words):
    with pytest.raises(DomainError, match=words):
        mutatie(**changes)


def test_no_mutatie_after_overlijden():
    with pytest.raises(DomainError, match="already registered as overleden"):
        pas_toe(client(status=ClientStatus.OVERLEDEN), mutatie(soort=BrpMutatieSoort.VERHUIZING, nieuwe_gemeentecode="0344"))
