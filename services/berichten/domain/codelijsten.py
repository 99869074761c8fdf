"""Dated code lists (codelijsten): which codes exist and on which dates they may be used.

A code is valid on a date when that date lies in [ingangsdatum, expiratiedatum): the ingangsdatum is the
first day of use, the expiratiedatum the first day the code may no longer be used; either end may be open.
A code may have more than one period (a CBS gemeentecode that moved to another provincie, for example);
it is valid on a date when one of its periods covers that date.

Pure: the lists themselves are data files, read by ``berichten.adapters.codelijsten``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Code:
    code: str
    omschrijving: str
    ingangsdatum: date | None
    expiratiedatum: date | None

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("a code cannot be empty")
        if self.ingangsdatum and self.expiratiedatum and self.expiratiedatum <= self.ingangsdatum:
            raise ValueError(
                f"code {self.code!r}: expiratiedatum {self.expiratiedatum} does not lie after ingangsdatum {self.ingangsdatum}"
            )

    def geldig_op(self, op: date) -> bool:
        if self.ingangsdatum is not None and op < self.ingangsdatum:
            return False
        return self.expiratiedatum is None or op < self.expiratiedatum


class Codelijst:
    """One code list; its periods per code are kept in the order of their ingangsdatum."""

    def __init__(self, naam: str, codes: Iterable[Code]) -> None:
        self.naam = naam
        perioden: dict[str, list[Code]] = {}
        for code in codes:
            perioden.setdefault(code.code, []).append(code)
        self._perioden = {
            code: tuple(sorted(lijst, key=lambda c: c.ingangsdatum or date.min)) for code, lijst in perioden.items()
        }
        for code, lijst in self._perioden.items():
            for eerder, later in zip(lijst, lijst[1:]):
                if eerder.expiratiedatum is None or (later.ingangsdatum or date.min) < eerder.expiratiedatum:
                    raise ValueError(f"codelijst {naam!r}: the periods of code {code!r} overlap")

    def geldig(self, code: str, op: date) -> bool:
        return any(periode.geldig_op(op) for periode in self._perioden.get(code, ()))

    def omschrijving(self, code: str, op: date | None = None) -> str | None:
        """The omschrijving on date ``op``, or the latest one when no date is given."""
        perioden = self._perioden.get(code, ())
        if op is not None:
            perioden = tuple(p for p in perioden if p.geldig_op(op))
        return perioden[-1].omschrijving if perioden else None

    def codes(self) -> tuple[Code, ...]:
        return tuple(periode for lijst in self._perioden.values() for periode in lijst)

    def __contains__(self, code: object) -> bool:
        return code in self._perioden

    def __iter__(self) -> Iterator[str]:
        return iter(self._perioden)

    def __len__(self) -> int:
        return len(self._perioden)

    def __repr__(self) -> str:
        return f"Codelijst({self.naam!r}, {len(self)} codes)"


@dataclass(frozen=True)
class Productcode:
    """A product of a standard productcodelijst, e.g. JZ21 45A48 in productcategorie 45, inspanningsgericht."""

    code: str
    omschrijving: str
    categorie: str
    uitvoeringsvariant: str | None


class Productcodelijst(Codelijst):
    """A productcodelijst (JZ21): a Codelijst without dates that also knows each product's categorie."""

    def __init__(self, naam: str, productcodes: Iterable[Productcode]) -> None:
        self._producten: dict[str, Productcode] = {}
        for product in productcodes:
            if self._producten.setdefault(product.code, product) is not product:
                raise ValueError(f"productcodelijst {naam!r}: productcode {product.code!r} occurs twice")
        super().__init__(naam, (Code(p.code, p.omschrijving, None, None) for p in self._producten.values()))

    def productcode(self, code: str) -> Productcode | None:
        return self._producten.get(code)

    def categorie_van(self, code: str) -> str | None:
        product = self._producten.get(code)
        return product.categorie if product else None


class Codelijsten:
    """The code lists by name; one list may be known under several names (its id, its name, its XSD type)."""

    def __init__(self, lijsten: Mapping[str, Codelijst]) -> None:
        self._lijsten = dict(lijsten)

    @classmethod
    def with_aliases(cls, lijsten: Iterable[tuple[Codelijst, Iterable[str]]]) -> Codelijsten:
        """Registers each list under its naam and its other names; a name may not point at two lists."""
        bekend: dict[str, Codelijst] = {}
        for lijst, namen in lijsten:
            for naam in (lijst.naam, *namen):
                eerder = bekend.setdefault(naam, lijst)
                if eerder is not lijst:
                    raise ValueError(f"the name {naam!r} is used by codelijst {eerder.naam!r} and by {lijst.naam!r}")
        return cls(bekend)

    def get(self, naam: str) -> Codelijst:
        try:
            return self._lijsten[naam]
        except KeyError:
            lijsten = sorted({lijst.naam for lijst in self._lijsten.values()})
            raise KeyError(f"codelijst {naam!r} is not known; the known lists are: {', '.join(lijsten)}") from None

    __getitem__ = get

    def namen(self) -> tuple[str, ...]:
        return tuple(sorted(self._lijsten))

    def __contains__(self, naam: object) -> bool:
        return naam in self._lijsten

    def __iter__(self) -> Iterator[str]:
        return iter(self.namen())

    def __len__(self) -> int:
        return len(self._lijsten)
