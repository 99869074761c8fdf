"""Shared fixtures for the berichten tests: one codec (schemas compile once) and the official examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from berichten.codec.codec import Codec
from berichten.codec.schemas import STANDAARD_DIR

EXAMPLES = sorted(STANDAARD_DIR.glob("*/3.2/examples/*.xml"))


@pytest.fixture(scope="session")
def codec() -> Codec:
    return Codec()


def example(name: str) -> bytes:
    """The bytes of an official example message, e.g. example("JW305")."""
    for path in EXAMPLES:
        if path.stem == name:
            return path.read_bytes()
    raise KeyError(name)


@pytest.fixture(scope="session")
def voorbeeld() -> type:
    class Voorbeelden:
        paths: list[Path] = EXAMPLES
        bytes = staticmethod(example)

    return Voorbeelden
