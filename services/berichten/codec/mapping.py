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


def _decoder_source(cls: type, ns: str, namespace: dict[str, Any], decoder: Callable[[type], Callable]) -> str:
    """Python source of `decode(element, index, ouder, segment, positie)` for `cls`; puts the constants
    it refers to into `namespace`. With an `index`, the class is registered in it (`Index.knoop`)
    before its children, so the index is in document order, and gets its object once that is made.

    The element satisfied its XSD and the parser dropped comments and processing instructions, so its
    children are the class's fields in sequence order, each at most once. They are taken in turn: a
    required field is the next child (at a fixed place until an optional field came before it), and
    an optional field's tag is compared only when the number of children left does not already say
    whether it is there. A child too few or too many raises TypeError (the message did not satisfy
    the XSD, or the model and the XSD disagree — which the round-trip tests would catch).
    """
    plan = _plan(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}

    def optional(spec: _Field) -> bool:
        f = fields[spec.attribute]
        return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING

    body: list[str] = []
    fixed = 0  # children taken before any optional field: the next child's place is `fixed`, or `i + fixed` after one
    dynamic = False
    for k, spec in enumerate(plan):
        namespace[f"T{k}"] = f"{{{ns}}}{spec.local}"
        namespace[f"P{k}"] = spec.parse if spec.kind in ("value", "values") else decoder(spec.target)  # the model has no cycles
        text = "{kid}.text or ''" if spec.target is str else "{kid}.text"
        if spec.kind == "value":
            read = text if spec.target is str else f"P{k}({text})"
        elif spec.kind == "object":
            namespace[f"S{k}"] = spec.local
            read = f"P{k}({{kid}}, index, knoop, S{k})"
        elif spec.kind == "objects":
            namespace[f"S{k}"] = f"{spec.local}/{spec.item_local}"
            read = f"_items(P{k}, {{kid}}, index, knoop, S{k})"
        else:
            read = f"[P{k}(item.text or '') for item in {{kid}}]" if spec.target is str else f"[P{k}(item.text) for item in {{kid}}]"
        place = f"i + {fixed}" if dynamic else str(fixed)
        kid = f"kids[{place}]"
        if not optional(spec):
            body.append(f"    v{k} = " + read.format(kid=kid))
            fixed += 1
            continue
        rest = plan[k + 1 :]
        required_after = sum(1 for r in rest if not optional(r))
        optional_after = len(rest) - required_after
        body += [
            f"    left = n - ({place})",
            f"    if left > {required_after} and (left == {required_after + 1 + optional_after} or {kid}.tag == T{k}):",
            f"        v{k} = " + read.format(kid=kid),
            "        i += 1" if dynamic else "        i = 1",
            "    else:",
            f"        v{k} = {'[]' if spec.kind in ('objects', 'values') else 'None'}",
        ]
        if not dynamic:
            body.insert(len(body) - 6, "    i = 0")
        dynamic = True
    taken = f"i + {fixed}" if dynamic else str(fixed)
    arguments = ", ".join(f"{spec.attribute}=v{k}" for k, spec in enumerate(plan))
    missing = f"TypeError('{cls.__name__}: elements missing or out of place (the message did not satisfy its XSD)')"
    lines = [
        "def decode(element, index=None, ouder=None, segment='/Bericht', positie=0):",
        "    knoop = None if index is None else index.knoop(_cls, segment, ouder, positie)",
        "    kids = list(element)",
        "    n = len(kids)",
        "    try:",
        *("    " + line for line in body),
        "    except IndexError:",
        f"        raise {missing} from None",
        f"    if {taken} != n:",
        f"        raise {missing}",
        f"    obj = _cls({arguments})",
        "    if knoop is not None:",
        "        knoop.obj = obj",
        "    return obj",
    ]
    return "\n".join(lines) + "\n"


def _items(decode: Callable[..., Any], wrapper: etree._Element, index: Any, ouder: Any, segment: str) -> list[Any]:
    """The items of a list of classes; with an index, each numbered when the list holds more than one."""
    if index is None:
        return [decode(item) for item in wrapper]
    if len(wrapper) == 1:
        return [decode(wrapper[0], index, ouder, segment)]
    return [decode(item, index, ouder, segment, positie) for positie, item in enumerate(wrapper, start=1)]


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
        the rules need no separate walk of the message (`Index.leeg`, `Index.knoop`)."""
        obj = self._decoder(cls)(element, index)
        if index is not None:
            index.bericht = obj
        return obj

    @functools.cache  # noqa: B019 - one Mapper per message type, kept for the process
    def _decoder(self, cls: type) -> Callable[..., Any]:
        """A decoding function for `cls`, generated once from its plan (see `_decoder_source`).

        One pass over the children, each read at its place in the XSD sequence, the values parsed in
        place and the object made with one constructor call: the generic loop this replaces spent
        most of its time on dictionary look-ups, tag strings and dispatch, per element.
        """
        namespace: dict[str, Any] = {"_cls": cls, "_items": _items}
        source = _decoder_source(cls, self._ns(cls), namespace, self._decoder)
        exec(compile(source, f"<decoder {cls.__name__}>", "exec"), namespace)  # noqa: S102 - source generated from our own dataclasses
        return namespace["decode"]

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
