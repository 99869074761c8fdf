"""The payment file: CSV and SEPA pain.001.001.09 whose totals reconcile with the afrekeningen; reclaims
listed apart; IBANs checked with mod-97.

The official pain.001.001.09 XSD is not used at test time (nothing is downloaded): the structure is
checked here by hand — namespace, the required elements in schema order, NbOfTxs and CtrlSum."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from declaratie.domain.afrekening import Afrekening, AfrekeningSoort, Voorschot, VoorschotRegel
from declaratie.domain.betaalbestand import (
    PAIN001_NS,
    Rekeninghouder,
    betaalopdrachten,
    csv_bestand,
    iban_geldig,
    normaliseer_iban,
    pain001,
)
from declaratie.domain.periode import kalendermaand
from runtime.errors import DomainError

OKTOBER, NOVEMBER = kalendermaand(2026, 10), kalendermaand(2026, 11)
GEMEENTE = Rekeninghouder("Gemeente Voorbeeld", "NL20 INGB 0001 2345 67")  # check digits 20: 98 − (NL00 number mod 97)
AANBIEDERS = {
    "65656055": Rekeninghouder("Jeugdhulp Noord B.V.", "NL91ABNA0417164300", agb="65656055"),
    "98100001": Rekeninghouder("Zorg & Welzijn Oost", "BE68539007547034", agb="98100001"),
    "98100002": Rekeninghouder("Thuiszorg West", "DE89370400440532013000", agb="98100002"),
}
AFREKENINGEN = [
    # saldo 126000 − 186000 = −60000: a reclaim, no transfer
    Afrekening(AfrekeningSoort.DEFINITIEF, "0384", "65656055", OKTOBER, voorschot=186_000, gedeclareerd=231_000, toegekend=126_000),
    # saldo 123456 − 100000 = 23456: pay €234.56
    Afrekening(AfrekeningSoort.DEFINITIEF, "0384", "98100001", OKTOBER, voorschot=100_000, gedeclareerd=130_000, toegekend=123_456),
    # saldo 0: nothing
    Afrekening(AfrekeningSoort.DEFINITIEF, "0384", "98100002", OKTOBER, voorschot=50_000, gedeclareerd=50_000, toegekend=50_000),
]
# November's voorschot of 65656055 after settling the 60000: 180000 − 60000 = 120000 to pay.
VOORSCHOTTEN = [Voorschot("0384", "65656055", NOVEMBER, (VoorschotRegel("toewijzing 10072", 180_000),), verrekend=60_000)]


def opdrachten():  # type: ignore[no-untyped-def]
    return betaalopdrachten(AANBIEDERS, AFREKENINGEN, VOORSCHOTTEN)


def test_only_positive_amounts_become_transfers_and_reclaims_are_listed_apart():
    o = opdrachten()
    assert [(x.agb, x.bedrag, x.kenmerk) for x in o.opdrachten] == [
        ("98100001", 23_456, "AFR-0384-98100001-2026-10"),
        ("65656055", 120_000, "VRS-0384-65656055-2026-11"),
    ]
    assert [(t.agb, t.bedrag) for t in o.terugvorderingen] == [("65656055", 60_000)]
    # reconciles: the transfers are the positive saldi plus the voorschot to pay; the reclaims the negative saldi
    assert o.totaal == sum(a.te_betalen for a in AFREKENINGEN) + sum(v.te_betalen for v in VOORSCHOTTEN) == 143_456
    assert o.totaal_terug == sum(a.terug_te_vorderen for a in AFREKENINGEN) == 60_000


def test_csv_has_a_line_per_aanbieder_per_afrekening_and_a_totals_line_that_reconciles():
    regels = list(csv.reader(io.StringIO(csv_bestand(opdrachten()))))
    assert regels[0] == ["agb", "naam", "iban", "periode", "bedrag", "kenmerk"]
    assert regels[1] == ["98100001", "Zorg & Welzijn Oost", "BE68539007547034", "2026-10", "234.56", "AFR-0384-98100001-2026-10"]
    assert regels[2] == ["65656055", "Jeugdhulp Noord B.V.", "NL91ABNA0417164300", "2026-11", "1200.00", "VRS-0384-65656055-2026-11"]
    # 234.56 + 1200.00 = 1434.56, two lines
    assert regels[3] == ["TOTAAL", "", "", "", "1434.56", "2"]
    assert sum(Decimal(r[4]) for r in regels[1:-1]) == Decimal(regels[-1][4])


def q(naam: str) -> str:
    return f"{{{PAIN001_NS}}}{naam}"


def kinderen(element) -> list[str]:  # type: ignore[no-untyped-def]
    return [etree.QName(k).localname for k in element]


def test_pain001_has_the_required_structure_and_sums():
    xml = pain001(opdrachten(), GEMEENTE, "ZK-0384-2026-11-23-1", datetime(2026, 11, 23, 10, 30), date(2026, 11, 25))
    root = etree.fromstring(xml)
    assert root.tag == q("Document") and root.nsmap == {None: PAIN001_NS}
    (initiatie,) = root
    assert initiatie.tag == q("CstmrCdtTrfInitn") and kinderen(initiatie) == ["GrpHdr", "PmtInf"]
    kop, betaling = initiatie
    assert kinderen(kop) == ["MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty"]  # GroupHeader85 order
    assert kop.findtext(q("CreDtTm")) == "2026-11-23T10:30:00"
    assert kinderen(betaling) == [
        "PmtInfId", "PmtMtd", "NbOfTxs", "CtrlSum", "PmtTpInf", "ReqdExctnDt", "Dbtr", "DbtrAcct", "DbtrAgt", "ChrgBr", "CdtTrfTxInf", "CdtTrfTxInf",
    ]  # PaymentInstruction30 order
    ns = {"p": PAIN001_NS}
    assert betaling.findtext("p:PmtMtd", namespaces=ns) == "TRF"
    assert betaling.findtext("p:ReqdExctnDt/p:Dt", namespaces=ns) == "2026-11-25"
    assert betaling.findtext("p:Dbtr/p:Nm", namespaces=ns) == "Gemeente Voorbeeld"
    assert betaling.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=ns) == "NL20INGB0001234567"
    assert betaling.findtext("p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=ns) == "NOTPROVIDED"

    transacties = betaling.findall("p:CdtTrfTxInf", namespaces=ns)
    for t in transacties:
        assert kinderen(t) == ["PmtId", "Amt", "Cdtr", "CdtrAcct", "RmtInf"]  # CreditTransferTransaction34 order
        assert t.find("p:Amt/p:InstdAmt", namespaces=ns).get("Ccy") == "EUR"
    assert [t.findtext("p:PmtId/p:EndToEndId", namespaces=ns) for t in transacties] == ["AFR-0384-98100001-2026-10", "VRS-0384-65656055-2026-11"]
    assert [t.findtext("p:Cdtr/p:Nm", namespaces=ns) for t in transacties] == ["Zorg & Welzijn Oost", "Jeugdhulp Noord B.V."]
    assert [t.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) for t in transacties] == ["BE68539007547034", "NL91ABNA0417164300"]
    assert "periode 2026-10" in transacties[0].findtext("p:RmtInf/p:Ustrd", namespaces=ns)
    bedragen = [Decimal(t.findtext("p:Amt/p:InstdAmt", namespaces=ns)) for t in transacties]
    assert bedragen == [Decimal("234.56"), Decimal("1200.00")]
    # NbOfTxs and CtrlSum in both GrpHdr and PmtInf equal the transactions and their sum, and the CSV total.
    for deel in (kop, betaling):
        assert deel.findtext("p:NbOfTxs", namespaces=ns) == "2"
        assert Decimal(deel.findtext("p:CtrlSum", namespaces=ns)) == sum(bedragen) == Decimal("1434.56")


def test_pain001_names_the_debtor_bic_when_known():
    met_bic = Rekeninghouder("Gemeente Voorbeeld", "NL20INGB0001234567", bic="INGBNL2A")
    xml = pain001(opdrachten(), met_bic, "ZK-1", datetime(2026, 11, 23, 10, 30), date(2026, 11, 25))
    assert etree.fromstring(xml).findtext(f".//{q('DbtrAgt')}/{q('FinInstnId')}/{q('BICFI')}") == "INGBNL2A"


@pytest.mark.parametrize(
    "iban, reden",
    [
        ("NL91ABNA0417164301", "mod-97"),  # last digit changed
        ("NL19ABNA0417164300", "mod-97"),  # check digits changed
        ("NL91ABNA041716430", "form"),  # one digit short for NL (18)
        ("91NLABNA0417164300", "form"),
    ],
)
def test_invalid_iban_is_refused(iban, reden):
    assert not iban_geldig(iban)
    with pytest.raises(DomainError, match=reden):
        normaliseer_iban(iban)
    with pytest.raises(DomainError, match=reden):
        Rekeninghouder("Aanbieder", iban)


def test_valid_iban_is_normalised():
    assert normaliseer_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"


def test_zero_or_negative_transfer_and_empty_file_are_refused():
    from declaratie.domain.betaalbestand import Betaalopdracht, Betaalopdrachten

    with pytest.raises(DomainError, match="positive"):
        Betaalopdracht("98100001", "X", "NL91ABNA0417164300", OKTOBER, "2026-10", 0, "AFR-1")
    with pytest.raises(DomainError, match="at least one"):
        pain001(Betaalopdrachten(()), GEMEENTE, "ZK-1", datetime(2026, 11, 23), date(2026, 11, 25))


def test_only_definitive_afrekeningen_of_known_aanbieders_are_paid():
    voorlopig = Afrekening(AfrekeningSoort.VOORLOPIG, "0384", "98100001", OKTOBER, 0, 100, 100)
    with pytest.raises(DomainError, match="only a definitieve"):
        betaalopdrachten(AANBIEDERS, [voorlopig])
    onbekend = Afrekening(AfrekeningSoort.DEFINITIEF, "0384", "11111111", OKTOBER, 0, 100, 100)
    with pytest.raises(DomainError, match="no known account"):
        betaalopdrachten(AANBIEDERS, [onbekend])
    with pytest.raises(DomainError, match="twice"):
        betaalopdrachten(AANBIEDERS, AFREKENINGEN[1:2] * 2)


def test_four_week_period_gets_a_short_kenmerk_or_the_rhythm_name():
    from declaratie.domain.periode import PeriodeRitme, Ritme

    ritme = PeriodeRitme(Ritme.VIER_WEKEN, eerste_maandag=date(2026, 1, 5))
    periode = ritme.periode_van(date(2026, 10, 20))  # 2026-10-12 .. 2026-11-08, the 11th period
    v = [Voorschot("0384", "65656055", periode, (VoorschotRegel("afspraak aanbieder", 50_000),))]
    (kort,) = betaalopdrachten(AANBIEDERS, voorschotten=v).opdrachten
    assert (kort.kenmerk, kort.periode_kenmerk) == ("VRS-0384-65656055-20261012", "2026-10-12/2026-11-08")
    (genoemd,) = betaalopdrachten(AANBIEDERS, voorschotten=v, periode_kenmerk={periode: ritme.kenmerk(periode)}).opdrachten
    assert (genoemd.kenmerk, genoemd.periode_kenmerk) == ("VRS-0384-65656055-2026-P11", "2026-P11")
