"""The BSNs kept with a message are those of its Clients: for every official example, the BSNs the
typed message gives equal the Bsn elements of its XML (in order, each once) — also for the example
that breaks its XSD (read from its Bsn elements), and none for a message without Clients."""

from __future__ import annotations

import re

import pytest

from berichten.domain.clienten import bsns
from berichten.handlers import _client_bsns

from .conftest import EXAMPLES


def in_xml(data: bytes) -> list[str]:
    return list(dict.fromkeys(b.decode() for b in re.findall(rb"<(?:\w+:)?Bsn>\s*(\d+)\s*</", data)))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_bsns_of_a_message_are_those_of_its_clients(codec, path):
    data = path.read_bytes()
    decoded = codec.decode(data)
    assert _client_bsns(decoded) == in_xml(data)
    if decoded.bericht is not None:
        assert bsns(decoded.bericht) == in_xml(data)


def test_a_declaratie_names_each_client_once_and_a_319_none(codec):
    (jw323,) = [p for p in EXAMPLES if p.stem == "JW323"]
    (jw319,) = [p for p in EXAMPLES if p.stem == "JW319"]
    assert len(bsns(codec.decode(jw323.read_bytes()).bericht)) == 2
    assert bsns(codec.decode(jw319.read_bytes()).bericht) == []
