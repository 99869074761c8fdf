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

from berichten.domain.model import BASIS, element_name


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


class Mapper:
    """Decodes and encodes the messages of one namespace pair (message namespace, basisschema)."""

    def __init__(self, namespace: str, basis_namespace: str):
        self.namespace = namespace
        self.basis_namespace = basis_namespace

    def _ns(self, cls: type) -> str:
        return self.basis_namespace if cls.NS == BASIS else self.namespace  # type: ignore[attr-defined]

    @functools.cache  # noqa: B019 - one Mapper per message type, kept for the process
    def _decode_plan(self, cls: type) -> dict[str, _Field]:
        ns = self._ns(cls)
        return {f"{{{ns}}}{f.local}": f for f in _plan(cls)}

    def decode(self, element: etree._Element, cls: type) -> Any:
        plan = self._decode_plan(cls)
        values: dict[str, Any] = {}
        decode = self.decode
        for child in element:
            spec = plan.get(child.tag)
            if spec is None:
                continue  # comments and processing instructions; the XSD admits nothing else
            kind = spec.kind
            if kind == "value":
                values[spec.attribute] = spec.parse(child.text or "")
            elif kind == "object":
                values[spec.attribute] = decode(child, spec.target)
            elif kind == "objects":
                target = spec.target
                values[spec.attribute] = [decode(item, target) for item in child]
            else:
                parse = spec.parse
                values[spec.attribute] = [parse(item.text or "") for item in child]
        return cls(**values)

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
