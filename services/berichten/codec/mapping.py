"""XML elements <-> the typed model (berichten.domain.model), driven by the dataclasses.

A field `toewijzing_nummer` is the element `ToewijzingNummer`; a `list[X]` field of dataclasses is
a wrapper element holding X.TAG items (`StartProducten/StartProduct`); a `list[str]` field with
`item` metadata is a wrapper of plain values (`RetourCodes/RetourCode`). A class's elements are in
the message namespace when its NS is "bericht" and in the basisschema namespace when "basis".
The plan for each class is worked out once; decoding assumes the document passed its XSD.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from lxml import etree

from berichten.codec import _decode
from berichten.domain.model import BASIS, element_name
from berichten.domain.regels.regel import Index


@dataclass(frozen=True)
class _Field:
    attribute: str
    local: str
    kind: str  # "value", "object", "objects", "values"
    target: Any  # the value type, the dataclass, or the item dataclass
    item_local: str | None = None

    @property
    def parse(self) -> Callable[[str], Any]:
        return _PARSE[self.target]


def _unwrap_optional(hint: Any) -> Any:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0]
    return hint


@functools.cache
def _plan(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        hint = _unwrap_optional(hints[f.name])
        local = element_name(f.name)
        if typing.get_origin(hint) is list:
            (inner,) = typing.get_args(hint)
            if dataclasses.is_dataclass(inner):
                plan.append(_Field(f.name, local, "objects", inner, inner.TAG))
            else:
                plan.append(_Field(f.name, local, "values", inner, f.metadata["item"]))
        elif dataclasses.is_dataclass(hint):
            plan.append(_Field(f.name, local, "object", hint))
        else:
            plan.append(_Field(f.name, local, "value", hint))
    return tuple(plan)


_PARSE: dict[Any, Callable[[str], Any]] = {str: str, int: int, date: date.fromisoformat, time: time.fromisoformat}
_FORMAT: dict[Any, Callable[[Any], str]] = {str: str, int: str, date: date.isoformat, time: lambda t: t.isoformat()}


@functools.cache
def _klasse(cls: type) -> _decode.Klasse:
    """The compiled decoder's plan for `cls` (berichten.codec._decode), worked out once from `_plan`.

    The decoding pass walks libxml2's nodes in C: in Python, touching each element through lxml
    already cost about as much as parsing the message (docs/berichten.md, Speed)."""
    klasse = _decode.Klasse(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    velden = []
    for spec in _plan(cls):
        f = fields[spec.attribute]
        factory = None if f.default_factory is dataclasses.MISSING else f.default_factory
        default = None if f.default is dataclasses.MISSING else f.default
        verplicht = factory is None and f.default is dataclasses.MISSING
        nested = _klasse(spec.target) if spec.kind in ("object", "objects") else None  # the model has no cycles
        parse = _PARSE[spec.target] if spec.kind in ("value", "values") else None
        velden.append(_decode.Veld(cls, spec.attribute, spec.local, spec.kind, parse, nested, spec.item_local, verplicht, default, factory))
    klasse.zet_velden(velden)
    return klasse


class Mapper:
    """Decodes and encodes the messages of one namespace pair (message namespace, basisschema)."""

    def __init__(self, namespace: str, basis_namespace: str):
        self.namespace = namespace
        self.basis_namespace = basis_namespace

    def _ns(self, cls: type) -> str:
        return self.basis_namespace if cls.NS == BASIS else self.namespace  # type: ignore[attr-defined]

    def decode(self, element: etree._Element, cls: type, index: Index | None = None) -> Any:
        """The typed object for `element` (which satisfied its XSD) as an instance of `cls`.

        With an (empty) `index`, every class is registered in it in document order as it is made, so
        the rules need no separate walk of the message (`Index.leeg`)."""
        obj = _klasse(cls).decode(element, index)
        if index is not None:
            index.bericht = obj
        return obj

    def encode(self, obj: Any, nsmap: dict[str, str]) -> etree._Element:
        """The root element Bericht for a message object."""
        root = etree.Element(f"{{{self.namespace}}}Bericht", nsmap=nsmap)
        self._encode_fields(obj, type(obj), root)
        return root

    def _encode_fields(self, obj: Any, cls: type, element: etree._Element) -> None:
        ns = self._ns(cls)
        for spec in _plan(cls):
            value = getattr(obj, spec.attribute)
            if value is None or (spec.kind in ("objects", "values") and not value):
                continue
            tag = f"{{{ns}}}{spec.local}"
            if spec.kind == "value":
                etree.SubElement(element, tag).text = _FORMAT[spec.target](value)
            elif spec.kind == "object":
                self._encode_fields(value, spec.target, etree.SubElement(element, tag))
            elif spec.kind == "objects":
                wrapper = etree.SubElement(element, tag)
                for item in value:
                    self._encode_fields(item, spec.target, etree.SubElement(wrapper, f"{{{ns}}}{spec.item_local}"))
            else:
                wrapper = etree.SubElement(element, tag)
                for item in value:
                    etree.SubElement(wrapper, f"{{{ns}}}{spec.item_local}").text = _FORMAT[spec.target](item)
