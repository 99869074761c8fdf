"""The Toewijzing: care of one product assigned by a gemeente to one aanbieder for one cliënt.

A toewijzing is identified by its ToewijzingNummer, unique per gemeente per wettelijk domein
(TR332). It changes only in the ways IV066 allows — einddatum, budget, the omvang when its
Frequentie is 6 (totaal binnen geldigheidsduur), or deletion (Einddatum = Ingangsdatum with
RedenWijziging 13) — and every change is a new version with a later toewijzingsmoment
(Toewijzingsdatum + Toewijzingstijd: the moment the gemeente decided, IV013). The current version is
the one with the latest moment. Any other change ends the old toewijzing and makes a new one with a
new number (`wijzig` returns both).

The entity is immutable: each function returns new versions; numbering and storage are the
adapter's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import DomainError

# RedenWijziging (WMO002 / JZ002)
REDEN_VERVALLEN = "01"  # administratieve correctie (vervallen): no longer to be used (CS336)
REDEN_OVERLEDEN = "02"
REDEN_VERHUIZING = "07"
REDEN_VERWIJDERD = "13"
REDEN_ADMINISTRATIEVE_CORRECTIE = "14"
FREQUENTIE_TOTAAL = "6"  # WMO757: totaal binnen geldigheidsduur
MAX_TOEWIJZINGNUMMER = 99_999_999  # LDT_Nummer, 8 digits


class ToewijzingStatus(StrEnum):
    """Where the current version stands towards the aanbieder."""

    TE_VERZENDEN = "te_verzenden"  # decided, not yet in a 301
    VERZONDEN = "verzonden"  # in a 301 that awaits its 302
    ACTIEF = "actief"  # the 302 came back without RetourCodes
    AFGEWEZEN = "afgewezen"  # the 302 rejected it: the gemeente must correct it


@dataclass(frozen=True, slots=True)
class Product:
    """Categorie and code; both empty for a generieke toewijzing (budget only), code empty for aspecifiek."""

    categorie: str | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Omvang:
    volume: int
    eenheid: str  # WJ756
    frequentie: str  # WMO757


@dataclass(frozen=True, slots=True)
class Toewijzing:
    """One version of a toewijzing."""

    gemeentecode: str
    wet: Wet
    toewijzing_nummer: int
    bsn: str
    agb: str
    product: Product
    ingangsdatum: date
    einddatum: date | None
    uitvoeringsvariant: Uitvoeringsvariant
    toewijzingsmoment: datetime  # Toewijzingsdatum + Toewijzingstijd, to the second
    omvang: Omvang | None = None
    budget: int | None = None  # eurocent
    reden_wijziging: str | None = None
    referentie_aanbieder: str | None = None  # only on the first 301 that honours a VOT / VOW (TR379)
    beschikkingnummer: str | None = None
    commentaar: str | None = None
    status: ToewijzingStatus = ToewijzingStatus.TE_VERZENDEN
    versie: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.toewijzing_nummer <= MAX_TOEWIJZINGNUMMER:
            raise DomainError(f"ToewijzingNummer {self.toewijzing_nummer} is not 1..{MAX_TOEWIJZINGNUMMER}")
        if self.einddatum is not None and self.einddatum < self.ingangsdatum:
            raise DomainError(f"toewijzing {self.toewijzing_nummer}: einddatum {self.einddatum} before ingangsdatum {self.ingangsdatum}")
        if self.omvang is not None and self.budget is not None:
            raise DomainError(f"toewijzing {self.toewijzing_nummer}: omvang and budget exclude each other (CD077/CD078)")
        if self.toewijzingsmoment.microsecond:
            object.__setattr__(self, "toewijzingsmoment", self.toewijzingsmoment.replace(microsecond=0))

    @property
    def is_verwijderd(self) -> bool:
        """Deleted (RedenWijziging 13) or vervallen (01) with Einddatum = Ingangsdatum: not a current toewijzing (OP087, TR302)."""
        return self.einddatum == self.ingangsdatum and self.reden_wijziging in (REDEN_VERWIJDERD, REDEN_VERVALLEN)

    def is_actueel(self, peildatum: date) -> bool:
        """Valid on or after `peildatum`, or starting later, and not deleted (TR349, OP087)."""
        return not self.is_verwijderd and (self.einddatum is None or self.einddatum >= peildatum)

    def geldig_op(self, dag: date) -> bool:
        return not self.is_verwijderd and self.ingangsdatum <= dag and (self.einddatum is None or dag <= self.einddatum)

    def overlapt(self, begindatum: date, einddatum: date | None) -> bool:
        """Whether this toewijzing's period overlaps [begindatum, einddatum] (open end: None)."""
        if self.is_verwijderd:
            return False
        return (self.einddatum is None or begindatum <= self.einddatum) and (einddatum is None or self.ingangsdatum <= einddatum)


def _volgende(t: Toewijzing, moment: datetime, reden: str, **changes: object) -> Toewijzing:
    if moment.replace(microsecond=0) <= t.toewijzingsmoment:
        raise DomainError(f"toewijzing {t.toewijzing_nummer}: a new version needs a later toewijzingsmoment than {t.toewijzingsmoment}")
    return replace(t, toewijzingsmoment=moment, reden_wijziging=reden, status=ToewijzingStatus.TE_VERZENDEN, versie=t.versie + 1, referentie_aanbieder=None, **changes)  # type: ignore[arg-type]


def beeindig(t: Toewijzing, einddatum: date, reden: str, moment: datetime) -> Toewijzing:
    """The version that ends `t` on `einddatum` (verkorting, overlijden, verhuizing …). An einddatum
    before the ingangsdatum deletes it instead; one after the current einddatum is a verlenging (OP380)."""
    if t.is_verwijderd:
        raise DomainError(f"toewijzing {t.toewijzing_nummer} is deleted and cannot change")
    if einddatum < t.ingangsdatum:
        return verwijder(t, moment)
    return _volgende(t, moment, reden, einddatum=einddatum)


def verwijder(t: Toewijzing, moment: datetime) -> Toewijzing:
    """Deletion: Einddatum = Ingangsdatum with RedenWijziging 13 (CS335). Where approved prestaties may
    exist on it, decide with `verwijder_of_stel_uit` (TR385)."""
    if t.is_verwijderd:
        raise DomainError(f"toewijzing {t.toewijzing_nummer} is already deleted")
    return _volgende(t, moment, REDEN_VERWIJDERD, einddatum=t.ingangsdatum)


TR385 = "TR385"  # no deletion (RedenWijziging 13) while approved, non-credited prestaties exist on it (OP362)
RETOURCODE_TR385 = "9385"


@dataclass(frozen=True, slots=True)
class UitgesteldeVerwijdering:
    """A deletion (RedenWijziging 13) that TR385 forbids for now: approved, non-credited prestaties exist
    on the toewijzing. It is not made; the toewijzing stays as it is until the declaratie service says no
    such prestaties remain (a credit), and then it is deleted (`voer_uitgestelde_verwijdering_uit`)."""

    gemeentecode: str
    wet: Wet
    toewijzing_nummer: int
    bsn: str
    agb: str
    sinds: datetime  # the toewijzingsmoment the deletion was decided on
    regel: str = TR385
    retourcode: str = RETOURCODE_TR385

    @property
    def reden(self) -> str:
        return f"{self.regel} ({self.retourcode}): toewijzing {self.toewijzing_nummer} has approved, non-credited prestaties and cannot be deleted yet"


def verwijder_of_stel_uit(t: Toewijzing, moment: datetime, heeft_toegekende_prestaties: bool) -> Toewijzing | UitgesteldeVerwijdering:
    """The deletion of `t` (`verwijder`), or — when approved, non-credited prestaties exist on it (TR385,
    OP362) — that deletion deferred: nothing of `t` changes now."""
    if heeft_toegekende_prestaties:
        if t.is_verwijderd:
            raise DomainError(f"toewijzing {t.toewijzing_nummer} is already deleted")
        return UitgesteldeVerwijdering(t.gemeentecode, t.wet, t.toewijzing_nummer, t.bsn, t.agb, moment.replace(microsecond=0))
    return verwijder(t, moment)


def voer_uitgestelde_verwijdering_uit(u: UitgesteldeVerwijdering, huidig: Toewijzing, moment: datetime, heeft_toegekende_prestaties: bool) -> Toewijzing | None:
    """The deferred deletion carried out on the toewijzing's current version once no approved,
    non-credited prestaties remain; None when it is deleted already (nothing left to do). Refused while
    such prestaties still exist (TR385)."""
    if (huidig.gemeentecode, huidig.wet, huidig.toewijzing_nummer) != (u.gemeentecode, u.wet, u.toewijzing_nummer):
        raise DomainError(f"toewijzing {huidig.toewijzing_nummer} is not the one whose deletion was deferred ({u.toewijzing_nummer})")
    if heeft_toegekende_prestaties:
        raise DomainError(u.reden)
    if huidig.is_verwijderd:
        return None
    return verwijder(huidig, moment)


@dataclass(frozen=True, slots=True)
class Wijziging:
    """The outcome of a change: new versions of existing toewijzingen, and new toewijzingen."""

    gewijzigd: tuple[Toewijzing, ...] = ()
    nieuw: tuple[Toewijzing, ...] = ()


_ONGEWIJZIGD = object()


def wijzig(
    t: Toewijzing,
    moment: datetime,
    reden: str,
    nieuw_nummer: Callable[[], int],
    *,
    einddatum: date | None | object = _ONGEWIJZIGD,
    budget: int | None | object = _ONGEWIJZIGD,
    omvang: Omvang | None | object = _ONGEWIJZIGD,
    ingangsdatum: date | object = _ONGEWIJZIGD,
) -> Wijziging:
    """A change as IV066 allows it. Einddatum and budget change in place, and so does the omvang when
    both old and new have Frequentie 6 (totaal binnen geldigheidsduur). Any other change of omvang
    or a later ingangsdatum ends `t` the day before the new ingangsdatum (or deletes it when that
    is its own ingangsdatum or earlier; leaves it alone when it ends before then already) and makes a
    new toewijzing with a new number from `nieuw_nummer`."""
    if t.is_verwijderd:
        raise DomainError(f"toewijzing {t.toewijzing_nummer} is deleted and cannot change")
    new_einddatum = t.einddatum if einddatum is _ONGEWIJZIGD else einddatum
    new_budget = t.budget if budget is _ONGEWIJZIGD else budget
    new_omvang = t.omvang if omvang is _ONGEWIJZIGD else omvang
    new_ingang = t.ingangsdatum if ingangsdatum is _ONGEWIJZIGD else ingangsdatum
    assert new_einddatum is None or isinstance(new_einddatum, date)
    assert isinstance(new_ingang, date)
    omvang_in_place = new_omvang == t.omvang or (
        isinstance(new_omvang, Omvang)
        and t.omvang is not None
        and new_omvang.frequentie == t.omvang.frequentie == FREQUENTIE_TOTAAL
        and new_omvang.eenheid == t.omvang.eenheid
    )
    if omvang_in_place and new_ingang == t.ingangsdatum:
        if (new_einddatum, new_budget, new_omvang) == (t.einddatum, t.budget, t.omvang):
            return Wijziging()
        return Wijziging(gewijzigd=(_volgende(t, moment, reden, einddatum=new_einddatum, budget=new_budget, omvang=new_omvang),))
    gewijzigd: tuple[Toewijzing, ...]
    if new_ingang <= t.ingangsdatum:
        gewijzigd = (verwijder(t, moment),)
    elif t.einddatum is not None and t.einddatum < new_ingang:
        gewijzigd = ()  # the old one ends before the new one begins: it stays as it is
    else:
        gewijzigd = (_volgende(t, moment, reden, einddatum=date.fromordinal(new_ingang.toordinal() - 1)),)
    nieuw = replace(
        t,
        toewijzing_nummer=nieuw_nummer(),
        ingangsdatum=new_ingang,
        einddatum=new_einddatum,
        budget=new_budget,
        omvang=new_omvang,
        toewijzingsmoment=moment.replace(microsecond=0),
        reden_wijziging=None,
        referentie_aanbieder=None,
        status=ToewijzingStatus.TE_VERZENDEN,
        versie=1,
    )
    return Wijziging(gewijzigd=gewijzigd, nieuw=(nieuw,))


def huidige_versies(versies: Iterable[Toewijzing]) -> dict[int, Toewijzing]:
    """Per ToewijzingNummer the current version: the latest toewijzingsmoment (IV013)."""
    current: dict[int, Toewijzing] = {}
    for v in versies:
        known = current.get(v.toewijzing_nummer)
        if known is None or (v.toewijzingsmoment, v.versie) > (known.toewijzingsmoment, known.versie):
            current[v.toewijzing_nummer] = v
    return current


def zelfde_product(a: Product, b: Product) -> bool:
    """Whether two products count as the same for stapeling (OP259): same code, or same categorie
    when a code is empty, or anything when a categorie is empty."""
    if a.categorie is None or b.categorie is None:
        return True
    if a.code is None or b.code is None:
        return a.categorie == b.categorie
    return (a.categorie, a.code) == (b.categorie, b.code)


def stapeling(toewijzingen: Sequence[Toewijzing]) -> list[tuple[Toewijzing, Toewijzing]]:
    """Pairs of current toewijzingen of one cliënt at one aanbieder that stack: the same product
    (see `zelfde_product`) in overlapping periods (OP259; TR302 inside one 301)."""
    levend = [t for t in toewijzingen if not t.is_verwijderd]
    pairs = []
    for i, a in enumerate(levend):
        for b in levend[i + 1 :]:
            if a.toewijzing_nummer != b.toewijzing_nummer and zelfde_product(a.product, b.product) and a.overlapt(b.ingangsdatum, b.einddatum):
                pairs.append((a, b))
    return pairs


def controleer_stapeling(nieuw: Iterable[Toewijzing], bestaande: Iterable[Toewijzing]) -> None:
    """Refuses new toewijzingen that stack (OP259) with each other or with the cliënt's existing ones at
    the same aanbieder; only toewijzingen of the same gemeente, wet, bsn and agb are compared."""
    nieuw = list(nieuw)
    nummers = {t.toewijzing_nummer for t in nieuw}
    alle = nieuw + [t for t in bestaande if t.toewijzing_nummer not in nummers]
    for a, b in stapeling(alle):
        if (a.toewijzing_nummer in nummers or b.toewijzing_nummer in nummers) and (a.gemeentecode, a.wet, a.bsn, a.agb) == (b.gemeentecode, b.wet, b.bsn, b.agb):
            raise DomainError(
                f"OP259: toewijzing {a.toewijzing_nummer} and {b.toewijzing_nummer} of one cliënt at aanbieder {a.agb} are the same "
                f"product ({_product_tekst(a.product)} / {_product_tekst(b.product)}) in overlapping periods"
            )


def _product_tekst(p: Product) -> str:
    return "/".join(x for x in (p.categorie, p.code) if x) or "generiek"
