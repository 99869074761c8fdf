"""The 4 + 2 + 2 weeks from melding to besluit: calendar weeks ending on a werkdag (Algemene
termijnenwet), each phase capped by the promise from the melding; time left counted in werkdagen."""

from datetime import date

import pytest

from indicatie.domain.termijnen import (
    Fase,
    Urgentie,
    bijna_verlopen_tot,
    doorlooptijd_einde,
    fase_deadline,
    termijn_einde,
    urgentie,
    werkdagen_resterend,
)
from runtime.errors import DomainError


def test_a_term_of_weeks_ends_on_the_same_weekday():
    assert termijn_einde(date(2026, 3, 2), 4) == date(2026, 3, 30)  # Monday -> Monday


def test_a_term_ending_on_a_weekend_or_feestdag_moves_to_the_next_werkdag():
    assert termijn_einde(date(2026, 2, 28), 2) == date(2026, 3, 16)  # Saturday + 2 weeks -> Monday
    assert termijn_einde(date(2026, 3, 23), 2) == date(2026, 4, 7)  # ends on Easter Monday 6 April -> Tuesday
    assert termijn_einde(date(2026, 12, 11), 2) == date(2026, 12, 28)  # Christmas Friday -> Monday


def test_melding_to_besluit_takes_at_most_eight_weeks():
    melding = date(2026, 3, 2)
    assert doorlooptijd_einde(melding) == date(2026, 4, 28)  # 27 April is Koningsdag
    assert fase_deadline(Fase.PARTICIPATIEADVISEUR, melding, melding) == date(2026, 3, 30)


def test_each_phase_has_its_own_term_from_its_start():
    melding = date(2026, 3, 2)
    # the participatieadviseur hands over after one week: the aanbieder gets its full two weeks
    assert fase_deadline(Fase.AANBIEDER, date(2026, 3, 9), melding) == date(2026, 3, 23)
    # signed on 23 March: the gemeente has two weeks (6 April is Easter Monday -> 7 April)
    assert fase_deadline(Fase.BESLUIT, date(2026, 3, 23), melding) == date(2026, 4, 7)


def test_a_late_phase_shortens_the_next_so_the_whole_stays_within_eight_weeks():
    melding = date(2026, 3, 2)
    late_overdracht = date(2026, 4, 9)  # more than five weeks after the melding
    assert fase_deadline(Fase.AANBIEDER, late_overdracht, melding) == termijn_einde(melding, 6)
    late_aanvraag = date(2026, 4, 20)
    assert fase_deadline(Fase.BESLUIT, late_aanvraag, melding) == doorlooptijd_einde(melding)


def test_a_phase_cannot_start_before_the_melding():
    with pytest.raises(DomainError, match="before the melding"):
        fase_deadline(Fase.AANBIEDER, date(2026, 3, 1), date(2026, 3, 2))


def test_werkdagen_left_skip_weekends_and_feestdagen():
    assert werkdagen_resterend(date(2026, 4, 2), date(2026, 4, 8)) == 2  # Thursday to Wednesday: Good Friday and Easter Monday do not count
    assert werkdagen_resterend(date(2026, 4, 8), date(2026, 4, 8)) == 0
    assert werkdagen_resterend(date(2026, 4, 10), date(2026, 4, 8)) == -2


def test_urgentie_of_a_deadline():
    vandaag = date(2026, 3, 2)  # Monday
    assert urgentie(vandaag, date(2026, 3, 20)) is Urgentie.OP_TIJD
    assert urgentie(vandaag, date(2026, 3, 5)) is Urgentie.BIJNA_VERLOPEN  # 3 werkdagen left
    assert urgentie(vandaag, date(2026, 3, 6)) is Urgentie.OP_TIJD  # 4 werkdagen left
    assert urgentie(vandaag, date(2026, 2, 27)) is Urgentie.VERLOPEN
    assert bijna_verlopen_tot(vandaag) == date(2026, 3, 5)
    assert bijna_verlopen_tot(date(2026, 3, 4)) == date(2026, 3, 9)  # Wednesday: up to Monday, over the weekend
