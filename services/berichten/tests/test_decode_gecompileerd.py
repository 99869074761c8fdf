"""The compiled decoding pass (berichten.codec._decode) reads exactly what lxml would, and refuses what
does not fit its class. The whole of its output on 1,598 variants of the official examples is held
by test_controle_ongewijzigd.py (the index it fills included); these are the corners those examples do not reach."""

from __future__ import annotations

import random
from datetime import date

import pytest
from lxml import etree

from berichten.codec import xml
from berichten.codec._decode import maten
from berichten.codec.mapping import _klasse
from berichten.domain.model import GeslotenPeriode, Omvang, Product


def _element(source: str) -> etree._Element:
    return xml.parse(source.encode()).getroot()


@pytest.mark.parametrize(
    "inhoud",
    ["03", "", "<![CDATA[a<b]]>", "a&amp;b&#233;", "x<![CDATA[ & ]]>y", "  spaties  "],
    ids=["tekst", "leeg", "cdata", "verwijzingen", "tekst-en-cdata", "witruimte"],
)
def test_a_text_value_is_what_lxml_reads(inhoud):
    element = _element(f"<Product><Categorie>{inhoud}</Categorie></Product>")
    product = _klasse(Product).decode(element)
    assert product.categorie == (element[0].text or "")
    assert product.code is None


def test_numbers_and_dates_are_typed_and_a_bad_date_is_refused_as_date_fromisoformat_refuses_it():
    omvang = _klasse(Omvang).decode(_element("<Omvang><Volume>+12</Volume><Eenheid>04</Eenheid><Frequentie>2</Frequentie></Omvang>"))
    assert omvang == Omvang(volume=12, eenheid="04", frequentie="2")
    periode = _klasse(GeslotenPeriode).decode(_element("<P><Begindatum>2021-01-31</Begindatum><Einddatum>2024-02-29</Einddatum></P>"))
    assert periode == GeslotenPeriode(begindatum=date(2021, 1, 31), einddatum=date(2024, 2, 29))
    for fout in ("2023-02-29", "2021-13-01", "2021-1-011", "2021-01-01Z"):
        with pytest.raises(ValueError) as compiled:
            _klasse(GeslotenPeriode).decode(_element(f"<P><Begindatum>{fout}</Begindatum><Einddatum>2024-02-29</Einddatum></P>"))
        with pytest.raises(ValueError) as python:
            date.fromisoformat(fout)
        assert str(compiled.value) == str(python.value)


@pytest.mark.parametrize(
    "kinderen",
    [
        "<Einddatum>2021-01-01</Einddatum>",  # Begindatum missing
        "<Begindatum>2021-01-01</Begindatum>",  # Einddatum missing
        "<Einddatum>2021-01-01</Einddatum><Begindatum>2021-01-01</Begindatum>",  # out of order
        "<Begindatum>2021-01-01</Begindatum><Einddatum>2021-01-01</Einddatum><Einddatum>2021-01-01</Einddatum>",  # one too many
    ],
)
def test_a_class_whose_elements_do_not_fit_is_refused_by_name(kinderen):
    with pytest.raises(TypeError, match="^GeslotenPeriode: elements missing or out of place"):
        _klasse(GeslotenPeriode).decode(_element(f"<P>{kinderen}</P>"))


def test_depth_and_element_count_agree_with_xpath():
    rng = random.Random(7)
    for _ in range(200):
        root = etree.Element("r")
        nodes = [root]
        for _ in range(rng.randrange(0, 60)):
            parent = rng.choice(nodes)
            child = etree.SubElement(parent, "e") if rng.random() < 0.9 else etree.Comment("c")
            if isinstance(child.tag, str):
                nodes.append(child)
            if rng.random() < 0.3:
                child.tail = "t"
        depth = max(len(list(n.iterancestors())) + 1 for n in nodes)
        assert maten(root) == (depth, int(root.xpath("count(//*)")))


def test_short_texts_and_dates_shared_between_elements_are_still_each_elements_own_value():
    """Short texts (at most 8 bytes) and dates come from a table shared by every decode: whatever is in it
    already, and however texts collide in it, each element reads as its own text and date."""
    rng = random.Random(11)
    tekens = "0123456789ABCDEFabcdef éëü-"
    teksten = ["".join(rng.choice(tekens) for _ in range(rng.randrange(0, 9))) for _ in range(20_000)]
    for tekst in teksten:
        element = _element(f"<Product><Categorie>{tekst}</Categorie></Product>")
        assert _klasse(Product).decode(element).categorie == tekst
    dagen = [date(1899, 12, 31), date(1900, 1, 1), date(2199, 12, 31), date(2200, 1, 1), date(2024, 2, 29)]
    dagen += [date(rng.randrange(1800, 2300), rng.randrange(1, 13), rng.randrange(1, 29)) for _ in range(2_000)]
    for begin, eind in zip(dagen, reversed(dagen)):
        periode = _klasse(GeslotenPeriode).decode(
            _element(f"<P><Begindatum>{begin.isoformat()}</Begindatum><Einddatum>{eind.isoformat()}</Einddatum></P>")
        )
        assert (periode.begindatum, periode.einddatum) == (begin, eind)
