"""What a rule is, what it finds, and how it finds its way around a message.

A `Regel` pairs an official rule id with a check: a function from a message and the `Context`
it is judged in to the `Bevinding`s (findings) where the message breaks the rule. A check says
*where* (the location of the element, and the class whose RetourCodes get the code) and *why*
in words; the rule's retourcode comes from the official export.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from berichten.domain.model import Bericht, element_name


@dataclass(frozen=True)
class Context:
    """What a message is judged against besides itself.

    The fields after `vandaag` are facts from outside the message, gathered by the hub before the
    checks of controleniveau 3 and 4 run (the rules themselves stay pure).
    """

    standaard: str  # "iwmo" or "ijw"
    soort: str  # "301" … "325"
    vandaag: date
    gemeente_bekend: Callable[[str, date], bool] | None = None  # CBS gemeentecode valid on a date (TR378)
    identificatie_eerder_ontvangen: bool = False  # this sender already used this Identificatie for this soort (TR056)


@dataclass(frozen=True)
class Fout:
    """One place where a message breaks a rule: the element, its class, and why."""

    locatie: str  # e.g. /Bericht/Client/StartProducten/StartProduct[2]/Begindatum
    klasse: str  # the class whose RetourCodes carry the code, e.g. /Bericht/Client/StartProducten/StartProduct[2]
    melding: str


Check = Callable[[Bericht, Context], Iterable[Fout]]


@dataclass(frozen=True)
class Regel:
    code: str  # the official id: TR134, CD041, CS002 …
    check: Check = field(compare=False)

    def __call__(self, bericht: Bericht, context: Context) -> list[Fout]:
        return list(self.check(bericht, context))


@dataclass(frozen=True)
class Knoop:
    """A class (dataclass instance) in a message with its location."""

    pad: str
    obj: Any
    ouder: Knoop | None = None

    def element(self, attribute: str) -> str:
        """The location of one of this class's elements."""
        return f"{self.pad}/{element_name(attribute)}"

    @property
    def klasse(self) -> str:
        """The nearest enclosing class that carries RetourCodes (itself, if it does)."""
        node: Knoop | None = self
        while node is not None and not hasattr(node.obj, "retour_codes"):
            node = node.ouder
        return node.pad if node is not None else "/Bericht"

    def fout(self, attribute: str | None, melding: str) -> Fout:
        return Fout(self.element(attribute) if attribute else self.pad, self.klasse, melding)


def walk(bericht: Bericht) -> Iterator[Knoop]:
    """Every class in the message, in document order, starting with /Bericht itself."""
    def visit(node: Knoop) -> Iterator[Knoop]:
        yield node
        for f in dataclasses.fields(node.obj):
            value = getattr(node.obj, f.name)
            name = element_name(f.name)
            if dataclasses.is_dataclass(value):
                yield from visit(Knoop(f"{node.pad}/{name}", value, node))
            elif isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
                tag = type(value[0]).TAG
                for index, item in enumerate(value, start=1):
                    suffix = f"[{index}]" if len(value) > 1 else ""
                    yield from visit(Knoop(f"{node.pad}/{name}/{tag}{suffix}", item, node))

    yield from visit(Knoop("/Bericht", bericht))


def of_type(bericht: Bericht, *types: type) -> Iterator[Knoop]:
    """The classes of the given model types, in document order."""
    return (node for node in walk(bericht) if isinstance(node.obj, types))
