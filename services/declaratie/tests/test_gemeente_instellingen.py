"""A gemeente's settings: the defaults (calendar month, onderbenutting after 60 days, no debtor account)
and what is refused."""

from datetime import date

import pytest

from declaratie.domain.betaalbestand import Rekeninghouder
from declaratie.domain.instellingen import ONDERBENUTTING_DREMPEL_DAGEN, GemeenteInstellingen
from declaratie.domain.periode import PeriodeRitme, Ritme
from runtime.errors import DomainError


def test_defaults_are_the_calendar_month_sixty_days_and_no_debtor_account():
    i = GemeenteInstellingen("0356")
    assert (i.ritme.ritme, i.ritme.eerste_maandag, i.onderbenutting_drempel_dagen, i.debiteur) == (Ritme.KALENDERMAAND, None, 60, None)
    assert ONDERBENUTTING_DREMPEL_DAGEN == 60
    # the default rhythm: 15 October 2026 lies in October
    assert (i.ritme.periode_van(date(2026, 10, 15)).begindatum, i.ritme.periode_van(date(2026, 10, 15)).einddatum) == (date(2026, 10, 1), date(2026, 10, 31))


def test_a_four_week_rhythm_from_a_monday_and_a_debtor_account():
    i = GemeenteInstellingen("0353", PeriodeRitme(Ritme.VIER_WEKEN, date(2026, 1, 5)), 90, Rekeninghouder("Gemeente IJsselstein", "nl20 ingb 0001 2345 67"))
    # 5 January + 28 days: the second period is 2 February .. 1 March
    assert i.ritme.periode_van(date(2026, 2, 14)).begindatum == date(2026, 2, 2) and i.ritme.kenmerk(i.ritme.periode_van(date(2026, 2, 14))) == "2026-P02"
    assert i.debiteur is not None and i.debiteur.iban == "NL20INGB0001234567"


@pytest.mark.parametrize(
    "maak, melding",
    [
        (lambda: GemeenteInstellingen("356"), "not 4 digits"),
        (lambda: GemeenteInstellingen("0356", onderbenutting_drempel_dagen=0), "not 1..730"),
        (lambda: GemeenteInstellingen("0356", onderbenutting_drempel_dagen=731), "not 1..730"),
        (lambda: GemeenteInstellingen("0356", PeriodeRitme(Ritme.VIER_WEKEN, date(2026, 1, 6))), "not a Monday"),
        (lambda: GemeenteInstellingen("0356", debiteur=Rekeninghouder("Gemeente", "NL20INGB0001234568")), "mod-97"),
    ],
)
def test_wrong_settings_are_refused_with_what_is_wrong(maak, melding):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match=melding):
        maak()
