"""A contract version has a tarief in eurocent, a valid product and eenheid, and a sound period."""

from datetime import date

import pytest

from declaratie.domain.contract import Contract, Uitvoeringsvariant, Wet
from runtime.errors import DomainError


def contract(**changes):  # type: ignore[no-untyped-def]
    values = dict(
        gemeentecode="0356", agb="98100001", wet=Wet.JEUGDWET, productcategorie="45", productcode="45A48",
        uitvoeringsvariant=Uitvoeringsvariant.INSPANNINGSGERICHT, tarief_eurocent=175, eenheid="01", begindatum=date(2026, 1, 1),
    )
    return Contract(**{**values, **changes})


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"agb": "9810"}, "AGB"),
        ({"productcategorie": "4"}, "productcategorie"),
        ({"productcode": "45a48x"}, "productcode"),
        ({"tarief_eurocent": 0}, "tarief"),
        ({"eenheid": "4"}, "eenheid"),
        ({"einddatum": date(2025, 12, 31)}, "einddatum"),
    ],
)
def test_invalid_contract_is_refused_with_its_reason(changes, message):
    with pytest.raises(DomainError, match=message):
        contract(**changes)


def test_taakgericht_contract_may_have_no_tarief():
    assert contract(uitvoeringsvariant=Uitvoeringsvariant.TAAKGERICHT, tarief_eurocent=0).tarief_eurocent == 0
