"""The payment file: what the gemeente pays its aanbieders, as CSV and as SEPA pain.001.001.09.

One Betaalopdracht per aanbieder per afrekening (or voorschot) with a positive amount. A reclaim is not a
transfer: negative saldi are listed separately (`Betaalopdrachten.terugvorderingen`) and zero saldi are
left out. Both files carry a total that equals the sum of the opdrachten, which equals the sum of the
positive saldi of the afrekeningen they came from.

pain.001.001.09 (ISO 20022 CustomerCreditTransferInitiationV09, as the EPC SEPA Credit Transfer
guidelines use it): one PmtInf (PmtMtd TRF, SvcLvl SEPA, ChrgBr SLEV) with the gemeente as debtor
and one CdtTrfTxInf per opdracht. Text is cut to the lengths the schema allows (Nm 140 in the
schema, 70 in the EPC guidelines: we cut at 70; EndToEndId 35; Ustrd 140). The official XSD is not
shipped here; tests check namespace, required elements, order and sums themselves.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

from declaratie.domain.afrekening import Afrekening, AfrekeningSoort, Voorschot
from declaratie.domain.geld import euro
from declaratie.domain.periode import Periode
from runtime.errors import DomainError

PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
NIET_OPGEGEVEN = "NOTPROVIDED"  # DbtrAgt without a BIC (EPC: IBAN-only)
MAX_NAAM = 70
MAX_ID = 35
MAX_OMSCHRIJVING = 140
CSV_KOLOMMEN = ("agb", "naam", "iban", "periode", "bedrag", "kenmerk")
TOTAAL = "TOTAAL"
CSV, PAIN001 = "csv", "pain001"  # the two formats of the file

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_IBAN_LENGTE = {"NL": 18, "BE": 16, "DE": 22, "LU": 20, "FR": 27}  # the neighbours; other countries: the general form only
_BIC = re.compile(r"^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$")


def normaliseer_iban(iban: str) -> str:
    """The IBAN in capitals without spaces, or DomainError when its form or mod-97 check (ISO 13616) fails."""
    waarde = re.sub(r"\s+", "", iban).upper()
    if not _IBAN.match(waarde) or len(waarde) != _IBAN_LENGTE.get(waarde[:2], len(waarde)):
        raise DomainError(f"IBAN {iban!r} has not the form of an IBAN")
    # Move the country code and check digits to the end, letters to 10..35; the number mod 97 must be 1.
    getal = "".join(str(int(teken, 36)) for teken in waarde[4:] + waarde[:4])
    if int(getal) % 97 != 1:
        raise DomainError(f"IBAN {iban!r} fails the mod-97 check")
    return waarde


def iban_geldig(iban: str) -> bool:
    try:
        normaliseer_iban(iban)
    except DomainError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Rekeninghouder:
    """A party with its account: the gemeente as debtor, an aanbieder as creditor (then with its AGB)."""

    naam: str
    iban: str
    bic: str | None = None
    agb: str | None = None

    def __post_init__(self) -> None:
        if not self.naam.strip():
            raise DomainError("a rekeninghouder needs a name")
        object.__setattr__(self, "iban", normaliseer_iban(self.iban))
        if self.bic is not None and not _BIC.match(self.bic):
            raise DomainError(f"BIC {self.bic!r} is not 8 or 11 characters of the BIC form")


@dataclass(frozen=True, slots=True)
class Betaalopdracht:
    agb: str
    naam: str
    iban: str
    periode: Periode
    periode_kenmerk: str
    bedrag: int  # eurocent, > 0
    kenmerk: str  # unique per opdracht: the EndToEndId

    def __post_init__(self) -> None:
        if self.bedrag <= 0:
            raise DomainError(f"{self.kenmerk}: a transfer is positive; a reclaim or nothing is not paid")
        if len(self.kenmerk) > MAX_ID:
            raise DomainError(f"kenmerk {self.kenmerk!r} is longer than {MAX_ID} characters")


@dataclass(frozen=True, slots=True)
class Terugvordering:
    agb: str
    naam: str
    periode_kenmerk: str
    bedrag: int  # eurocent, > 0: to reclaim
    kenmerk: str


@dataclass(frozen=True, slots=True)
class Betaalopdrachten:
    opdrachten: tuple[Betaalopdracht, ...]
    terugvorderingen: tuple[Terugvordering, ...] = field(default=())

    @property
    def totaal(self) -> int:
        return sum(o.bedrag for o in self.opdrachten)

    @property
    def totaal_terug(self) -> int:
        return sum(t.bedrag for t in self.terugvorderingen)


def _aanbieder(aanbieders: Mapping[str, Rekeninghouder], agb: str) -> Rekeninghouder:
    try:
        return aanbieders[agb]
    except KeyError:
        raise DomainError(f"aanbieder {agb} has no known account") from None


def _kort(periode: Periode, namen: Mapping[Periode, str]) -> str:
    """The period in a kenmerk (EndToEndId, at most 35): its name, `2026-10`, or its first day `20261102`
    (periods of one rhythm never share a first day)."""
    if periode in namen:
        return namen[periode]
    return periode.kenmerk if periode.is_kalendermaand else periode.begindatum.strftime("%Y%m%d")


def betaalopdrachten(
    aanbieders: Mapping[str, Rekeninghouder],
    afrekeningen: Iterable[Afrekening] = (),
    voorschotten: Iterable[Voorschot] = (),
    periode_kenmerk: Mapping[Periode, str] | None = None,
) -> Betaalopdrachten:
    """One opdracht per definitieve afrekening with a positive saldo and per voorschot with something to pay;
    negative saldi become terugvorderingen. `aanbieders` by AGB; `periode_kenmerk` names periods (default
    Periode.kenmerk; pass PeriodeRitme.kenmerk's for `2026-P03`)."""
    namen = periode_kenmerk or {}
    opdrachten: list[Betaalopdracht] = []
    terug: list[Terugvordering] = []
    for a in afrekeningen:
        if a.soort is not AfrekeningSoort.DEFINITIEF:
            raise DomainError(f"{a.agb} {a.periode.kenmerk}: only a definitieve afrekening is paid")
        houder = _aanbieder(aanbieders, a.agb)
        naam = namen.get(a.periode, a.periode.kenmerk)
        kenmerk = f"AFR-{a.gemeentecode}-{a.agb}-{_kort(a.periode, namen)}"
        if a.saldo > 0:
            opdrachten.append(Betaalopdracht(a.agb, houder.naam, houder.iban, a.periode, naam, a.saldo, kenmerk))
        elif a.saldo < 0:
            terug.append(Terugvordering(a.agb, houder.naam, naam, -a.saldo, kenmerk))
    for v in voorschotten:
        if v.te_betalen > 0:
            houder = _aanbieder(aanbieders, v.agb)
            naam = namen.get(v.periode, v.periode.kenmerk)
            kenmerk = f"VRS-{v.gemeentecode}-{v.agb}-{_kort(v.periode, namen)}"
            opdrachten.append(Betaalopdracht(v.agb, houder.naam, houder.iban, v.periode, naam, v.te_betalen, kenmerk))
    if len({o.kenmerk for o in opdrachten}) < len(opdrachten):
        raise DomainError("two opdrachten with one kenmerk: an afrekening or voorschot is in the file twice")
    return Betaalopdrachten(tuple(opdrachten), tuple(terug))


def csv_bestand(opdrachten: Betaalopdrachten) -> str:
    """CSV (comma, header line, bedrag in euro with a point and 2 decimals) with a last line
    `TOTAAL,,,,<sum>,<number of opdrachten>` that equals the sum of the lines."""
    buffer = io.StringIO()
    schrijver = csv.writer(buffer, lineterminator="\n")
    schrijver.writerow(CSV_KOLOMMEN)
    for o in opdrachten.opdrachten:
        schrijver.writerow((o.agb, o.naam, o.iban, o.periode_kenmerk, euro(o.bedrag), o.kenmerk))
    schrijver.writerow((TOTAAL, "", "", "", euro(opdrachten.totaal), str(len(opdrachten.opdrachten))))
    return buffer.getvalue()


def _sub(ouder: etree._Element, naam: str, tekst: str | None = None, **attributen: str) -> etree._Element:
    element = etree.SubElement(ouder, f"{{{PAIN001_NS}}}{naam}", **attributen)
    if tekst is not None:
        element.text = tekst
    return element


def _pad(ouder: etree._Element, pad: str, tekst: str) -> None:
    element = ouder
    for naam in pad.split("/"):
        element = _sub(element, naam)
    element.text = tekst


def pain001(
    opdrachten: Betaalopdrachten,
    debiteur: Rekeninghouder,
    bericht_id: str,
    aangemaakt: datetime,
    uitvoerdatum: date,
) -> bytes:
    """A pain.001.001.09 Customer Credit Transfer Initiation of the opdrachten (UTF-8 XML)."""
    if not opdrachten.opdrachten:
        raise DomainError("a payment file needs at least one transfer")
    if not bericht_id or len(bericht_id) > MAX_ID - 2:
        raise DomainError(f"MsgId {bericht_id!r} must be 1..{MAX_ID - 2} characters")
    aantal = str(len(opdrachten.opdrachten))
    som = euro(opdrachten.totaal)

    document = etree.Element(f"{{{PAIN001_NS}}}Document", nsmap={None: PAIN001_NS})
    initiatie = _sub(document, "CstmrCdtTrfInitn")
    kop = _sub(initiatie, "GrpHdr")
    _sub(kop, "MsgId", bericht_id)
    _sub(kop, "CreDtTm", aangemaakt.replace(microsecond=0).isoformat())
    _sub(kop, "NbOfTxs", aantal)
    _sub(kop, "CtrlSum", som)
    _pad(kop, "InitgPty/Nm", debiteur.naam[:MAX_NAAM])

    betaling = _sub(initiatie, "PmtInf")
    _sub(betaling, "PmtInfId", f"{bericht_id}-1")
    _sub(betaling, "PmtMtd", "TRF")
    _sub(betaling, "NbOfTxs", aantal)
    _sub(betaling, "CtrlSum", som)
    _pad(betaling, "PmtTpInf/SvcLvl/Cd", "SEPA")
    _pad(betaling, "ReqdExctnDt/Dt", uitvoerdatum.isoformat())
    _pad(betaling, "Dbtr/Nm", debiteur.naam[:MAX_NAAM])
    _pad(betaling, "DbtrAcct/Id/IBAN", debiteur.iban)
    if debiteur.bic:
        _pad(betaling, "DbtrAgt/FinInstnId/BICFI", debiteur.bic)
    else:
        _pad(betaling, "DbtrAgt/FinInstnId/Othr/Id", NIET_OPGEGEVEN)
    _sub(betaling, "ChrgBr", "SLEV")
    for o in opdrachten.opdrachten:
        transactie = _sub(betaling, "CdtTrfTxInf")
        _pad(transactie, "PmtId/EndToEndId", o.kenmerk)
        _sub(_sub(transactie, "Amt"), "InstdAmt", euro(o.bedrag), Ccy="EUR")
        _pad(transactie, "Cdtr/Nm", o.naam[:MAX_NAAM])
        _pad(transactie, "CdtrAcct/Id/IBAN", normaliseer_iban(o.iban))
        _pad(transactie, "RmtInf/Ustrd", f"Zorgketen {o.kenmerk} periode {o.periode_kenmerk} AGB {o.agb}"[:MAX_OMSCHRIJVING])
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
