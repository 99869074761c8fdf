"""Herindicatie: a signal 8 weeks before a beschikt product ends, to the party that must act.

- For a product marked as the cliënt's own responsibility for herindicatie (the gemeente's list,
  `data/herindicatie_eigen_verantwoordelijkheid.csv`: per wet a productcategorie, or one productcode
  in it) the cliënt asks for the herindicatie, so the signal goes to the gemeente (the cliënt's
  consulent); the aanbieder plans no evaluatie for it either (domain/evaluatie.py).
- Otherwise it goes to the aanbieder that delivers the product (the one the cliënt chose), which
  evaluates with the cliënt in time for the herindicatie. A product without a chosen aanbieder
  (on the toewijslijst) has no one delivering it yet: its signal goes to the gemeente — until the
  toewijzing service confirms an aanbieder's claim of it on the toewijslijst
  (`toewijzing.toewijslijst.gewijzigd`, status bevestigd; `toewijslijst.py`): from then on that
  aanbieder delivers it, and the signal moves to it (`toegewezen`: product key -> AGB). The
  beschikking itself is not changed: it is the gemeente's decision, and the aanbieder came later.
- When that aanbieder's toewijzing for the product ends before the product does (an earlier
  einddatum — verkorting, verhuizing, overlijden — or deleted), while the product still runs and
  needs a herindicatie, nobody delivers it any more: the signal moves back to the gemeente
  (`leverende_aanbieders`, fed by `toewijzing.toewijzing.gewijzigd`). A toewijzing of the same
  aanbieder for the product that does run to its end (the toewijzing service replaced one by
  another, or lengthened it again) keeps it with the aanbieder.

The deadline is counted like the regular evaluatie: no later than 8 calendar weeks before the
product's einddatum, moved to the werkdag before when that day is not one
(`termijnen.uiterlijk_weken_voor`). A product without einddatum needs no herindicatie; an
ingetrokken beschikking none at all. A beschikking gives one signal per product (keyed by
`categorie/code@ingangsdatum`), so a wijziging keeps the signals of the producten it leaves as they
were and replaces those of the others.

Pure: a beschikking in, signalen out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from indicatie.domain.beschikking import Beschikking, BeschikkingStatus, BeschiktProduct, Wet
from indicatie.domain.termijnen import WEKEN_VOOR_EINDE_BESCHIKKING, uiterlijk_weken_voor
from indicatie.domain.traject import BeschikkingProduct, Partij, PartijSoort, Signaal, SignaalSoort
from runtime.errors import DomainError


@dataclass(frozen=True)
class EigenVerantwoordelijkheid:
    """A product the cliënt is responsible for the herindicatie of: a whole productcategorie of a wet
    (productcode empty) or one productcode in it."""

    wet: Wet
    productcategorie: str
    productcode: str = ""
    toelichting: str = ""

    def __post_init__(self) -> None:
        if not (len(self.productcategorie) == 2 and self.productcategorie.isdigit()):
            raise DomainError(f"productcategorie {self.productcategorie!r} is not 2 digits")

    def geldt_voor(self, wet: Wet, product: BeschiktProduct) -> bool:
        return (
            wet is self.wet
            and product.categorie == self.productcategorie
            and (not self.productcode or product.code == self.productcode)
        )


def is_eigen_verantwoordelijkheid(wet: Wet, product: BeschiktProduct, markeringen: Iterable[EigenVerantwoordelijkheid]) -> bool:
    return any(m.geldt_voor(wet, product) for m in markeringen)


def product_sleutel(product: BeschiktProduct) -> str:
    return f"{product.sleutel}@{product.ingangsdatum.isoformat()}"


def herindicatie_partij(
    beschikking: Beschikking,
    product: BeschiktProduct,
    markeringen: Iterable[EigenVerantwoordelijkheid],
    toegewezen: Mapping[str, str] | None = None,
) -> Partij:
    """Who must act: the gemeente for the cliënt's own responsibility (or no aanbieder yet), else the
    aanbieder — the one chosen in the beschikking, or else the one the toewijslijst gave the product
    (`toegewezen`, by `product_sleutel`)."""
    agb = product.agb or (toegewezen or {}).get(product_sleutel(product))
    if agb is None or is_eigen_verantwoordelijkheid(beschikking.wet, product, markeringen):
        return Partij(PartijSoort.GEMEENTE, beschikking.gemeentecode)
    return Partij(PartijSoort.AANBIEDER, agb)


def herindicatie_signalen(
    beschikking: Beschikking, markeringen: Iterable[EigenVerantwoordelijkheid], toegewezen: Mapping[str, str] | None = None
) -> list[Signaal]:
    """The herindicatie signalen the beschikking as it now stands calls for, one per product with an
    einddatum; `toegewezen` names the aanbieders the toewijslijst gave producten without a chosen one."""
    if beschikking.status is BeschikkingStatus.INGETROKKEN:
        return []
    markeringen = tuple(markeringen)
    return [
        Signaal(
            traject_id=None,
            soort=SignaalSoort.HERINDICATIE,
            partij=herindicatie_partij(beschikking, p, markeringen, toegewezen),
            deadline=uiterlijk_weken_voor(p.einddatum, WEKEN_VOOR_EINDE_BESCHIKKING),
            beschikking=BeschikkingProduct(beschikking.gemeentecode, beschikking.beschikkingnummer, product_sleutel(p)),
        )
        for p in beschikking.producten
        if p.einddatum is not None
    ]


def wat_verandert(open_signalen: Iterable[Signaal], gewenst: Iterable[Signaal]) -> tuple[list[Signaal], list[Signaal]]:
    """(to close, to open): an open signal stays when one is wanted for the same product, party and deadline."""

    def sleutel(s: Signaal) -> tuple[object, ...]:
        return (s.beschikking, s.partij, s.deadline)

    open_lijst, gewenst_lijst = list(open_signalen), list(gewenst)
    bestaand = {sleutel(s) for s in open_lijst}
    blijft = {sleutel(s) for s in gewenst_lijst}
    return [s for s in open_lijst if sleutel(s) not in blijft], [s for s in gewenst_lijst if sleutel(s) not in bestaand]


@dataclass(frozen=True)
class ToewijslijstToewijzing:
    """What the toewijzing service published of one toewijzing (its latest version here) for a product
    of the beschikking without a chosen aanbieder (`product`: its `product_sleutel`), and whether it
    ends before that product did when the version came: an earlier einddatum, or deleted. Judged then,
    not again later: a verlenging of the beschikking reaches the toewijzing only after the beschikking
    changed here, and must not make the aanbieder's toewijzing look short in between."""

    product: str
    agb: str
    einddatum: date | None
    verwijderd: bool
    eindigt_voor_product: bool

    @classmethod
    def van_versie(cls, product: BeschiktProduct, agb: str, einddatum: date | None, verwijderd: bool) -> ToewijslijstToewijzing:
        eerder = product.einddatum is not None and einddatum is not None and einddatum < product.einddatum
        return cls(product_sleutel(product), agb, einddatum, verwijderd, verwijderd or eerder)


def leverende_aanbieders(toegewezen: Mapping[str, str], toewijzingen: Iterable[ToewijslijstToewijzing]) -> dict[str, str]:
    """The aanbieders the toewijslijst gave producten (`toegewezen`) that still deliver them: dropped is
    one whose toewijzingen for the product, as far as known, all end before the product (or were
    deleted). While none of its toewijzingen is known yet (their event follows the confirmation), the
    confirmed aanbieder delivers."""
    toewijzingen = tuple(toewijzingen)
    leverend: dict[str, str] = {}
    for sleutel, agb in toegewezen.items():
        eigen = [t for t in toewijzingen if (t.product, t.agb) == (sleutel, agb)]
        if not eigen or not all(t.eindigt_voor_product for t in eigen):
            leverend[sleutel] = agb
    return leverend


def toewijzing_voor(beschikking: Beschikking, categorie: str, code: str, ingangsdatum: date) -> BeschiktProduct | None:
    """The product without a chosen aanbieder a toewijzing of the beschikking is for: this categorie and
    code (empty: aspecifiek), its period holding the toewijzing's ingangsdatum (a toewijzing from the
    toewijslijst begins on the product's ingangsdatum, or on the day the claim was confirmed when that
    came later). At most one: identical producten of a beschikking do not overlap."""
    kandidaten = [
        p
        for p in beschikking.producten
        if p.agb is None
        and (p.categorie, p.code) == (categorie, code)
        and p.ingangsdatum <= ingangsdatum
        and (p.einddatum is None or ingangsdatum <= p.einddatum)
    ]
    return kandidaten[0] if len(kandidaten) == 1 else None


def van_de_toewijslijst(beschikking: Beschikking, categorie: str, code: str, ingangsdatum: date | None) -> BeschiktProduct | None:
    """The product of the beschikking that a confirmed toewijslijst entry was for: one without a chosen
    aanbieder, with this categorie and code (empty: aspecifiek) and this ingangsdatum. An entry
    published without its ingangsdatum (before the toewijzing service sent it) matches the one such
    product of the beschikking; None when there is none, or no single one."""
    kandidaten = [p for p in beschikking.producten if p.agb is None and (p.categorie, p.code) == (categorie, code)]
    if ingangsdatum is not None:
        kandidaten = [p for p in kandidaten if p.ingangsdatum == ingangsdatum]
    return kandidaten[0] if len(kandidaten) == 1 else None
