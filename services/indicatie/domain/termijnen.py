"""The doorlooptijd from melding to besluit: at most 8 weeks, split 4 + 2 + 2.

The rule: from the melding to the besluit takes at most 8 weeks — at most 4 weeks for the
participatieadviseur (melding until the POP is handed to the aanbieder), 2 weeks for the aanbieder
(overdracht until the POP signed by the cliënt, the aanvraag) and 2 weeks for the gemeente's besluit
(aanvraag until besluit; the Wmo 2015, art. 2.3.5 lid 1, also gives the college two weeks).

How days are counted, and why:

- The terms are set in *weeks*, so they are counted in calendar weeks, as the Algemene termijnenwet
  does for a term of weeks: a term starts the day after the event (the melding, the overdracht, the
  signature) and ends on the same weekday `n` weeks later. When that day is a Saturday, Sunday or
  algemeen erkende feestdag, the term ends on the next werkdag (Atw art. 1; `runtime.werkdagen`
  knows which days those are). Counting the weeks as 20 / 10 / 10 werkdagen instead would let the
  three parts add up to more than 8 weeks around Easter or Christmas.
- Each phase gets its own term from the day it really starts, but never beyond the cumulative
  promise from the melding (4, 6, 8 weeks): a late phase shortens the ones after it, so the whole
  path still ends within 8 weeks. An early phase does not give the next one more than its own term.
- The time *left* on a signal is counted in werkdagen (`werkdagen_resterend`), because that is the
  time a party can act; a signal is "bijna verlopen" with at most BIJNA_VERLOPEN_WERKDAGEN left.

Pure: dates in, dates out.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from runtime.errors import DomainError
from runtime.werkdagen import is_werkdag, plus_werkdagen


class Fase(StrEnum):
    PARTICIPATIEADVISEUR = "participatieadviseur"  # melding -> POP overgedragen aan de aanbieder
    AANBIEDER = "aanbieder"  # overdracht -> POP ondertekend door de cliënt (de aanvraag)
    BESLUIT = "besluit"  # aanvraag -> besluit van de gemeente


FASE_WEKEN: dict[Fase, int] = {Fase.PARTICIPATIEADVISEUR: 4, Fase.AANBIEDER: 2, Fase.BESLUIT: 2}
# the promise from the melding at the end of each phase: 4, 4 + 2, 4 + 2 + 2 weeks
CUMULATIEF_WEKEN: dict[Fase, int] = {Fase.PARTICIPATIEADVISEUR: 4, Fase.AANBIEDER: 6, Fase.BESLUIT: 8}
DOORLOOPTIJD_WEKEN = 8
BIJNA_VERLOPEN_WERKDAGEN = 3
# the regular evaluatie and the herindicatie signal: no later than 8 weeks before the beschikking ends
WEKEN_VOOR_EINDE_BESCHIKKING = 8


def termijn_einde(start: date, weken: int) -> date:
    """The last day of a term of `weken` weeks after `start` (Algemene termijnenwet art. 1)."""
    if weken < 0:
        raise DomainError("a term cannot be negative")
    einde = start + timedelta(weeks=weken)
    while not is_werkdag(einde):
        einde += timedelta(days=1)
    return einde


def uiterlijk_weken_voor(einde: date, weken: int) -> date:
    """The last day of a "no later than `weken` weeks before `einde`" deadline: counted back in calendar
    weeks; when that day is not a werkdag the deadline is the werkdag before it (such a deadline
    moves earlier, never later)."""
    if weken < 0:
        raise DomainError("a term cannot be negative")
    dag = einde - timedelta(weeks=weken)
    while not is_werkdag(dag):
        dag -= timedelta(days=1)
    return dag


def fase_deadline(fase: Fase, fase_start: date, melding: date) -> date:
    """The day by which the party of `fase` must have acted, the phase having started on `fase_start`."""
    if fase_start < melding:
        raise DomainError(f"the {fase} phase cannot start ({fase_start}) before the melding ({melding})")
    return min(termijn_einde(fase_start, FASE_WEKEN[fase]), termijn_einde(melding, CUMULATIEF_WEKEN[fase]))


def doorlooptijd_einde(melding: date) -> date:
    """The day by which the besluit on a melding must be taken."""
    return termijn_einde(melding, DOORLOOPTIJD_WEKEN)


def werkdagen_resterend(vandaag: date, deadline: date) -> int:
    """Werkdagen after today up to and including the deadline; negative (werkdagen past it) when overdue."""
    if deadline >= vandaag:
        return sum(1 for n in range(1, (deadline - vandaag).days + 1) if is_werkdag(vandaag + timedelta(days=n)))
    return -sum(1 for n in range(1, (vandaag - deadline).days + 1) if is_werkdag(deadline + timedelta(days=n)))


class Urgentie(StrEnum):
    OP_TIJD = "op_tijd"
    BIJNA_VERLOPEN = "bijna_verlopen"
    VERLOPEN = "verlopen"


def urgentie(vandaag: date, deadline: date) -> Urgentie:
    if vandaag > deadline:
        return Urgentie.VERLOPEN
    if werkdagen_resterend(vandaag, deadline) <= BIJNA_VERLOPEN_WERKDAGEN:
        return Urgentie.BIJNA_VERLOPEN
    return Urgentie.OP_TIJD


def bijna_verlopen_tot(vandaag: date) -> date:
    """The last deadline that is verlopen or bijna verlopen today (at most BIJNA_VERLOPEN_WERKDAGEN werkdagen left)."""
    return plus_werkdagen(vandaag, BIJNA_VERLOPEN_WERKDAGEN + 1) - timedelta(days=1)
