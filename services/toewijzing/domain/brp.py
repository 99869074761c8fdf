"""BRP-mutaties that end a cliënt's toewijzingen in a gemeente (events indicatie.client.overleden and
indicatie.client.verhuisd, payload {bsn, gemeentecode, datum, kenmerk, bron[, nieuwe_gemeentecode]}).

- Overlijden: every current toewijzing ends on the datum of overlijden, RedenWijziging 02.
- Verhuizing to another gemeente: `datum` is the day the cliënt lives in the new gemeente (the BRP's
  datum aanvang adreshouding), so the old gemeente's toewijzingen end the day before, RedenWijziging 07.
  (A move within the gemeente is not published and ends nothing.)
Toewijzingen that begin after the last day are deleted (Einddatum = Ingangsdatum, RedenWijziging 13),
unless approved, non-credited prestaties exist on them: then TR385 defers the deletion (`uitgesteld`);
those that end on or before it already stay as they are. The new versions are grouped per aanbieder
(AGB), so the adapter sends one 301 to each.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from runtime.domein import Wet
from runtime.errors import DomainError
from toewijzing.domain.toewijzing import REDEN_OVERLEDEN, REDEN_VERHUIZING, Toewijzing, UitgesteldeVerwijdering, beeindig, huidige_versies, verwijder_of_stel_uit

CLIENT_OVERLEDEN = "indicatie.client.overleden"
CLIENT_VERHUISD = "indicatie.client.verhuisd"


class BrpSoort(StrEnum):
    OVERLIJDEN = "overlijden"
    VERHUIZING = "verhuizing"


@dataclass(frozen=True, slots=True)
class BrpGebeurtenis:
    """An overlijden or a verhuizing out of the gemeente, as the indicatie service published it."""

    soort: BrpSoort
    bsn: str
    gemeentecode: str
    datum: date
    nieuwe_gemeentecode: str | None = None

    @property
    def laatste_dag(self) -> date:
        """The last day the gemeente's toewijzingen may run: the day of death, or the day before the move."""
        return self.datum if self.soort is BrpSoort.OVERLIJDEN else self.datum - timedelta(days=1)

    @property
    def reden_wijziging(self) -> str:
        return REDEN_OVERLEDEN if self.soort is BrpSoort.OVERLIJDEN else REDEN_VERHUIZING


def lees_brp_gebeurtenis(subject: str, data: Mapping[str, Any]) -> BrpGebeurtenis:
    """The event (subject + payload) as a BrpGebeurtenis; DomainError for another subject or a malformed payload."""
    soorten = {CLIENT_OVERLEDEN: BrpSoort.OVERLIJDEN, CLIENT_VERHUISD: BrpSoort.VERHUIZING}
    if subject not in soorten:
        raise DomainError(f"{subject} is not a BRP event that ends toewijzingen")
    try:
        return BrpGebeurtenis(
            soort=soorten[subject],
            bsn=data["bsn"],
            gemeentecode=data["gemeentecode"],
            datum=date.fromisoformat(data["datum"]),
            nieuwe_gemeentecode=data.get("nieuwe_gemeentecode") or None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(f"BRP event {subject} is malformed: {exc!r}") from exc


@dataclass(frozen=True, slots=True)
class BrpBesluit:
    """What a BRP-mutatie leads to: the new versions per AGB (one 301 to each) and the deletions TR385
    defers for now."""

    per_aanbieder: dict[str, tuple[Toewijzing, ...]] = field(default_factory=dict)
    uitgesteld: tuple[UitgesteldeVerwijdering, ...] = ()

    @property
    def versies(self) -> list[Toewijzing]:
        return [t for versies in self.per_aanbieder.values() for t in versies]


def bij_brp_gebeurtenis(
    gebeurtenis: BrpGebeurtenis, toewijzingen: Iterable[Toewijzing], moment: datetime, toegekend: Collection[tuple[str, Wet, int]] = ()
) -> BrpBesluit:
    """The new versions that end (or delete) the cliënt's current toewijzingen in that gemeente, per AGB.
    `toewijzingen` may hold any versions; other cliënten and gemeenten are ignored. A toewijzing named in
    `toegekend` (approved, non-credited prestaties exist) is not deleted now: TR385 defers its deletion."""
    laatste = gebeurtenis.laatste_dag
    per_aanbieder: dict[str, list[Toewijzing]] = {}
    uitgesteld: list[UitgesteldeVerwijdering] = []
    eigen = [t for t in toewijzingen if (t.bsn, t.gemeentecode) == (gebeurtenis.bsn, gebeurtenis.gemeentecode)]
    for t in sorted(huidige_versies(eigen).values(), key=lambda t: t.toewijzing_nummer):
        if t.is_verwijderd or (t.einddatum is not None and t.einddatum <= laatste):
            continue
        if t.ingangsdatum > laatste:
            uitkomst = verwijder_of_stel_uit(t, moment, (t.gemeentecode, t.wet, t.toewijzing_nummer) in toegekend)
            if isinstance(uitkomst, UitgesteldeVerwijdering):
                uitgesteld.append(uitkomst)
                continue
            versie = uitkomst
        else:
            versie = beeindig(t, laatste, gebeurtenis.reden_wijziging, moment)
        per_aanbieder.setdefault(t.agb, []).append(versie)
    return BrpBesluit({agb: tuple(versies) for agb, versies in per_aanbieder.items()}, tuple(uitgesteld))
