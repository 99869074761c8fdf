"""Reading imported indicaties: juistheid per field, the file formats, and the record's sleutel."""

from datetime import date

import pytest

from indicatie.adapters.indicatie_bestand import Formaat, lees_bestand
from indicatie.domain.beschikking import Gebrek, Uitvoeringsvariant
from indicatie.domain.indicatie_import import IndicatieRecord, lees
from runtime.errors import DomainError

VANDAAG = date(2026, 12, 3)
GOED = dict(
    bsn="999900006",
    gemeentecode="0356",
    beschikkingnummer="12",
    wet="jeugdwet",
    beschikkingsdatum="2026-01-20",
    productcategorie="45",
    productcode="45A48",
    ingangsdatum="2026-02-01",
    einddatum="2026-12-31",
    uitvoeringsvariant="inspanningsgericht",
    volume="120",
    eenheid="01",
    frequentie="2",
    aanbieder="98100003",
)


def record(**changes) -> IndicatieRecord:  # type: ignore[no-untyped-def]
    return IndicatieRecord.van(1, {**GOED, **changes})


def test_a_correct_record_is_a_beschikking_of_one_product():
    beschikking, gebreken = lees(record(), "0356", VANDAAG)
    assert gebreken == [] and beschikking is not None
    (product,) = beschikking.producten
    assert (beschikking.beschikkingnummer, product.code, product.uitvoeringsvariant, product.agb) == ("12", "45A48", Uitvoeringsvariant.INSPANNINGSGERICHT, "98100003")


@pytest.mark.parametrize(
    "changes, gebrek",
    [
        ({"bsn": "999900007"}, Gebrek("bsn", "BSN '999900007' is not 9 digits passing the 11-proef")),
        ({"gemeentecode": "0321"}, Gebrek("gemeentecode", "gemeente 0356 imports its own indicaties, not those of gemeente 0321")),
        ({"wet": "awbz"}, Gebrek("wet", "wet 'awbz' is not one of wmo, jeugdwet")),
        ({"uitvoeringsvariant": "pgb"}, Gebrek("uitvoeringsvariant", "uitvoeringsvariant (zorgvorm) 'pgb' is not one of inspanningsgericht, outputgericht, taakgericht")),
        ({"ingangsdatum": "01-02-2026"}, Gebrek("ingangsdatum", "ingangsdatum '01-02-2026' is not a date (JJJJ-MM-DD)")),
        ({"beschikkingsdatum": "2027-01-01"}, Gebrek("beschikkingsdatum", "beschikkingsdatum 2027-01-01 lies in the future")),
        ({"volume": "drie"}, Gebrek("volume", "volume 'drie' is not a whole number")),
        ({"frequentie": ""}, Gebrek("frequentie", "an omvang needs volume, eenheid and frequentie; frequentie is empty")),
        ({"aanbieder": "981"}, Gebrek("aanbieder", "AGB code '981' of the aanbieder is not 8 digits")),
        ({"beschikkingnummer": ""}, Gebrek("beschikkingnummer", "beschikkingnummer is required")),
        ({"einddatum": "2026-01-01"}, Gebrek("einddatum", "einddatum 2026-01-01 lies before ingangsdatum 2026-02-01")),
        ({"volume": "", "eenheid": "", "frequentie": ""}, Gebrek("productcode", "product 45/45A48: a product with a productcode needs an omvang (CD041)")),
    ],
)
def test_each_wrong_field_is_named_with_its_reason(changes, gebrek):
    beschikking, gebreken = lees(record(**changes), "0356", VANDAAG)
    assert beschikking is None and gebreken == [gebrek]


def test_every_wrong_field_is_named_at_once():
    _, gebreken = lees(record(bsn="1", wet="x", volume="-3"), "0356", VANDAAG)
    assert [g.veld for g in gebreken] == ["bsn", "wet", "volume"]


def test_a_record_is_known_by_its_beschikkingnummer_or_else_by_the_hash_of_its_fields():
    assert record().sleutel() == "12"
    zonder = record(beschikkingnummer="x")
    assert zonder.sleutel().startswith("#") and zonder.sleutel() == record(beschikkingnummer="x").sleutel()
    assert zonder.sleutel() != record(beschikkingnummer="x", bsn="999900018").sleutel()


def test_csv_with_semicolons_a_bom_and_fields_in_any_order():
    inhoud = "\ufeffwet;bsn;gemeentecode;beschikkingnummer\njeugdwet;999900006;0356;12\n\n;;;\nwmo;1;0356;13\n".encode()
    eerste, tweede = lees_bestand(inhoud, Formaat.CSV)
    assert (eerste.regel, eerste["wet"], eerste["bsn"], eerste["productcode"]) == (2, "jeugdwet", "999900006", "")
    assert (tweede.regel, tweede["beschikkingnummer"]) == (5, "13")


@pytest.mark.parametrize(
    "inhoud, formaat, reden",
    [
        (b"", Formaat.CSV, "no header line"),
        (b"bsn,naam\n1,2\n", Formaat.CSV, "unknown field(s) naam"),
        (b"bsn,wet\n1,2,3\n", Formaat.CSV, "line 2 has 3 values; the header names 2 fields"),
        (b"bsn\n", Formaat.CSV, "holds no indicaties"),
        (b"\xff\xfe", Formaat.CSV, "not UTF-8"),
        (b'{"bsn": "1"}', Formaat.JSON, "holds a list of indicaties"),
        (b'[{"bsn": ["1"]}]', Formaat.JSON, "indicatie 1 is not an object of fields with text or numbers"),
        (b'[{"naam": "x"}]', Formaat.JSON, "record 1: unknown field(s) naam"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_its_reason(inhoud, formaat, reden):
    with pytest.raises(DomainError, match=reden.replace("(", r"\(").replace(")", r"\)")):
        lees_bestand(inhoud, formaat)


def test_json_list_or_object_with_numbers_as_text():
    (r,) = lees_bestand(b'{"indicaties": [{"BSN": "999900006", "volume": 120}]}', Formaat.JSON)
    assert (r.regel, r["bsn"], r["volume"]) == (1, "999900006", "120")
