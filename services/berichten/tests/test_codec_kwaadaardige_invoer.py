"""Bad input gets a specific refusal and nothing else: no entity is expanded, no file or network is
read, and a refusal leaves the codec as it was."""

from __future__ import annotations

import pytest
from lxml import etree

from berichten.codec.codec import met_nieuwe_identificatie
from berichten.codec.schemas import OnbekendBericht, OnbekendReden
from berichten.codec.xml import MAX_BYTES, MAX_DEPTH, MAX_ELEMENTS, XmlError, XmlFout, _doctype_in_proloog

from .conftest import example

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lolz>&lol3;</lolz>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<jw305:Bericht xmlns:jw305="http://www.istandaarden.nl/ijw/3_2/jw305/schema">&xxe;</jw305:Bericht>"""

XXE_LATE_DOCTYPE = b"<?xml version='1.0'?>" + b"<!-- " + b"x" * 5000 + b" -->" + b'<!DOCTYPE a [<!ENTITY e SYSTEM "http://example.org/">]><a>&e;</a>'


def refusal(codec, data: bytes):  # type: ignore[no-untyped-def]
    with pytest.raises((XmlError, OnbekendBericht)) as caught:
        codec.decode(data)
    return caught.value


@pytest.mark.parametrize(
    "data, reden",
    [
        (BILLION_LAUGHS, XmlFout.DTD_NIET_TOEGESTAAN),
        (XXE, XmlFout.DTD_NIET_TOEGESTAAN),
        (XXE_LATE_DOCTYPE, XmlFout.DTD_NIET_TOEGESTAAN),
        (example("JW305")[:-200], XmlFout.ONVOLLEDIG),
        (b"%PDF-1.7 not xml at all", XmlFout.GEEN_XML),
        (b'{"json": true}', XmlFout.GEEN_XML),
        (b"<a><b></a>", XmlFout.GEEN_XML),
        (b"", XmlFout.LEEG),
        (b"<a>" * (MAX_DEPTH + 2) + b"</a>" * (MAX_DEPTH + 2), XmlFout.TE_DIEP),
    ],
    ids=["billion-laughs", "xxe", "xxe-after-long-comment", "truncated", "pdf", "json", "malformed", "empty", "too-deep"],
)
def test_unsafe_or_broken_xml_is_refused_with_its_reason(codec, data, reden):
    error = refusal(codec, data)
    assert isinstance(error, XmlError) and error.reden is reden, error


@pytest.mark.parametrize(
    "data, doctype",
    [
        (XXE, True),
        (XXE_LATE_DOCTYPE, True),
        (b"\xef\xbb\xbf<?xml version='1.0'?><?pi <!DOCTYPE?><!--" + b"<" * 100_000 + b"--><!DOCTYPE a><a/>", True),
        (b"<?xml version='1.0'?>\n<!-- <!DOCTYPE a> --><a><![CDATA[<!DOCTYPE a [<!ENTITY e 'x'>]>]]></a>", False),
        (example("JW305"), False),
        (b"<!-- never closed <!DOCTYPE a>", False),
    ],
    ids=["xxe", "after-long-comment", "after-pi-and-100kb-comment", "only-in-comment-and-cdata", "official-example", "no-root"],
)
def test_a_doctype_is_found_in_the_prolog_before_parsing(data, doctype):
    assert _doctype_in_proloog(data) is doctype


def test_too_large_message_is_refused_before_parsing(codec):
    error = refusal(codec, b"<a>" + b" " * MAX_BYTES + b"</a>")
    assert error.reden is XmlFout.TE_GROOT and "25 MB" in str(error)


def test_malformed_xml_names_the_line(codec):
    error = refusal(codec, b"<a>\n<b>\n</c>\n</a>")
    assert error.reden is XmlFout.GEEN_XML and error.regel == 3


@pytest.mark.parametrize(
    "data, reden, words",
    [
        (example("JW305").replace(b"ijw/3_2/jw305", b"ijw/3_2/jw999"), OnbekendReden.ONBEKENDE_BERICHTSOORT, "JW999"),
        (example("JW305").replace(b"ijw/3_2/jw305", b"ijw/2_3/jw305"), OnbekendReden.RELEASE_NIET_ONDERSTEUND, "release 2.3"),
        (example("JW305").replace(b"http://www.istandaarden.nl/ijw/3_2/jw305/schema", b"urn:other"), OnbekendReden.ONBEKENDE_NAMESPACE, "urn:other"),
        (example("JW305").replace(b"ijw/3_2/jw305", b"iwmo/3_2/jw305"), OnbekendReden.ONBEKENDE_NAMESPACE, "mengt"),
        (b"<Bericht/>", OnbekendReden.ONBEKENDE_NAMESPACE, "geen iWmo"),
        (b'<Factuur xmlns="urn:x"/>', OnbekendReden.GEEN_BERICHT, "Factuur"),
    ],
    ids=["unknown-soort", "old-release", "foreign-namespace", "mixed-standards", "no-namespace", "not-a-bericht"],
)
def test_xml_that_is_not_a_supported_message_is_refused_with_its_reason(codec, data, reden, words):
    error = refusal(codec, data)
    assert isinstance(error, OnbekendBericht) and error.reden is reden and words in str(error)


def test_a_refusal_leaves_the_codec_working(codec):
    refusal(codec, BILLION_LAUGHS)
    refusal(codec, XXE)
    assert codec.decode(example("JW305")).xsd_valid


def test_a_too_deep_message_of_a_known_berichtsoort_is_refused_as_too_deep(codec):
    """The depth is checked only for what does not satisfy its XSD; such a message does not."""
    deep = b"<x>" * (MAX_DEPTH + 2) + b"</x>" * (MAX_DEPTH + 2)
    error = refusal(codec, example("JW305").replace(b"</jw305:Header>", b"</jw305:Header>" + deep))
    assert isinstance(error, XmlError) and error.reden is XmlFout.TE_DIEP


def test_more_elements_than_the_limit_are_refused(codec):
    error = refusal(codec, b"<a>" + b"<b/>" * (MAX_ELEMENTS + 1) + b"</a>")
    assert isinstance(error, XmlError) and error.reden is XmlFout.TE_VEEL_ELEMENTEN


def test_a_new_identificatie_keeps_the_layout_and_is_refused_for_unsafe_xml():
    origineel = example("JW305").replace(b"<jw305:Header>", b"<!-- kop -->\n  <jw305:Header>", 1)
    nieuw = met_nieuwe_identificatie(origineel, "NIEUW0000001")
    assert b"<ijw:Identificatie>NIEUW0000001</ijw:Identificatie>" in nieuw and b"<!-- kop -->\n  <jw305:Header>" in nieuw
    oud = next(e.text for e in etree.fromstring(origineel).iter("{*}Identificatie") if etree.QName(e.getparent()).localname == "BerichtIdentificatie")
    def c14n(data: bytes) -> bytes:  # whitespace and comments included
        return etree.tostring(etree.fromstring(data), method="c14n")

    assert c14n(nieuw.replace(b"NIEUW0000001", oud.encode())) == c14n(origineel)
    for onveilig in (XXE, BILLION_LAUGHS, example("JW305")[:-200]):
        assert met_nieuwe_identificatie(onveilig, "NIEUW0000001") == onveilig
