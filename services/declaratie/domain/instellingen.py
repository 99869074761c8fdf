"""A gemeente's settings in the declaratie service, with their defaults.

- The period rhythm of voorschot, afrekening and benutting (`periode.PeriodeRitme`): calendar month
  unless the gemeente configured four weeks from a Monday.
- The onderbenutting threshold: after how many days without a start or a declaratie a toewijzing is
  signalled (`benutting.onderbenutting_signalen`). Declarations arrive after the month, so fewer than
  some 45 days signals nearly every cliënt; the default is 60.
- The gemeente's own account, the debtor of its payment files (`betaalbestand.Rekeninghouder`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from declaratie.domain.betaalbestand import Rekeninghouder
from declaratie.domain.periode import PeriodeRitme
from runtime.errors import DomainError

ONDERBENUTTING_DREMPEL_DAGEN = 60
MIN_DREMPEL_DAGEN, MAX_DREMPEL_DAGEN = 1, 730


@dataclass(frozen=True, slots=True)
class GemeenteInstellingen:
    gemeentecode: str
    ritme: PeriodeRitme = field(default_factory=PeriodeRitme)
    onderbenutting_drempel_dagen: int = ONDERBENUTTING_DREMPEL_DAGEN
    debiteur: Rekeninghouder | None = None

    def __post_init__(self) -> None:
        if not (len(self.gemeentecode) == 4 and self.gemeentecode.isdigit()):
            raise DomainError(f"gemeentecode {self.gemeentecode!r} is not 4 digits")
        if not MIN_DREMPEL_DAGEN <= self.onderbenutting_drempel_dagen <= MAX_DREMPEL_DAGEN:
            raise DomainError(f"onderbenutting_drempel_dagen {self.onderbenutting_drempel_dagen} is not {MIN_DREMPEL_DAGEN}..{MAX_DREMPEL_DAGEN}")
