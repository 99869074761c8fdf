"""What a rule is, what it finds, and how it finds its way around a message.

A `Regel` pairs an official rule id with a check: a function from a message and the `Context`
it is judged in to the `Bevinding`s (findings) where the message breaks the rule. A check says
*where* (the location of the element, and the class whose RetourCodes get the code) and *why*
in words; the rule's retourcode comes from the official export.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import itertools
import operator
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
    """An official rule: its id, its check, and the berichtsoorten (context.soort) it applies to.

    `soorten` is declared once, here, and not as a guard in the check: `Regelset` works out once per
    berichtsoort which rules run, so a rule that cannot apply to a message costs nothing. None means
    every berichtsoort (the hub's own rules, and rules whose context has no soort).
    """

    code: str  # the official id: TR134, CD041, CS002 …
    check: Check = field(compare=False)
    soorten: tuple[str, ...] | None = field(default=None, compare=False, kw_only=True)

    def geldt_voor(self, soort: str | None) -> bool:
        """Whether this rule applies to messages of this berichtsoort (None: of no particular one)."""
        return self.soorten is None or soort in self.soorten

    def __call__(self, bericht: Bericht, context: Context) -> list[Fout]:
        if self.soorten is not None and not self.geldt_voor(context.soort):  # (a context without a soort is fine otherwise)
            return []
        return list(self.check(bericht, context))


class Knoop:
    """A class (dataclass instance) in a message with its location; the location string is made
    only when asked for (most classes of a large message never need one). `volgnummer` is its
    place in document order."""

    __slots__ = ("obj", "ouder", "_segment", "_positie", "_pad", "volgnummer")

    def __init__(self, segment: str, obj: Any, ouder: Knoop | None = None, positie: int = 0, volgnummer: int = 0):
        self.obj = obj
        self.ouder = ouder
        self._segment = segment
        self._positie = positie  # the item's place in its list, when the list holds more than one
        self._pad: str | None = None
        self.volgnummer = volgnummer

    @property
    def pad(self) -> str:
        if self._pad is None:
            segment = f"{self._segment}[{self._positie}]" if self._positie else self._segment
            self._pad = segment if self.ouder is None else f"{self.ouder.pad}/{segment}"
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


@functools.cache
def _children_achterstevoren(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """`_children` last first: pushed on a stack in this order, they come off in document order."""
    return _children(cls)[::-1]


class Index:
    """Every class of one message in document order, and by type: built once, shared by all rules."""

    def __init__(self, bericht: Bericht):
        self.bericht = bericht
        self.knopen: list[Knoop] = []
        self.per_type: dict[type, list[Knoop]] = {}
        self._visit(Knoop("/Bericht", bericht))

    def _visit(self, root: Knoop) -> None:
        """Visits the classes depth-first in document order (a stack, not recursion: one Python call
        per class is a good part of the cost on a large message)."""
        knopen = self.knopen
        per_type = self.per_type
        stack = [root]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            node.volgnummer = len(knopen)
            knopen.append(node)
            obj = node.obj
            kind = type(obj)
            nodes = per_type.get(kind)
            if nodes is None:
                nodes = per_type[kind] = []
            nodes.append(node)
            for attribute, name, is_list in _children_achterstevoren(kind):
                value = getattr(obj, attribute)
                if value is None:
                    continue
                if not is_list:
                    push(Knoop(name, value, node))
                elif value:
                    segment = f"{name}/{type(value[0]).TAG}"
                    if len(value) == 1:
                        push(Knoop(segment, value[0], node))
                    else:
                        for position in range(len(value), 0, -1):
                            push(Knoop(segment, value[position - 1], node, position))

    @classmethod
    def leeg(cls) -> Index:
        """An index to be filled while the message is decoded: the codec's compiled decoding pass
        (berichten.codec._decode) adds each class as `_visit` would, a class before what it holds, and
        sets `bericht` at the end."""
        index = cls.__new__(cls)
        index.bericht = None  # type: ignore[assignment]
        index.knopen = []
        index.per_type = {}
        return index

    def of_type(self, *types: type) -> list[Knoop]:
        """The classes of the given model types, in document order."""
        if len(types) == 1:
            return self.per_type.get(types[0], [])
        per_type = self.per_type
        lists = [nodes for kind in types if (nodes := per_type.get(kind))]
        if len(lists) <= 1:
            return lists[0] if lists else []
        if len(set(types)) < len(types):  # a type asked for twice is still one list
            lists = [nodes for kind in dict.fromkeys(types) if (nodes := per_type.get(kind))]
        return sorted(itertools.chain.from_iterable(lists), key=volgnummer)


volgnummer = operator.attrgetter("volgnummer")  # a Knoop's place in document order, as a sort key


class _Gedeeld:
    """What the rules run on one message share: its index, and each list `of_type` made of it."""

    __slots__ = ("bericht", "index", "lijsten")

    def __init__(self, index: Index):
        self.bericht = index.bericht
        self.index = index
        self.lijsten: dict[tuple[type, ...], list[Knoop]] = {}  # of_type's answers for several types: the rules ask the same often


_gedeeld: contextvars.ContextVar[_Gedeeld | None] = contextvars.ContextVar("berichten_regels_index", default=None)


class geindexeerd:  # noqa: N801 - used like a function: `with geindexeerd(bericht):`
    """Within this block every rule run on `bericht` shares one walk of it (see Regelset.controleer);
    `index`, when given, is that walk made earlier (it must be of this very message)."""

    __slots__ = ("index", "_token")

    def __init__(self, bericht: Bericht, index: Index | None = None):
        self.index = index if index is not None and index.bericht is bericht else Index(bericht)

    def __enter__(self) -> Index:
        self._token = _gedeeld.set(_Gedeeld(self.index))
        return self.index

    def __exit__(self, *exc_info: object) -> None:
        _gedeeld.reset(self._token)


def _get_index(bericht: Bericht) -> Index:
    gedeeld = _gedeeld.get()
    return gedeeld.index if gedeeld is not None and gedeeld.bericht is bericht else Index(bericht)


def walk(bericht: Bericht) -> Iterator[Knoop]:
    """Every class in the message, in document order, starting with /Bericht itself."""
    return iter(_get_index(bericht).knopen)


def of_type(bericht: Bericht, *types: type) -> Iterator[Knoop]:
    """The classes of the given model types, in document order. Every rule calls this at least once, so it
    is kept to one look-up when the same types were asked for before on this message."""
    gedeeld = _gedeeld.get()
    if gedeeld is None or gedeeld.bericht is not bericht:
        return iter(Index(bericht).of_type(*types))
    if len(types) == 1:  # the index keeps these lists itself
        return iter(gedeeld.index.per_type.get(types[0], ()))
    nodes = gedeeld.lijsten.get(types)
    if nodes is None:
        nodes = gedeeld.lijsten[types] = gedeeld.index.of_type(*types)
    return iter(nodes)
