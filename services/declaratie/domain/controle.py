"""The declaratiecontrole: the rules of controleniveau 3 and 4 on a 323, and what it grants.

Each rule is a `Regel` named by its official id whose check takes the message and the `Stand`: what
the adapter gathers for ONE 323 in a handful of set-based queries (the toewijzingen it refers to, the
contract versions of this aanbieder in this gemeente, the earlier prestaties on its ReferentieNummers,
VorigReferentieNummers and toewijzingen, the DeclaratieNummers and the last DeclaratiePeriode of this
aanbieder in this wet, the starts and stops of its toewijzingen). The Stand indexes itself once
(dicts); no rule scans a list per prestatie. Retourcode and level come from the official export; the
class a finding lands on is the one regels-per-data-element.csv names, except TR304 (below).

The hub already checks controleniveau 2 (the XSLT rules), so these are not repeated here: TR316 (a
debet and its credit in one 323), TR315 (a VorigReferentieNummer twice in one 323) and TR416 (two
debets for one toewijzing, product and ProductPeriode in one 323).

Decisions where the texts leave room:
- A prestatie is accepted or rejected whole (IV087); it may carry several codes.
- Credits (IV085: "de gemeente kan een ingediende credit prestatie niet afkeuren, tenzij het technische
  afkeur betreft") are judged only by TR314, TR319, TR323 and TR390. A credit is an identical copy of a
  debet that already passed the content rules (IV091). The content rules judge debets.
- TR304 (8187 "de prestatie hoort niet bij deze client") lands on the Prestatie, not on Client/Bsn as
  the export says: the mismatch is between one prestatie's toewijzing and the cliënt, and a code on
  the Client would reject the cliënt's other, correct prestaties with 0233.
- A toewijzing of another aanbieder is no toewijzing for this aanbieder: TR338 (9338), not TR304.
- On a deleted toewijzing (TR384), or one that is not there (TR338) or of another cliënt (TR304), the
  rules that compare with the toewijzing (TR307/308, TR321/322, TR339–341, TR369, TR387/388) say nothing.
  TR387 / TR388 only judge a ProductPeriode that TR307 / TR308 accept (one code per fault).
- TR318 (8214): the gemeente cannot see in which months care was delivered, so gaps are allowed and the
  same month again is allowed (corrections, OP284, IV090); a DeclaratiePeriode before the last one
  submitted is rejected.
- TR314 (8021): every ReferentieNummer received before counts, also of rejected prestaties ("reeds
  aangeleverd"); a ReferentieNummer twice in this 323 rejects the second and later ones. The adapter
  leaves out the prestaties of a 323 rejected as a whole (treated as not sent, IV087).
- TR322 / TR369 over a toewijzing: the net volume (amount) of the accepted earlier debets minus the
  accepted credits, minus the credits of this 323 that are accepted, then this 323's debets in order
  of ProductPeriode and position; a debet that would exceed the maximum is rejected and does not count,
  and a debet rejected by another rule does not count either. TR369 compares IngediendBedrag with the
  Budget (eurocent), as GeleverdVolume is eurocent only for Eenheid 83.
- TR346 and IV081: with minutes declared against an uurtarief in the contract, the amount is
  uurtarief × minuten / 60 rounded half up to the eurocent, and TR418 expects ProductTarief =
  uurtarief / 60 rounded half up. TR418 picks the contract version valid on the ProductPeriode's
  Begindatum; no contract for the product then is also 0611.
- ZK001 is our own rule, not the standard's: no declaration for a period without started care (a 305,
  not stopped before the ProductPeriode) where the contract says start/stop is required. The standard has
  no rule for this, and OP364 forbids rejecting prestaties on regieberichten; it therefore only applies to
  contracts with `start_stop_verplicht`, which is off by default. It returns 9069 ("er is geen actueel
  startbericht met dezelfde sleutel"), the one WJ001 code that says what is missing.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from berichten.adapters.regels import load_regelinfo
from berichten.domain import model
from berichten.domain.regels.catalogus import Bevinding, Controleniveau, RegelInfo, Regelset
from berichten.domain.regels.regel import Fout, Knoop, Regel, of_type
from berichten.domain.retour import HEADER
from declaratie.domain.contract import Contract
from declaratie.domain.toewijzingstand import START, STOP, LeveringKopie, ToewijzingKopie
from declaratie.domain.volume import (
    EURO,
    MINUTEN_PER_UUR,
    MINUUT,
    UUR,
    eenheid_past,
    in_minuten,
    maximaal_in_productperiode,
    maximaal_in_toewijzing,
)
from runtime.domein import Wet

DEBET = "D"
CREDIT = "C"
DECLARATIE = "/Bericht/Declaratie"

ZK001 = RegelInfo(
    code="ZK001",
    titel="ZK001: Declareren alleen voor zorg die gestart is (305) en in de ProductPeriode niet gestopt, indien het contract start/stop verplicht stelt.",
    retourcode="9069",
    niveau=Controleniveau.BERICHTOVERSTIJGEND,
)


@dataclass(frozen=True, slots=True)
class EerderePrestatie:
    """A prestatie of an earlier 323 of this aanbieder in this wet, with what its 325 said."""

    referentie_nummer: str
    vorig_referentie_nummer: str | None
    toewijzing_nummer: int
    product_categorie: str
    product_code: str
    product_periode_begindatum: date
    product_periode_einddatum: date
    geleverd_volume: int
    eenheid: str
    bedrag: int  # IngediendBedrag, eurocent, without sign
    debet_credit: str
    toegekend: bool  # not rejected in the 325
    gecrediteerd: bool = False  # a debet for which an accepted credit exists

    @property
    def sleutel(self) -> tuple[int, str, str, date, date]:
        """What TR389 compares: ToewijzingNummer, ProductCategorie, ProductCode and ProductPeriode."""
        return (self.toewijzing_nummer, self.product_categorie, self.product_code, self.product_periode_begindatum, self.product_periode_einddatum)


def _sleutel(p: model.Prestatie) -> tuple[int, str, str, date, date]:
    periode = p.product_periode
    return (p.toewijzing_nummer, p.product_categorie, p.product_code, periode.begindatum, periode.einddatum)


def _signed(bedrag: int, debet_credit: str) -> int:
    return -bedrag if debet_credit == CREDIT else bedrag


def _half_omhoog(teller: int, noemer: int) -> int:
    """teller / noemer rounded half up ("volgens de rekenkundige regels", IV081), for teller >= 0."""
    return (2 * teller + noemer) // (2 * noemer)


@dataclass(frozen=True)
class Stand:
    """What one 323 is judged against, gathered by the adapter for that 323 (set-based).

    toewijzingen: the versions of the toewijzingen it refers to, in this gemeente and wet (any aanbieder;
    the latest version counts); contracten: the contract versions of this aanbieder in this gemeente;
    eerdere_prestaties: earlier prestaties whose ReferentieNummer is a ReferentieNummer or
    VorigReferentieNummer of this 323, or whose toewijzing is one of its toewijzingen; declaratienummers:
    the DeclaratieNummers this aanbieder used before in this wet (not this 323's own, when it is
    processed again); laatste_declaratieperiode: Begindatum of the last DeclaratiePeriode submitted and not
    rejected as a whole; leveringen: the starts and stops (not deleted) of its toewijzingen.
    """

    gemeentecode: str
    wet: Wet
    agb: str
    toewijzingen: tuple[ToewijzingKopie, ...] = ()
    contracten: tuple[Contract, ...] = ()
    eerdere_prestaties: tuple[EerderePrestatie, ...] = ()
    declaratienummers: frozenset[str] = frozenset()
    laatste_declaratieperiode: date | None = None
    leveringen: tuple[LeveringKopie, ...] = ()

    # ------------------------------------------------------------ indexes, built once per Stand

    @cached_property
    def _toewijzing_per_nummer(self) -> dict[int, ToewijzingKopie]:
        per: dict[int, ToewijzingKopie] = {}
        for t in self.toewijzingen:
            if t.gemeentecode == self.gemeentecode and t.wet == self.wet and t.vervangt(per.get(t.toewijzing_nummer)):
                per[t.toewijzing_nummer] = t
        return per

    def toewijzing(self, nummer: int) -> ToewijzingKopie | None:
        """The latest version of toewijzing `nummer` of this aanbieder (deleted ones included)."""
        t = self._toewijzing_per_nummer.get(nummer)
        return t if t is not None and t.agb == self.agb else None

    @cached_property
    def _contracten_per_product(self) -> dict[tuple[str, str], list[Contract]]:
        per: dict[tuple[str, str], list[Contract]] = defaultdict(list)
        for c in self.contracten:
            if c.gemeentecode == self.gemeentecode and c.agb == self.agb and c.wet == self.wet:
                per[(c.productcategorie, c.productcode)].append(c)
        for versies in per.values():
            versies.sort(key=lambda c: c.begindatum, reverse=True)
        return dict(per)

    def contract(self, categorie: str, code: str, op: date) -> Contract | None:
        """The contract version for this product valid on `op` (the newest, when versions overlap)."""
        for c in self._contracten_per_product.get((categorie, code), ()):
            if c.geldt_op(op):
                return c
        return None

    @cached_property
    def _eerdere_per_referentie(self) -> dict[str, EerderePrestatie]:
        return {p.referentie_nummer: p for p in self.eerdere_prestaties}

    def eerdere(self, referentie_nummer: str) -> EerderePrestatie | None:
        return self._eerdere_per_referentie.get(referentie_nummer)

    @cached_property
    def _gecrediteerd(self) -> frozenset[str]:
        """ReferentieNummers of debets with an accepted credit."""
        return frozenset(
            {p.vorig_referentie_nummer for p in self.eerdere_prestaties if p.debet_credit == CREDIT and p.toegekend and p.vorig_referentie_nummer}
            | {p.referentie_nummer for p in self.eerdere_prestaties if p.debet_credit == DEBET and p.gecrediteerd}
        )

    def is_gecrediteerd(self, referentie_nummer: str) -> bool:
        return referentie_nummer in self._gecrediteerd

    @cached_property
    def _debets_per_sleutel(self) -> dict[tuple[int, str, str, date, date], list[EerderePrestatie]]:
        per: dict[tuple[int, str, str, date, date], list[EerderePrestatie]] = defaultdict(list)
        for p in self.eerdere_prestaties:
            if p.debet_credit == DEBET and p.toegekend:
                per[p.sleutel].append(p)
        return dict(per)

    def toegekende_debets(self, sleutel: tuple[int, str, str, date, date]) -> list[EerderePrestatie]:
        return self._debets_per_sleutel.get(sleutel, [])

    @cached_property
    def _verbruik(self) -> dict[int, tuple[int, int]]:
        """Per toewijzing: net accepted volume (hours as minutes) and net accepted amount (eurocent)."""
        per: dict[int, tuple[int, int]] = {}
        for p in self.eerdere_prestaties:
            if p.toegekend:
                volume, bedrag = per.get(p.toewijzing_nummer, (0, 0))
                teken = -1 if p.debet_credit == CREDIT else 1
                per[p.toewijzing_nummer] = (volume + teken * in_minuten(p.geleverd_volume, p.eenheid), bedrag + teken * p.bedrag)
        return per

    def verbruik(self, nummer: int) -> tuple[int, int]:
        return self._verbruik.get(nummer, (0, 0))

    @cached_property
    def _leveringen_per_toewijzing(self) -> dict[int, list[tuple[date, date | None]]]:
        """Per toewijzing: the periods of care, from each start to the last Einddatum of its stops (or open)."""
        einde: dict[tuple, date] = {}
        for levering in self.leveringen:
            if levering.soort == STOP and levering.einddatum is not None:
                sleutel = levering.start_sleutel
                einde[sleutel] = max(einde.get(sleutel, levering.einddatum), levering.einddatum)
        per: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
        for levering in self.leveringen:
            if levering.soort == START and levering.toewijzing_nummer is not None:
                per[levering.toewijzing_nummer].append((levering.begindatum, einde.get(levering.start_sleutel)))
        return dict(per)

    def zorg_geleverd(self, nummer: int, begin: date, eind: date) -> bool:
        """A start of toewijzing `nummer` on or before `eind` that was not stopped before `begin`."""
        return any(start <= eind and (stop is None or stop >= begin) for start, stop in self._leveringen_per_toewijzing.get(nummer, ()))


# ---------------------------------------------------------------- one 323 under judgement


Check = Callable[[model.DeclaratieBericht, "_Controle"], Iterator[Fout]]


@dataclass(frozen=True, slots=True)
class _Prestatieregel:
    """One prestatie of the 323 with its cliënt's Bsn and the toewijzing it refers to (if of this aanbieder)."""

    node: Knoop
    prestatie: model.Prestatie
    bsn: str
    toewijzing: ToewijzingKopie | None

    @property
    def is_debet(self) -> bool:
        return self.prestatie.ingediend_bedrag.debet_credit == DEBET

    @property
    def gekoppeld(self) -> bool:
        """Refers to a non-deleted toewijzing of this cliënt at this aanbieder (TR338, TR304, TR384 hold)."""
        t = self.toewijzing
        return t is not None and t.bsn == self.bsn and not t.verwijderd


class _Controle:
    """The 323 and its Stand, with what the rules share: computed once, findings memoised per check."""

    def __init__(self, bericht: model.DeclaratieBericht, stand: Stand):
        self.bericht = bericht
        self.stand = stand
        self._fouten: dict[Check, list[Fout]] = {}

    def fouten(self, check: Check) -> list[Fout]:
        if check not in self._fouten:
            self._fouten[check] = list(check(self.bericht, self))
        return self._fouten[check]

    def afgewezen(self, checks: Iterable[Check]) -> set[str]:
        """The classes these checks reject."""
        return {fout.klasse for check in checks for fout in self.fouten(check)}

    @cached_property
    def regels(self) -> list[_Prestatieregel]:
        stand = self.stand
        regels = []
        for node in of_type(self.bericht, model.Prestatie):
            p = node.obj
            assert node.ouder is not None
            regels.append(_Prestatieregel(node, p, node.ouder.obj.bsn, stand.toewijzing(p.toewijzing_nummer)))
        return regels

    @cached_property
    def debets(self) -> list[_Prestatieregel]:
        return [r for r in self.regels if r.is_debet]

    @cached_property
    def credits(self) -> list[_Prestatieregel]:
        return [r for r in self.regels if not r.is_debet]

    @cached_property
    def gekoppeld(self) -> list[_Prestatieregel]:
        return [r for r in self.debets if r.gekoppeld]

    @cached_property
    def geaccepteerde_credits(self) -> list[_Prestatieregel]:
        afgewezen = self.afgewezen(_CREDITREGELS)
        return [r for r in self.credits if r.node.pad not in afgewezen]

    @cached_property
    def gecrediteerd_in_dit_bericht(self) -> frozenset[str]:
        return frozenset(r.prestatie.product_referentie.vorig_referentie_nummer or "" for r in self.geaccepteerde_credits)

    def contract(self, p: model.Prestatie) -> Contract | None:
        return self.stand.contract(p.product_categorie, p.product_code, p.product_periode.begindatum)


def _fout(r: _Prestatieregel, element: str, melding: str) -> Fout:
    """A finding on the Prestatie; `element` is the path below it, e.g. "ProductPeriode/Begindatum"."""
    return Fout(f"{r.node.pad}/{element}" if element else r.node.pad, r.node.pad, melding)


def _periode(p: model.Prestatie) -> str:
    return f"{p.product_periode.begindatum} t/m {p.product_periode.einddatum}"


# ---------------------------------------------------------------- Declaratie


def _tr333(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """DeclaratieNummer unique for the aanbieder within the wet (OP349)."""
    nummer = bericht.declaratie.declaratie_nummer
    if nummer in c.stand.declaratienummers:
        yield Fout(f"{DECLARATIE}/DeclaratieNummer", DECLARATIE, f"DeclaratieNummer {nummer} is door deze aanbieder al eerder gebruikt")


def _tr318(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """A DeclaratiePeriode not before the last one submitted (gaps and the same month again are allowed, OP284, IV090)."""
    laatste = c.stand.laatste_declaratieperiode
    begin = bericht.declaratie.declaratie_periode.begindatum
    if laatste is not None and begin < laatste:
        yield Fout(
            f"{DECLARATIE}/DeclaratiePeriode",
            DECLARATIE,
            f"DeclaratiePeriode vanaf {begin} ligt voor de laatst ingediende DeclaratiePeriode (vanaf {laatste})",
        )


# ---------------------------------------------------------------- every prestatie (debet and credit)


def _tr314(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ReferentieNummer unique for the aanbieder within the wet, in this 323 and across messages."""
    gezien: set[str] = set()
    for r in c.regels:
        nummer = r.prestatie.product_referentie.referentie_nummer
        if c.stand.eerdere(nummer) is not None:
            yield _fout(r, "ProductReferentie/ReferentieNummer", f"ReferentieNummer {nummer} is al eerder aangeleverd")
        elif nummer in gezien:
            yield _fout(r, "ProductReferentie/ReferentieNummer", f"ReferentieNummer {nummer} komt eerder in deze declaratie voor")
        gezien.add(nummer)


def _tr319(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """The ProductPeriode lies in the current or an earlier DeclaratiePeriode."""
    einde = bericht.declaratie.declaratie_periode.einddatum
    for r in c.regels:
        if r.prestatie.product_periode.einddatum > einde:
            yield _fout(r, "ProductPeriode", f"ProductPeriode {_periode(r.prestatie)} ligt na de DeclaratiePeriode (t/m {einde})")


# ---------------------------------------------------------------- credits


def _tr323(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """A credit refers by VorigReferentieNummer to an earlier debet that the 325 granted (IV085, IV091)."""
    for r in c.credits:
        vorig = r.prestatie.product_referentie.vorig_referentie_nummer
        debet = c.stand.eerdere(vorig) if vorig else None
        if vorig is None:
            reden = "de creditprestatie heeft geen VorigReferentieNummer"
        elif debet is None or debet.debet_credit != DEBET:
            reden = f"er is geen debetprestatie met ReferentieNummer {vorig}"
        elif not debet.toegekend:
            reden = f"de debetprestatie {vorig} is afgewezen en kan niet gecrediteerd worden"
        else:
            continue
        yield _fout(r, "ProductReferentie/VorigReferentieNummer", reden)


def _tr390(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """A debet is credited at most once (OP360)."""
    for r in c.credits:
        vorig = r.prestatie.product_referentie.vorig_referentie_nummer
        if vorig and c.stand.is_gecrediteerd(vorig):
            yield _fout(r, "ProductReferentie/VorigReferentieNummer", f"De debetprestatie {vorig} is al gecrediteerd")


# ---------------------------------------------------------------- debets against the toewijzing


def _tr338(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """The prestatie refers to a toewijzing (of this aanbieder) by ToewijzingNummer."""
    for r in c.debets:
        if r.toewijzing is None:
            yield _fout(r, "ToewijzingNummer", f"ToewijzingNummer {r.prestatie.toewijzing_nummer} is geen toewijzing aan deze aanbieder")


def _tr304(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """The Bsn of the Client is the Bsn of the toewijzing the prestatie refers to."""
    for r in c.debets:
        if r.toewijzing is not None and r.toewijzing.bsn != r.bsn:
            yield _fout(r, "ToewijzingNummer", f"Toewijzing {r.prestatie.toewijzing_nummer} is niet van de cliënt met Bsn {r.bsn}")


def _tr384(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """No declaration on a deleted toewijzing (RedenWijziging 13)."""
    for r in c.debets:
        if r.toewijzing is not None and r.toewijzing.bsn == r.bsn and r.toewijzing.verwijderd:
            yield _fout(r, "ToewijzingNummer", f"Toewijzing {r.prestatie.toewijzing_nummer} is verwijderd")


def _tr307(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ProductPeriode Begindatum >= Ingangsdatum of the toewijzing."""
    for r in c.gekoppeld:
        assert r.toewijzing is not None
        if r.prestatie.product_periode.begindatum < r.toewijzing.ingangsdatum:
            yield _fout(r, "ProductPeriode/Begindatum", f"Begindatum {r.prestatie.product_periode.begindatum} ligt voor de Ingangsdatum {r.toewijzing.ingangsdatum} van de toewijzing")


def _tr308(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ProductPeriode Einddatum <= Einddatum of the toewijzing, when it has one."""
    for r in c.gekoppeld:
        t = r.toewijzing
        assert t is not None
        if t.einddatum is not None and r.prestatie.product_periode.einddatum > t.einddatum:
            yield _fout(r, "ProductPeriode/Einddatum", f"Einddatum {r.prestatie.product_periode.einddatum} ligt na de Einddatum {t.einddatum} van de toewijzing")


def _laatste_dag(d: date) -> date:
    volgende = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return date.fromordinal(volgende.toordinal() - 1)


def _tr387(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ProductPeriode begins on the 1st of its month, or on the toewijzing's Ingangsdatum when that is later in the month."""
    for r in c.gekoppeld:
        t = r.toewijzing
        assert t is not None
        begin = r.prestatie.product_periode.begindatum
        verwacht = max(begin.replace(day=1), t.ingangsdatum)
        if begin >= t.ingangsdatum and begin != verwacht:
            yield _fout(r, "ProductPeriode/Begindatum", f"Begindatum {begin} moet {verwacht} zijn (eerste dag van de maand of Ingangsdatum van de toewijzing)")


def _tr388(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ProductPeriode ends on the last day of its month, or on the toewijzing's Einddatum when that is earlier in the month."""
    for r in c.gekoppeld:
        t = r.toewijzing
        assert t is not None
        eind = r.prestatie.product_periode.einddatum
        verwacht = min(_laatste_dag(eind), t.einddatum or date.max)
        if (t.einddatum is None or eind <= t.einddatum) and eind != verwacht:
            yield _fout(r, "ProductPeriode/Einddatum", f"Einddatum {eind} moet {verwacht} zijn (laatste dag van de maand of Einddatum van de toewijzing)")


def _tr339(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ProductCategorie equals the toewijzing's, when it has one."""
    for r in c.gekoppeld:
        t = r.toewijzing
        assert t is not None
        if t.categorie is not None and r.prestatie.product_categorie != t.categorie:
            yield _fout(r, "ProductCategorie", f"ProductCategorie {r.prestatie.product_categorie} is niet de toegewezen {t.categorie}")


def _tr340(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ProductCode equals the toewijzing's, when it has one."""
    for r in c.gekoppeld:
        t = r.toewijzing
        assert t is not None
        if t.code is not None and r.prestatie.product_code != t.code:
            yield _fout(r, "ProductCode", f"ProductCode {r.prestatie.product_code} is niet de toegewezen {t.code}")


def _toegewezen_eenheid(r: _Prestatieregel, c: _Controle) -> str | None:
    """The toewijzing's eenheid; for aspecifiek or generiek (no Omvang) the contract's (TR341)."""
    assert r.toewijzing is not None
    if r.toewijzing.omvang is not None:
        return r.toewijzing.omvang.eenheid
    contract = c.contract(r.prestatie)
    return contract.eenheid if contract is not None else None


def _tr341(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """Eenheid fits the toewijzing's (or the contract's): the same, or minutes against hours (IV081)."""
    for r in c.gekoppeld:
        toegewezen = _toegewezen_eenheid(r, c)
        if toegewezen is not None and not eenheid_past(r.prestatie.eenheid, toegewezen):
            yield _fout(r, "Eenheid", f"Eenheid {r.prestatie.eenheid} past niet bij de toegewezen eenheid {toegewezen}")


def _tr321(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """GeleverdVolume within the Omvang for the ProductPeriode (IV077, IV078)."""
    for r in c.gekoppeld:
        t = r.toewijzing
        assert t is not None
        p = r.prestatie
        if t.omvang is None or not eenheid_past(p.eenheid, t.omvang.eenheid):
            continue
        maximum = maximaal_in_productperiode(t, c.stand.wet, p.product_periode.begindatum, p.product_periode.einddatum)
        if maximum is not None and in_minuten(p.geleverd_volume, p.eenheid) > in_minuten(maximum, t.omvang.eenheid):
            yield _fout(r, "GeleverdVolume", f"GeleverdVolume {p.geleverd_volume} is meer dan de toegewezen {maximum} (eenheid {t.omvang.eenheid}) in {_periode(p)}")


def _cumulatief(c: _Controle, maat: Callable[[model.Prestatie], int], maximum: Callable[[ToewijzingKopie], int | None], verbruikt: Callable[[int], int]) -> Iterator[tuple[_Prestatieregel, int, int]]:
    """The debets of this 323 that would take a toewijzing over `maximum`: (debet, total with it, maximum).

    Starts from what was accepted before, less the credits of this 323 that are accepted; takes the
    debets in order of ProductPeriode and position, skipping those another rule rejects."""
    afgewezen = c.afgewezen(_VOOR_TOTAAL)
    gebruikt: dict[int, int] = {}
    for r in c.geaccepteerde_credits:
        nummer = r.prestatie.toewijzing_nummer
        gebruikt[nummer] = gebruikt.get(nummer, verbruikt(nummer)) - maat(r.prestatie)
    for r in sorted(c.gekoppeld, key=lambda r: r.prestatie.product_periode.begindatum):
        t = r.toewijzing
        assert t is not None
        if r.node.pad in afgewezen:
            continue
        grens = maximum(t)
        if grens is None:
            continue
        nummer = t.toewijzing_nummer
        totaal = gebruikt.get(nummer, verbruikt(nummer)) + maat(r.prestatie)
        if totaal > grens:
            yield r, totaal, grens
        else:
            gebruikt[nummer] = totaal


def _tr322(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """The sum of GeleverdVolume on a toewijzing within the Omvang over its whole duration (IV077)."""

    def maximum(t: ToewijzingKopie) -> int | None:
        grens = maximaal_in_toewijzing(t)
        return None if grens is None or t.omvang is None else in_minuten(grens, t.omvang.eenheid)

    def maat(p: model.Prestatie) -> int:
        return in_minuten(p.geleverd_volume, p.eenheid)

    for r, totaal, grens in _cumulatief(c, maat, maximum, lambda nummer: c.stand.verbruik(nummer)[0]):
        yield _fout(r, "GeleverdVolume", f"Met deze prestatie komt het gedeclareerde volume op toewijzing {r.prestatie.toewijzing_nummer} op {totaal}, meer dan de toegewezen {grens}")


def _tr369(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """The sum of the prestaties on a toewijzing with a Budget within that Budget (amounts in eurocent)."""

    def maat(p: model.Prestatie) -> int:
        return p.ingediend_bedrag.bedrag

    for r, totaal, grens in _cumulatief(c, maat, lambda t: t.budget, lambda nummer: c.stand.verbruik(nummer)[1]):
        yield _fout(r, "GeleverdVolume", f"Met deze prestatie komt het gedeclareerde bedrag op toewijzing {r.prestatie.toewijzing_nummer} op {totaal} eurocent, meer dan het Budget {grens}")


def _tr389(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """A new debet for the same ToewijzingNummer, product and ProductPeriode only after the earlier one is credited
    (OP366: the credits of this 323 are processed first)."""
    for r in c.debets:
        for eerder in c.stand.toegekende_debets(_sleutel(r.prestatie)):
            nummer = eerder.referentie_nummer
            if not c.stand.is_gecrediteerd(nummer) and nummer not in c.gecrediteerd_in_dit_bericht:
                yield _fout(r, "", f"Voor deze toewijzing, dit product en deze ProductPeriode is debetprestatie {nummer} toegekend en niet gecrediteerd")
                break


# ---------------------------------------------------------------- debets against the contract


def _tr418(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """ProductTarief is the contract's tarief (per minute against an uurtarief: uurtarief / 60 rounded, IV081)."""
    for r in c.debets:
        p = r.prestatie
        if p.eenheid == EURO or p.product_tarief is None:
            continue  # CD087: no ProductTarief with euro's
        contract = c.contract(p)
        if contract is None:
            yield _fout(r, "ProductTarief", f"Er is geen contract voor product {p.product_categorie}/{p.product_code} op {p.product_periode.begindatum}")
            continue
        if p.eenheid == MINUUT and contract.eenheid == UUR:
            verwacht = _half_omhoog(contract.tarief_eurocent, MINUTEN_PER_UUR)
        else:
            verwacht = contract.tarief_eurocent
        if p.product_tarief != verwacht:
            yield _fout(r, "ProductTarief", f"ProductTarief {p.product_tarief} is niet het contractuele tarief {verwacht} (eenheid {p.eenheid})")


def _tr346(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """IngediendBedrag = GeleverdVolume × ProductTarief (Eenheid not 83); minutes against an uurtarief:
    uurtarief × minuten / 60, rounded to the eurocent (IV081)."""
    for r in c.debets:
        p = r.prestatie
        if p.eenheid == EURO or p.product_tarief is None:
            continue  # CS339 / CD087 (level 2)
        contract = c.contract(p) if p.eenheid == MINUUT else None
        if contract is not None and contract.eenheid == UUR:
            verwacht = _half_omhoog(contract.tarief_eurocent * p.geleverd_volume, MINUTEN_PER_UUR)
        else:
            verwacht = p.geleverd_volume * p.product_tarief
        if p.ingediend_bedrag.bedrag != verwacht:
            yield _fout(r, "IngediendBedrag", f"IngediendBedrag {p.ingediend_bedrag.bedrag} is niet GeleverdVolume × ProductTarief = {verwacht}")


def _zk001(bericht: model.DeclaratieBericht, c: _Controle) -> Iterator[Fout]:
    """Our own rule (see the module docstring): with a contract that requires start/stop, care was started
    (305) and not stopped before the ProductPeriode."""
    for r in c.gekoppeld:
        p = r.prestatie
        contract = c.contract(p)
        if contract is None or not contract.start_stop_verplicht:
            continue
        if not c.stand.zorg_geleverd(p.toewijzing_nummer, p.product_periode.begindatum, p.product_periode.einddatum):
            yield _fout(r, "ToewijzingNummer", f"Er is geen start van toewijzing {p.toewijzing_nummer} die in {_periode(p)} loopt; het contract stelt start/stop verplicht")


# ---------------------------------------------------------------- the rules


def _gedeeld(check: Check) -> Callable[[model.Bericht, object], list[Fout]]:
    """The check's findings through the 323's memo, so rules that depend on others compute them once."""

    def run(bericht: model.Bericht, controle: object) -> list[Fout]:
        assert isinstance(controle, _Controle)
        return controle.fouten(check)

    run.__doc__ = check.__doc__
    return run


_CREDITREGELS: tuple[Check, ...] = (_tr314, _tr319, _tr323, _tr390)
_VOOR_TOTAAL: tuple[Check, ...] = (_tr314, _tr319, _tr307, _tr308, _tr387, _tr388, _tr339, _tr340, _tr341, _tr321, _tr389, _tr418, _tr346, _zk001)

TR333 = Regel("TR333", _gedeeld(_tr333))  # type: ignore[arg-type]  # checks take the _Controle as their context
TR318 = Regel("TR318", _gedeeld(_tr318))  # type: ignore[arg-type]
TR314 = Regel("TR314", _gedeeld(_tr314))  # type: ignore[arg-type]
TR319 = Regel("TR319", _gedeeld(_tr319))  # type: ignore[arg-type]
TR323 = Regel("TR323", _gedeeld(_tr323))  # type: ignore[arg-type]
TR390 = Regel("TR390", _gedeeld(_tr390))  # type: ignore[arg-type]
TR338 = Regel("TR338", _gedeeld(_tr338))  # type: ignore[arg-type]
TR304 = Regel("TR304", _gedeeld(_tr304))  # type: ignore[arg-type]
TR384 = Regel("TR384", _gedeeld(_tr384))  # type: ignore[arg-type]
TR307 = Regel("TR307", _gedeeld(_tr307))  # type: ignore[arg-type]
TR308 = Regel("TR308", _gedeeld(_tr308))  # type: ignore[arg-type]
TR387 = Regel("TR387", _gedeeld(_tr387))  # type: ignore[arg-type]
TR388 = Regel("TR388", _gedeeld(_tr388))  # type: ignore[arg-type]
TR339 = Regel("TR339", _gedeeld(_tr339))  # type: ignore[arg-type]
TR340 = Regel("TR340", _gedeeld(_tr340))  # type: ignore[arg-type]
TR341 = Regel("TR341", _gedeeld(_tr341))  # type: ignore[arg-type]
TR321 = Regel("TR321", _gedeeld(_tr321))  # type: ignore[arg-type]
TR322 = Regel("TR322", _gedeeld(_tr322))  # type: ignore[arg-type]
TR369 = Regel("TR369", _gedeeld(_tr369))  # type: ignore[arg-type]
TR389 = Regel("TR389", _gedeeld(_tr389))  # type: ignore[arg-type]
TR418 = Regel("TR418", _gedeeld(_tr418))  # type: ignore[arg-type]
TR346 = Regel("TR346", _gedeeld(_tr346))  # type: ignore[arg-type]
ZK001_START = Regel(ZK001.code, _gedeeld(_zk001))  # type: ignore[arg-type]

REGELS: tuple[Regel, ...] = (
    TR333, TR318,
    TR314, TR319, TR323, TR390,
    TR338, TR304, TR384, TR307, TR308, TR387, TR388, TR339, TR340, TR341,
    TR321, TR322, TR369, TR389, TR418, TR346, ZK001_START,
)  # fmt: skip
NIVEAUS = (Controleniveau.BERICHTOVERSTIJGEND, Controleniveau.EXTERNE_BRON)


@functools.cache
def regelset() -> Regelset:
    """The declaratiecontrole with the official metadata (read once per process) and our own ZK001."""
    return Regelset(REGELS, {**load_regelinfo(), ZK001.code: ZK001})


def beoordeel(bericht: model.DeclaratieBericht, stand: Stand) -> list[Bevinding]:
    """The findings of the declaratiecontrole (controleniveau 3 and 4) on a 323 that passed the hub."""
    return regelset().controleer(bericht, _Controle(bericht, stand), NIVEAUS)  # type: ignore[arg-type]


def toegekend(bericht: model.DeclaratieBericht, bevindingen: Iterable[Bevinding]) -> tuple[list[model.Prestatie], list[model.Prestatie], int]:
    """(accepted prestaties, rejected prestaties, TotaalToegekendBedrag in eurocent, credit negative), as the
    325 of berichten.domain.retour.declaratie_antwoord has them: nothing is granted after a finding of level 2,
    in the header or on the Declaratie; a finding on a Client rejects all its prestaties."""
    bevindingen = list(bevindingen)
    klassen = {b.klasse for b in bevindingen}
    d = bericht.declaratie
    alle = [p for client in d.clienten for p in client.prestaties]
    if HEADER in klassen or DECLARATIE in klassen or any(b.niveau is Controleniveau.BERICHTINHOUD for b in bevindingen):
        return [], alle, 0
    geaccepteerd: list[model.Prestatie] = []
    afgewezen: list[model.Prestatie] = []
    totaal = 0
    for ci, client in enumerate(d.clienten, start=1):
        client_pad = f"{DECLARATIE}/Clienten/Client{f'[{ci}]' if len(d.clienten) > 1 else ''}"
        for pi, p in enumerate(client.prestaties, start=1):
            pad = f"{client_pad}/Prestaties/Prestatie{f'[{pi}]' if len(client.prestaties) > 1 else ''}"
            if client_pad in klassen or pad in klassen:
                afgewezen.append(p)
            else:
                geaccepteerd.append(p)
                totaal += _signed(p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit)
    return geaccepteerd, afgewezen, totaal
