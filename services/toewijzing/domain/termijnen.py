"""Deadlines of the regie and of verzoeken, and the signals that make them visible before they are missed.

The rules:
- A 305 within 5 werkdagen after the day delivery really started (OP271), a 307 within 5 werkdagen
  after it really stopped (OP272). The real day is only known from the message itself, so a start or
  stop received later than that is signalled as late (`START_TE_LAAT`, `STOP_TE_LAAT`). Every started
  delivery ends with a stop, also at the planned end (OP288): when a toewijzing has ended and its
  delivery is not stopped definitively, a 307 is due within 5 werkdagen after its Einddatum
  (`STOP_VERWACHT`).
- Three months after a toewijzing's Ingangsdatum without any start, the care has not started
  (`ZORG_NIET_GESTART`; the aanbieder must start or report, the gemeente follows it up). Only for
  toewijzingen sent to the aanbieder (verzonden / actief).
- The gemeente answers a verzoek within 5 werkdagen after receipt with a 301 or a 319 (OP274 for a VOT,
  OP346 for a VOW): `ANTWOORD_VERZOEK`. After a 319 "in onderzoek" the final answer (301 or 319 with
  VerzoekAntwoord 1) follows within 8 weeks (OP274): `DEFINITIEF_ANTWOORD`. A term of weeks ends on
  the same weekday 8 weeks later, or the next werkdag when that is not one (Algemene termijnenwet art. 1).
- A deletion that TR385 defers (approved, non-credited prestaties exist on the toewijzing) is signalled to
  the gemeente for as long as it waits (`VERWIJDERING_UITGESTELD`): its date is the day the deletion was
  decided — bijna on that day, verlopen after it, since the accepted change is not yet carried out.

Werkdagen are those of `runtime.werkdagen` (no weekends, no algemeen erkende feestdagen). A deadline
is "bijna" verlopen when it falls within BIJNA_WERKDAGEN (2) werkdagen from today (today included:
on the last day itself it is bijna), "verlopen" once today is after it. Pure: dates in, signals out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from berichten.domain.berichtsoorten import Partij
from runtime.domein import Uitvoeringsvariant, Wet
from runtime.werkdagen import is_werkdag, plus_werkdagen
from toewijzing.domain.levering import Start, Stop, actuele_start, is_definitief_gestopt
from toewijzing.domain.toewijzing import Toewijzing, ToewijzingStatus, UitgesteldeVerwijdering, huidige_versies
from toewijzing.domain.verzoek import Verzoek, VerzoekStatus

MELDEN_WERKDAGEN = 5  # OP271 / OP272: start and stop reported within 5 werkdagen
ANTWOORD_WERKDAGEN = 5  # OP274 / OP346: a first answer to a verzoek within 5 werkdagen
DEFINITIEF_ANTWOORD_WEKEN = 8  # OP274: after "in onderzoek" a final answer within 8 weeks
NIET_GESTART_MAANDEN = 3  # issue 5: three months after the Ingangsdatum without a start
BIJNA_WERKDAGEN = 2


class SignaalSoort(StrEnum):
    START_TE_LAAT = "start_te_laat"
    STOP_TE_LAAT = "stop_te_laat"
    STOP_VERWACHT = "stop_verwacht"
    ZORG_NIET_GESTART = "zorg_niet_gestart"
    ANTWOORD_VERZOEK = "antwoord_verzoek"
    DEFINITIEF_ANTWOORD = "definitief_antwoord"
    VERWIJDERING_UITGESTELD = "verwijdering_uitgesteld"


class SignaalStatus(StrEnum):
    OP_TIJD = "op_tijd"
    BIJNA = "bijna"
    VERLOPEN = "verlopen"


@dataclass(frozen=True, slots=True)
class Signaal:
    soort: SignaalSoort
    partij: Partij  # who must act
    uiterlijk: date
    status: SignaalStatus
    omschrijving: str
    gemeentecode: str
    wet: Wet
    agb: str
    bsn: str
    toewijzing_nummer: int | None = None
    verzoek_id: str | None = None


# ---------------------------------------------------------------- deadlines


def melden_uiterlijk(datum: date) -> date:
    """The last day for the 305 on a start on `datum`, or the 307 on a stop on `datum` (OP271, OP272)."""
    return plus_werkdagen(datum, MELDEN_WERKDAGEN)


def antwoord_uiterlijk(verzoek: Verzoek) -> date:
    """The last day for the gemeente's first answer (301 or 319) to a verzoek (OP274, OP346)."""
    return plus_werkdagen(verzoek.ontvangen_op, ANTWOORD_WERKDAGEN)


def definitief_antwoord_uiterlijk(verzoek: Verzoek) -> date | None:
    """The last day for the final answer after "in onderzoek" (OP274); None when not in onderzoek."""
    if verzoek.in_onderzoek_sinds is None:
        return None
    einde = verzoek.in_onderzoek_sinds + timedelta(weeks=DEFINITIEF_ANTWOORD_WEKEN)
    while not is_werkdag(einde):
        einde += timedelta(days=1)
    return einde


def plus_maanden(datum: date, maanden: int) -> date:
    """The same day `maanden` months later; the month's last day when it is shorter."""
    maand = datum.month - 1 + maanden
    jaar, maand = datum.year + maand // 12, maand % 12 + 1
    for dag in (datum.day, 30, 29, 28):
        try:
            return date(jaar, maand, dag)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def niet_gestart_uiterlijk(toewijzing: Toewijzing) -> date:
    return plus_maanden(toewijzing.ingangsdatum, NIET_GESTART_MAANDEN)


def status(uiterlijk: date, vandaag: date) -> SignaalStatus:
    """Verlopen after the deadline; bijna when it is at most BIJNA_WERKDAGEN werkdagen away."""
    if vandaag > uiterlijk:
        return SignaalStatus.VERLOPEN
    if uiterlijk <= plus_werkdagen(vandaag, BIJNA_WERKDAGEN):
        return SignaalStatus.BIJNA
    return SignaalStatus.OP_TIJD


# ---------------------------------------------------------------- signals


def _regie_signalen(toewijzingen: list[Toewijzing], starts: list[Start], stops: list[Stop], vandaag: date) -> list[Signaal]:
    signalen = []
    for s in starts:
        uiterlijk = melden_uiterlijk(s.begindatum)
        if not s.verwijderd and s.ontvangen_op > uiterlijk:
            signalen.append(
                Signaal(
                    SignaalSoort.START_TE_LAAT, Partij.AANBIEDER, uiterlijk, SignaalStatus.VERLOPEN,
                    f"Startbericht voor de start op {s.begindatum} is op {s.ontvangen_op} ontvangen, na de termijn van 5 werkdagen ({uiterlijk})",
                    s.gemeentecode, s.wet, s.agb, s.bsn, toewijzing_nummer=s.toewijzing_nummer,
                )
            )  # fmt: skip
    for s in stops:
        uiterlijk = melden_uiterlijk(s.einddatum)
        if not s.verwijderd and s.ontvangen_op > uiterlijk:
            signalen.append(
                Signaal(
                    SignaalSoort.STOP_TE_LAAT, Partij.AANBIEDER, uiterlijk, SignaalStatus.VERLOPEN,
                    f"Stopbericht voor de stop op {s.einddatum} is op {s.ontvangen_op} ontvangen, na de termijn van 5 werkdagen ({uiterlijk})",
                    s.gemeentecode, s.wet, s.agb, s.bsn, toewijzing_nummer=s.toewijzing_nummer,
                )
            )  # fmt: skip
    for t in toewijzingen:
        if t.is_verwijderd or t.uitvoeringsvariant is Uitvoeringsvariant.TAAKGERICHT:
            continue
        eigen_starts = [s for s in starts if (s.gemeentecode, s.wet) == (t.gemeentecode, t.wet)]
        eigen_stops = [s for s in stops if (s.gemeentecode, s.wet) == (t.gemeentecode, t.wet)]
        start = actuele_start(eigen_starts, eigen_stops, t.toewijzing_nummer)
        gestart = any(not s.verwijderd and s.toewijzing_nummer == t.toewijzing_nummer for s in eigen_starts)
        if start is not None and t.einddatum is not None and t.einddatum <= vandaag and not is_definitief_gestopt(start, eigen_stops):
            uiterlijk = melden_uiterlijk(t.einddatum)
            signalen.append(
                Signaal(
                    SignaalSoort.STOP_VERWACHT, Partij.AANBIEDER, uiterlijk, status(uiterlijk, vandaag),
                    f"Toewijzing {t.toewijzing_nummer} eindigt op {t.einddatum} en de levering is niet gestopt: stopbericht uiterlijk {uiterlijk}",
                    t.gemeentecode, t.wet, t.agb, t.bsn, toewijzing_nummer=t.toewijzing_nummer,
                )
            )  # fmt: skip
        zichtbaar = t.status in (ToewijzingStatus.VERZONDEN, ToewijzingStatus.ACTIEF)
        if not gestart and zichtbaar and t.ingangsdatum <= vandaag:
            uiterlijk = niet_gestart_uiterlijk(t)
            signalen.append(
                Signaal(
                    SignaalSoort.ZORG_NIET_GESTART, Partij.AANBIEDER, uiterlijk, status(uiterlijk, vandaag),
                    f"Toewijzing {t.toewijzing_nummer} (ingangsdatum {t.ingangsdatum}) heeft geen startbericht; na {uiterlijk} geldt de zorg als niet gestart",
                    t.gemeentecode, t.wet, t.agb, t.bsn, toewijzing_nummer=t.toewijzing_nummer,
                )
            )  # fmt: skip
    return signalen


def _verzoek_signalen(verzoeken: Iterable[Verzoek], vandaag: date) -> list[Signaal]:
    signalen = []
    for v in verzoeken:
        soort = "verzoek om toewijzing" if v.soort == "315" else "verzoek om wijziging"
        if v.status is VerzoekStatus.OPEN:
            uiterlijk = antwoord_uiterlijk(v)
            signalen.append(
                Signaal(
                    SignaalSoort.ANTWOORD_VERZOEK, Partij.GEMEENTE, uiterlijk, status(uiterlijk, vandaag),
                    f"Het {soort} {v.referentie_aanbieder} (ontvangen {v.ontvangen_op}) uiterlijk {uiterlijk} beantwoorden met een toewijzing of antwoordbericht",
                    v.gemeentecode, v.wet, v.agb, v.bsn, verzoek_id=v.id,
                )
            )  # fmt: skip
        elif v.status is VerzoekStatus.IN_ONDERZOEK:
            uiterlijk = definitief_antwoord_uiterlijk(v)
            assert uiterlijk is not None
            signalen.append(
                Signaal(
                    SignaalSoort.DEFINITIEF_ANTWOORD, Partij.GEMEENTE, uiterlijk, status(uiterlijk, vandaag),
                    f"Het {soort} {v.referentie_aanbieder} is sinds {v.in_onderzoek_sinds} in onderzoek: uiterlijk {uiterlijk} toewijzen of afwijzen",
                    v.gemeentecode, v.wet, v.agb, v.bsn, verzoek_id=v.id,
                )
            )  # fmt: skip
    return signalen


def _uitgestelde_signalen(uitgesteld: Iterable[UitgesteldeVerwijdering], vandaag: date) -> list[Signaal]:
    signalen = []
    for u in uitgesteld:
        besloten = u.sinds.date()
        signalen.append(
            Signaal(
                SignaalSoort.VERWIJDERING_UITGESTELD, Partij.GEMEENTE, besloten, status(besloten, vandaag),
                f"Toewijzing {u.toewijzing_nummer} is op {besloten} niet verwijderd ({u.regel}, retourcode {u.retourcode}): er zijn "
                "goedgekeurde, niet gecrediteerde prestaties op gedeclareerd. De toewijzing blijft staan tot de aanbieder die "
                "prestaties crediteert; daarna wordt zij alsnog verwijderd (RedenWijziging 13) en krijgt de aanbieder een nieuw "
                "toewijzingbericht (301).",
                u.gemeentecode, u.wet, u.agb, u.bsn, toewijzing_nummer=u.toewijzing_nummer,
            )
        )  # fmt: skip
    return signalen


def signalen(
    toewijzingen: Iterable[Toewijzing],
    starts: Iterable[Start],
    stops: Iterable[Stop],
    verzoeken: Iterable[Verzoek],
    vandaag: date,
    uitgesteld: Iterable[UitgesteldeVerwijdering] = (),
) -> list[Signaal]:
    """Every deadline signal of the given state (of one cliënt or many), earliest deadline first.

    `toewijzingen` may hold several versions per toewijzing: only the current one counts. Starts and
    stops are matched to toewijzingen by gemeente, wet and ToewijzingNummer (unique per gemeente per
    wet, TR332). Late starts and stops stay signalled: the caller chooses how far back to look.
    `uitgesteld` are the deletions TR385 defers now."""
    versies: dict[tuple[str, Wet], list[Toewijzing]] = {}
    for t in toewijzingen:
        versies.setdefault((t.gemeentecode, t.wet), []).append(t)
    huidig = [t for groep in versies.values() for t in huidige_versies(groep).values()]
    result = _regie_signalen(huidig, list(starts), list(stops), vandaag) + _verzoek_signalen(verzoeken, vandaag) + _uitgestelde_signalen(uitgesteld, vandaag)
    return sorted(result, key=lambda s: (s.uiterlijk, s.soort, s.bsn, s.toewijzing_nummer or 0, s.verzoek_id or ""))
