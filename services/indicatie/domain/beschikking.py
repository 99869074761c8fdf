"""The Beschikking: the gemeente's decision that a cliënt is entitled to producten, for a period.

Lifecycle (one table, `ALLOWED_STATUS_CHANGES`): a beschikking is afgegeven, may be gewijzigd any
number of times and may be ingetrokken; an ingetrokken beschikking does not change any more. Every
change and the intrekking carry a reden (RedenWijziging, JZ002/WMO002) and are recorded with it.

Before a beschikking is afgegeven (`controleer_afgifte`):
- the cliënt's NAW is complete and valid and the cliënt is actief (not overleden or verhuisd);
- every product is in the productcode list in use on its ingangsdatum (Jeugdwet: JZ21, with its
  categorie and its uitvoeringsvariant — the zorgvorm; Wmo: the gemeente's own codes, so the
  contracts are the list in use), its Omvang uses valid Eenheid and Frequentie codes, and Omvang,
  Budget and Einddatum follow CD041/CD075/CD077 and, as the 301 that follows must, CD076 and CS338
  (`cd076`, `cs338`: what the rules of the ToegewezenProduct mean for a beschikt product);
- every product is contracted in that gemeente, for that wet and uitvoeringsvariant, for its whole
  period (the contract versions of any aanbieder together cover it);
- no two identical products (same categorie and code) overlap in time, within the beschikking or
  with the cliënt's other beschikkingen that are not ingetrokken.
Taakgericht products need no beschikking (the aanbieder decides on access), so they are refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from indicatie.domain.client import Client, Codelijsten, is_gemeentecode, naw_gebreken
from runtime.domein import Uitvoeringsvariant, Wet  # noqa: F401  (re-exported for this service)
from runtime.errors import DomainError

MAX_BESCHIKKINGNUMMER = 999_999_999  # LDT_Nummer


class BeschikkingStatus(StrEnum):
    AFGEGEVEN = "afgegeven"
    GEWIJZIGD = "gewijzigd"
    INGETROKKEN = "ingetrokken"


ALLOWED_STATUS_CHANGES: dict[BeschikkingStatus, frozenset[BeschikkingStatus]] = {
    BeschikkingStatus.AFGEGEVEN: frozenset({BeschikkingStatus.GEWIJZIGD, BeschikkingStatus.INGETROKKEN}),
    BeschikkingStatus.GEWIJZIGD: frozenset({BeschikkingStatus.GEWIJZIGD, BeschikkingStatus.INGETROKKEN}),
    BeschikkingStatus.INGETROKKEN: frozenset(),
}

# Which code list holds the productcategorieën and the productcodes in use, per wet (None: the gemeente's own).
PRODUCTCATEGORIE_LIJST = {Wet.JEUGDWET: "JZ020", Wet.WMO: None}
PRODUCTCODE_LIJST = {Wet.JEUGDWET: "JZ21", Wet.WMO: None}
EENHEID_LIJST = "WJ756"
FREQUENTIE_LIJST = "WMO757"
REDEN_LIJST = "JZ002"  # RedenWijziging: WMO002 and JZ002 are identical

# CD076: Frequentie 2 (per week) needs an Einddatum.
FREQUENTIE_PER_WEEK = "2"
# CS338: Eenheid 14 (etmaal), 16 (dagdeel), 83 (euro's) or 84 (stuks (inspanning)), with an Einddatum after
# 2020-12-31 or none, needs Frequentie 2 (per week), 4 (per maand) or 6 (totaal binnen geldigheidsduur).
CS338_EENHEDEN = frozenset({"14", "16", "83", "84"})
CS338_FREQUENTIES = ("2", "4", "6")
CS338_NA = date(2020, 12, 31)


@dataclass(frozen=True)
class Gebrek:
    """Why a beschikking cannot be afgegeven, and the field it is about (bsn, productcode, einddatum …):
    a refusal names every gebrek; an imported indicatie keeps them per field for its correction."""

    veld: str
    reden: str


def weiger(gebreken: Sequence[Gebrek]) -> None:
    """The refusal naming every gebrek, when there is one."""
    if gebreken:
        raise DomainError("; ".join(g.reden for g in gebreken))


def is_beschikkingnummer(value: str) -> bool:
    return value.isdigit() and 0 < int(value) <= MAX_BESCHIKKINGNUMMER and len(value) <= 9


@dataclass(frozen=True)
class Omvang:
    volume: int
    eenheid: str  # WJ756
    frequentie: str  # WMO757

    def __post_init__(self) -> None:
        if not 1 <= self.volume <= 99_999_999:
            raise DomainError(f"omvang volume {self.volume} is not a whole number from 1 to 99999999")
        if not self.eenheid or not self.frequentie:
            raise DomainError("an omvang needs its eenheid and frequentie")


@dataclass(frozen=True)
class BeschiktProduct:
    categorie: str
    code: str  # empty: aspecifiek (the whole categorie, with a budget)
    ingangsdatum: date
    einddatum: date | None
    uitvoeringsvariant: Uitvoeringsvariant
    omvang: Omvang | None = None
    budget_eurocent: int | None = None
    # The aanbieder (AGB code) the cliënt chose; None: not chosen yet or free choice, and the
    # toewijzing service puts the cliënt on the toewijslijst for this product.
    agb: str | None = None

    def __post_init__(self) -> None:
        if self.agb is not None and not (len(self.agb) == 8 and self.agb.isdigit()):
            raise DomainError(f"AGB code {self.agb!r} of the chosen aanbieder is not 8 digits")
        if not (len(self.categorie) == 2 and self.categorie.isdigit()):
            raise DomainError(f"productcategorie {self.categorie!r} is not 2 digits")
        if self.code and not (len(self.code) <= 5 and self.code.isalnum() and self.code == self.code.upper()):
            raise DomainError(f"productcode {self.code!r} is not 1 to 5 digits or capitals")
        if self.einddatum is not None and self.einddatum < self.ingangsdatum:
            raise DomainError(f"product {self.sleutel}: einddatum {self.einddatum} lies before ingangsdatum {self.ingangsdatum}")
        if self.omvang is not None and self.budget_eurocent is not None:
            raise DomainError(f"product {self.sleutel}: omvang and budget exclude each other (CD077)")
        if self.code and self.omvang is None:
            raise DomainError(f"product {self.sleutel}: a product with a productcode needs an omvang (CD041)")
        if not self.code and self.budget_eurocent is None:
            raise DomainError(f"product {self.sleutel}: a product without productcode needs a budget")
        if self.budget_eurocent is not None:
            if not 0 < self.budget_eurocent <= 99_999_999:
                raise DomainError(f"product {self.sleutel}: budget must be 1 to 99999999 eurocent")
            if self.einddatum is None:
                raise DomainError(f"product {self.sleutel}: a budget needs an einddatum (CD075)")

    @property
    def sleutel(self) -> str:
        return f"{self.categorie}/{self.code}" if self.code else self.categorie

    def overlapt(self, other: BeschiktProduct) -> bool:
        """Identical product (categorie and code) in periods that share a day."""
        if (self.categorie, self.code) != (other.categorie, other.code):
            return False
        eind_self = self.einddatum or date.max
        eind_other = other.einddatum or date.max
        return self.ingangsdatum <= eind_other and other.ingangsdatum <= eind_self


@dataclass(frozen=True)
class Reden:
    """Why a beschikking changed or was withdrawn: a RedenWijziging code and the consulent's toelichting."""

    code: str
    toelichting: str = ""

    def __post_init__(self) -> None:
        if not self.code:
            raise DomainError("a wijziging or intrekking needs its reden (RedenWijziging, codelijst JZ002/WMO002)")
        if len(self.toelichting) > 1000:
            raise DomainError("the toelichting of the reden is longer than 1000 characters")


@dataclass(frozen=True)
class Beschikking:
    beschikkingnummer: str
    bsn: str
    gemeentecode: str
    wet: Wet
    beschikkingsdatum: date
    producten: tuple[BeschiktProduct, ...]
    status: BeschikkingStatus = BeschikkingStatus.AFGEGEVEN
    versie: int = 1
    reden: Reden | None = None  # of the latest wijziging or the intrekking
    ingetrokken_per: date | None = None

    def __post_init__(self) -> None:
        if not is_beschikkingnummer(self.beschikkingnummer):
            raise DomainError(f"beschikkingnummer {self.beschikkingnummer!r} is not a number from 1 to 999999999")
        if not is_gemeentecode(self.gemeentecode):
            raise DomainError(f"gemeentecode {self.gemeentecode!r} is not 4 digits")
        if self.beschikkingsdatum > date.today():
            raise DomainError(f"beschikkingsdatum {self.beschikkingsdatum.isoformat()} lies in the future")
        if not self.producten:
            raise DomainError("a beschikking has at least one product")
        overlap = overlappende(self.producten)
        if overlap:
            raise DomainError(f"product {overlap[0].sleutel} occurs twice in overlapping periods")

    def wijzig(self, producten: Sequence[BeschiktProduct], reden: Reden, versie: int) -> Beschikking:
        """The beschikking with a new set of producten; `versie` is the one the change was based on."""
        self._naar(BeschikkingStatus.GEWIJZIGD, versie)
        if tuple(producten) == self.producten:
            raise DomainError("the wijziging changes nothing: the producten are the same")
        return replace(self, producten=tuple(producten), status=BeschikkingStatus.GEWIJZIGD, versie=self.versie + 1, reden=reden)

    def trek_in(self, reden: Reden, per: date, versie: int) -> Beschikking:
        """Withdrawn per `per`: from that day on the beschikking gives no right any more."""
        self._naar(BeschikkingStatus.INGETROKKEN, versie)
        return replace(self, status=BeschikkingStatus.INGETROKKEN, versie=self.versie + 1, reden=reden, ingetrokken_per=per)

    def _naar(self, status: BeschikkingStatus, versie: int) -> None:
        if status not in ALLOWED_STATUS_CHANGES[self.status]:
            raise DomainError(f"beschikking {self.beschikkingnummer} is {self.status.value} and cannot become {status.value}")
        if versie != self.versie:
            raise DomainError(
                f"beschikking {self.beschikkingnummer} is at versie {self.versie}; this change was based on versie {versie} "
                "(applied already, or overtaken by another change)"
            )

    def geldende_producten(self) -> tuple[BeschiktProduct, ...]:
        """The producten as far as they still give a right: an intrekking ends them the day before it takes effect."""
        if self.ingetrokken_per is None:
            return self.producten
        laatste = self.ingetrokken_per - timedelta(days=1)
        return tuple(
            replace(p, einddatum=min(p.einddatum or date.max, laatste))
            for p in self.producten
            if p.ingangsdatum <= laatste
        )

    @property
    def einddatum(self) -> date | None:
        einden = [p.einddatum for p in self.producten]
        return None if any(e is None for e in einden) else max(e for e in einden if e is not None)


@dataclass(frozen=True)
class ContractRegel:
    """The part of a declaratie contract version that says what is contracted (the indicatie service's copy)."""

    gemeentecode: str
    wet: str
    productcategorie: str
    productcode: str
    uitvoeringsvariant: str
    begindatum: date
    einddatum: date | None = None
    agb: str = ""


def overlappende(producten: Iterable[BeschiktProduct]) -> tuple[BeschiktProduct, BeschiktProduct] | tuple[()]:
    lijst = list(producten)
    for i, a in enumerate(lijst):
        for b in lijst[i + 1 :]:
            if a.overlapt(b):
                return (a, b)
    return ()


def is_gecontracteerd(product: BeschiktProduct, wet: Wet, gemeentecode: str, contracten: Iterable[ContractRegel]) -> bool:
    """Whether contract versions together cover the product's whole period: those of the chosen
    aanbieder when the product names one, else those of any aanbieder."""
    perioden = sorted(
        (c.begindatum, c.einddatum or date.max)
        for c in contracten
        if c.gemeentecode == gemeentecode
        and (product.agb is None or c.agb == product.agb)
        and c.wet == wet.value
        and c.uitvoeringsvariant == product.uitvoeringsvariant.value
        and c.productcategorie == product.categorie
        and (not product.code or c.productcode == product.code)
    )
    gedekt_tot = product.ingangsdatum  # every day before this one is covered
    einde = product.einddatum or date.max
    for begin, eind in perioden:
        if begin > gedekt_tot:
            break
        if eind >= gedekt_tot:
            if eind >= einde:
                return True
            gedekt_tot = eind + timedelta(days=1)
    return False


def product_gebreken(product: BeschiktProduct, wet: Wet, codelijsten: Codelijsten) -> list[Gebrek]:
    """The product's codes that are not in the lists in use on its ingangsdatum, its zorgvorm, CD076 and CS338."""
    op = product.ingangsdatum
    gebreken = []
    if product.uitvoeringsvariant is Uitvoeringsvariant.TAAKGERICHT:
        gebreken.append(Gebrek("uitvoeringsvariant", f"product {product.sleutel} is taakgericht: access is decided by the aanbieder, without a beschikking"))
    categorieen = PRODUCTCATEGORIE_LIJST[wet]
    if categorieen and not codelijsten.get(categorieen).geldig(product.categorie, op):
        gebreken.append(Gebrek("productcategorie", f"productcategorie {product.categorie!r} is not in {categorieen} on {op.isoformat()}"))
    codes = PRODUCTCODE_LIJST[wet]
    if codes and product.code:
        lijst = codelijsten.get(codes)
        if not lijst.geldig(product.code, op):
            gebreken.append(Gebrek("productcode", f"productcode {product.code!r} is not in {codes} on {op.isoformat()}"))
        elif lijst.categorie_van(product.code) != product.categorie:
            gebreken.append(
                Gebrek("productcode", f"productcode {product.code!r} belongs to categorie {lijst.categorie_van(product.code)} in {codes}, not {product.categorie}")
            )
        else:
            zorgvorm = lijst.productcode(product.code).uitvoeringsvariant
            if zorgvorm and zorgvorm != product.uitvoeringsvariant.value:
                gebreken.append(Gebrek("uitvoeringsvariant", f"productcode {product.code!r} is {zorgvorm} in {codes}, not {product.uitvoeringsvariant.value}"))
    if product.omvang is not None:
        if not codelijsten.get(EENHEID_LIJST).geldig(product.omvang.eenheid, op):
            gebreken.append(Gebrek("eenheid", f"product {product.sleutel}: eenheid {product.omvang.eenheid!r} is not in {EENHEID_LIJST} on {op.isoformat()}"))
        if not codelijsten.get(FREQUENTIE_LIJST).geldig(product.omvang.frequentie, op):
            gebreken.append(
                Gebrek("frequentie", f"product {product.sleutel}: frequentie {product.omvang.frequentie!r} is not in {FREQUENTIE_LIJST} on {op.isoformat()}")
            )
    for veld, fout in (("einddatum", cd076(product)), ("frequentie", cs338(product))):
        if fout:
            gebreken.append(Gebrek(veld, fout))
    return gebreken


def cd076(product: BeschiktProduct) -> str | None:
    """CD076: an Omvang per week (Frequentie 2) needs the product's Einddatum."""
    if product.omvang is not None and product.omvang.frequentie == FREQUENTIE_PER_WEEK and product.einddatum is None:
        return f"product {product.sleutel}: an omvang per week (frequentie 2) needs an einddatum (CD076)"
    return None


def cs338(product: BeschiktProduct) -> str | None:
    """CS338: Eenheid 14, 16, 83 or 84 with an Einddatum after 2020-12-31 or none needs Frequentie 2, 4 or 6."""
    omvang = product.omvang
    if omvang is None or omvang.eenheid not in CS338_EENHEDEN or omvang.frequentie in CS338_FREQUENTIES:
        return None
    if product.einddatum is not None and product.einddatum <= CS338_NA:
        return None
    return (
        f"product {product.sleutel}: eenheid {omvang.eenheid} needs frequentie {', '.join(CS338_FREQUENTIES[:-1])} or "
        f"{CS338_FREQUENTIES[-1]}, not {omvang.frequentie} (CS338)"
    )


def controleer_reden(reden: Reden, codelijsten: Codelijsten, op: date) -> None:
    if not codelijsten.get(REDEN_LIJST).geldig(reden.code, op):
        raise DomainError(f"reden {reden.code!r} is not a RedenWijziging ({REDEN_LIJST}) valid on {op.isoformat()}")


def producten_gebreken(
    producten: Iterable[BeschiktProduct],
    wet: Wet,
    gemeentecode: str,
    codelijsten: Codelijsten,
    contracten: Sequence[ContractRegel],
    andere: Iterable[BeschiktProduct],
) -> list[Gebrek]:
    """Codes, zorgvorm, contract and overlap with the cliënt's other beschikkingen."""
    gebreken: list[Gebrek] = []
    andere = list(andere)
    for product in producten:
        gebreken += product_gebreken(product, wet, codelijsten)
        if product.uitvoeringsvariant is not Uitvoeringsvariant.TAAKGERICHT and not is_gecontracteerd(product, wet, gemeentecode, contracten):
            periode = f"{product.ingangsdatum.isoformat()} to {product.einddatum.isoformat() if product.einddatum else 'open end'}"
            bij = f" with aanbieder {product.agb}" if product.agb else ""
            gebreken.append(
                Gebrek(
                    "aanbieder" if product.agb else "productcode",
                    f"product {product.sleutel} ({wet.value}, {product.uitvoeringsvariant.value}) is not contracted{bij} in gemeente {gemeentecode} for the whole period {periode}",
                )
            )
        botsing = next((a for a in andere if product.overlapt(a)), None)
        if botsing is not None:
            gebreken.append(
                Gebrek(
                    "ingangsdatum",
                    f"product {product.sleutel} overlaps an identical product of another beschikking of this cliënt "
                    f"({botsing.ingangsdatum.isoformat()} to {botsing.einddatum.isoformat() if botsing.einddatum else 'open end'})",
                )
            )
    return gebreken


def controleer_producten(
    producten: Iterable[BeschiktProduct],
    wet: Wet,
    gemeentecode: str,
    codelijsten: Codelijsten,
    contracten: Sequence[ContractRegel],
    andere: Iterable[BeschiktProduct],
) -> None:
    """One refusal naming every gebrek of `producten_gebreken`."""
    weiger(producten_gebreken(producten, wet, gemeentecode, codelijsten, contracten, andere))


def afgifte_gebreken(
    beschikking: Beschikking,
    client: Client,
    codelijsten: Codelijsten,
    contracten: Sequence[ContractRegel],
    andere: Iterable[BeschiktProduct],
) -> list[Gebrek]:
    """Every check before a beschikking may be afgegeven (see the module docstring): the one place
    for them, for GeefBeschikkingAf and for an imported indicatie alike."""
    if client.bsn != beschikking.bsn or client.gemeentecode != beschikking.gemeentecode:
        return [Gebrek("bsn", "the beschikking is for another cliënt")]
    gebreken = []
    naw = naw_gebreken(client)
    if naw:
        gebreken.append(Gebrek("bsn", "the cliënt's NAW is not complete and valid: " + "; ".join(naw)))
    return gebreken + producten_gebreken(beschikking.producten, beschikking.wet, beschikking.gemeentecode, codelijsten, contracten, andere)


def controleer_afgifte(
    beschikking: Beschikking,
    client: Client,
    codelijsten: Codelijsten,
    contracten: Sequence[ContractRegel],
    andere: Iterable[BeschiktProduct],
) -> None:
    weiger(afgifte_gebreken(beschikking, client, codelijsten, contracten, andere))


def gewijzigde_producten(oud: Sequence[BeschiktProduct], nieuw: Sequence[BeschiktProduct]) -> list[BeschiktProduct]:
    """The producten of a wijziging that were not in the beschikking as it was (they get the full checks)."""
    return [p for p in nieuw if p not in oud]


@dataclass(frozen=True)
class BeschikkingMutatie:
    """One line of a beschikking's history: what happened, why, by whom."""

    beschikkingnummer: str
    gemeentecode: str
    versie: int
    status: BeschikkingStatus
    door: str
    reden: Reden | None = None
    producten: tuple[BeschiktProduct, ...] = field(default=())
