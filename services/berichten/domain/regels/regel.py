"""What a rule is, what it finds, and how it finds its way around a message.

A `Regel` pairs an official rule id with a check: a function from a message and the `Context`
it is judged in to the `Bevinding`s (findings) where the message breaks the rule. A check says
*where* (the location of the element, and the class whose RetourCodes get the code) and *why*
in words; the rule's retourcode comes from the official export.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import types
import typing
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


class Knoop:
    """A class (dataclass instance) in a message with its location; the location string is made
    only when asked for (most classes of a large message never need one)."""

    __slots__ = ("obj", "ouder", "_segment", "_pad")

    def __init__(self, segment: str, obj: Any, ouder: Knoop | None = None):
        self.obj = obj
        self.ouder = ouder
        self._segment = segment
        self._pad: str | None = None

    @property
    def pad(self) -> str:
        if self._pad is None:
            self._pad = self._segment if self.ouder is None else f"{self.ouder.pad}/{self._segment}"
        return self._pad

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

    def __repr__(self) -> str:
        return f"Knoop({self.pad!r})"


@functools.cache
def _children(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """The fields of a model class that hold classes: (attribute, element name, is a list)."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        inner = hints[f.name]
        if isinstance(inner, types.UnionType) or typing.get_origin(inner) is typing.Union:  # X | None
            inner = next(a for a in typing.get_args(inner) if a is not type(None))
        if typing.get_origin(inner) is list:
            (item,) = typing.get_args(inner)
            if dataclasses.is_dataclass(item):
                plan.append((f.name, element_name(f.name), True))
        elif dataclasses.is_dataclass(inner):
            plan.append((f.name, element_name(f.name), False))
    return tuple(plan)


class Index:
    """Every class of one message in document order, and by type: built once, shared by all rules."""

    def __init__(self, bericht: Bericht):
        self.bericht = bericht
        self.knopen: list[Knoop] = []
        self.per_type: dict[type, list[Knoop]] = {}
        self._visit(Knoop("/Bericht", bericht))

    def _visit(self, node: Knoop) -> None:
        self.knopen.append(node)
        obj = node.obj
        kind = type(obj)
        nodes = self.per_type.get(kind)
        if nodes is None:
            nodes = self.per_type[kind] = []
        nodes.append(node)
        for attribute, name, is_list in _children(kind):
            value = getattr(obj, attribute)
            if value is None:
                continue
            if not is_list:
                self._visit(Knoop(name, value, node))
            elif value:
                tag = type(value[0]).TAG
                if len(value) == 1:
                    self._visit(Knoop(f"{name}/{tag}", value[0], node))
                else:
                    for position, item in enumerate(value, start=1):
                        self._visit(Knoop(f"{name}/{tag}[{position}]", item, node))


_index: contextvars.ContextVar[Index | None] = contextvars.ContextVar("berichten_regels_index", default=None)


@contextlib.contextmanager
def geindexeerd(bericht: Bericht) -> Iterator[Index]:
    """Within this block every rule run on `bericht` shares one walk of it (see Regelset.controleer)."""
    index = Index(bericht)
    token = _index.set(index)
    try:
        yield index
    finally:
        _index.reset(token)


def _get_index(bericht: Bericht) -> Index:
    index = _index.get()
    return index if index is not None and index.bericht is bericht else Index(bericht)


def walk(bericht: Bericht) -> Iterator[Knoop]:
    """Every class in the message, in document order, starting with /Bericht itself."""
    return iter(_get_index(bericht).knopen)


def of_type(bericht: Bericht, *types: type) -> Iterator[Knoop]:
    """The classes of the given model types, in document order."""
    index = _get_index(bericht)
    if len(types) == 1:
        return iter(index.per_type.get(types[0], ()))
    wanted = set(types)
    return (node for node in index.knopen if type(node.obj) in wanted)
