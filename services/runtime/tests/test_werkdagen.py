"""Werkdagen skip weekends and the algemeen erkende feestdagen."""

from datetime import date

from runtime.werkdagen import is_werkdag, pasen, plus_werkdagen


def test_easter_dates():
    assert [pasen(y) for y in (2024, 2025, 2026, 2027)] == [date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)]


def test_weekends_and_feestdagen_are_not_werkdagen():
    assert not is_werkdag(date(2026, 11, 21))  # Saturday
    assert is_werkdag(date(2026, 11, 23))
    for feestdag in (date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 5), date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25)):
        assert not is_werkdag(feestdag), feestdag
    assert not is_werkdag(date(2025, 4, 26))  # Koningsdag moves to the 26th when the 27th is a Sunday


def test_counting_werkdagen_forward_and_back():
    assert plus_werkdagen(date(2026, 12, 23), 3) == date(2026, 12, 29)  # over Christmas and a weekend
    assert plus_werkdagen(date(2026, 4, 7), -3) == date(2026, 3, 31)  # back over Easter Monday and Good Friday
    assert plus_werkdagen(date(2026, 11, 23), 0) == date(2026, 11, 23)
