"""Helpers for rule tests: an official example as a model, changed in one place, and the rule's findings."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from berichten.codec.codec import Codec
from berichten.domain.regels.regel import Context, Fout, Regel

from .conftest import example

_CODEC = Codec()


def bericht(name: str) -> Any:
    """The official example `name` (e.g. "JW305") as a model object."""
    decoded = _CODEC.decode(example(name))
    assert decoded.bericht is not None, decoded.xsd_fouten
    return decoded.bericht


def context(name: str, vandaag: date = date(2026, 11, 23)) -> Context:
    decoded = _CODEC.decode(example(name))
    return Context(standaard=str(decoded.bericht_type.standaard), soort=decoded.bericht_type.soort.soort, vandaag=vandaag)


def vervang(obj: Any, **changes: Any) -> Any:
    return dataclasses.replace(obj, **changes)


def fouten(regel: Regel, name: str, bericht_obj: Any = None) -> list[Fout]:
    return regel(bericht_obj if bericht_obj is not None else bericht(name), context(name))
