"""Building the answer to a message from the findings of its checks.

Retourberichten (302, 306, 308, 316, 318, 320) follow IV028:
- the heenbericht's header is copied unchanged (Afzender and Ontvanger too), with the retour's
  BerichtCode, IdentificatieRetour, DagtekeningRetour and XsdVersieRetour added;
- fully accepted: the header alone, without RetourCodes;
- a finding of controleniveau 2: the header alone with RetourCode 0001;
- a finding in the header: the header alone with the finding's codes;
- otherwise the header gets 0200, and the Client (or Antwoord) with findings is returned whole, each
  class with its findings' codes, 0200 when it has none, and 0233 ("niet beoordeeld") below a
  class that was rejected (OP065: only classes with errors are returned).

The 325 Declaratie-antwoord follows IV087 / IV088: level 2 -> header 0001 only; fully granted ->
DeclaratieAntwoord with 8001 and TotaalToegekendBedrag = TotaalIngediendBedrag; a finding on the
Declaratie -> its code and nothing granted; otherwise only the rejected prestaties are returned
(TR342), grouped by Client, and TotaalToegekendBedrag is the sum of the accepted ones.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from berichten.domain import model
from berichten.domain.model import element_name
from berichten.domain.regels.catalogus import Bevinding, Controleniveau

TECHNISCH_AFGEKEURD = "0001"
GEEN_OPMERKING = "0200"
NIET_BEOORDEELD = "0233"
DECLARATIE_TOEGEKEND = "8001"
HEADER = "/Bericht/Header"


@dataclass(frozen=True)
class Kop:
    """What the sender of an answer adds: its berichtcode, identificatie, dagtekening and XSD version."""

    bericht_code: int
    identificatie: str
    dagtekening: date
    xsd_versie: model.XsdVersie


def _codes_per_klasse(bevindingen: Sequence[Bevinding]) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = defaultdict(list)
    for bevinding in bevindingen:
        if bevinding.retourcode not in codes[bevinding.klasse]:
            codes[bevinding.klasse].append(bevinding.retourcode)
    return codes


def _annotate(obj: Any, pad: str, codes: dict[str, list[str]], afgekeurd_erboven: bool) -> Any:
    """A copy of `obj` in which every class carries its RetourCodes."""
    own = codes.get(pad, [])
    if afgekeurd_erboven:
        mine = [NIET_BEOORDEELD]
    else:
        mine = own or [GEEN_OPMERKING]
    below = afgekeurd_erboven or bool(own)
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        name = element_name(f.name)
        if dataclasses.is_dataclass(value) and hasattr(value, "retour_codes"):
            changes[f.name] = _annotate(value, f"{pad}/{name}", codes, below)
        elif isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            tag = type(value[0]).TAG
            changes[f.name] = [
                _annotate(item, f"{pad}/{name}/{tag}{f'[{i}]' if len(value) > 1 else ''}", codes, below)
                for i, item in enumerate(value, start=1)
            ]
    if hasattr(obj, "retour_codes"):
        changes["retour_codes"] = mine
    return dataclasses.replace(obj, **changes)


def _retour_header(heen: model.Header, kop: Kop, retour_codes: list[str]) -> model.Header:
    return dataclasses.replace(
        heen,
        bericht_code=kop.bericht_code,
        identificatie_retour=kop.identificatie,
        dagtekening_retour=kop.dagtekening,
        xsd_versie_retour=kop.xsd_versie,
        retour_codes=retour_codes,
    )


def retourbericht(heen: model.Bericht, kop: Kop, bevindingen: Sequence[Bevinding]) -> model.Bericht:
    """The retourbericht (IV028) on heenbericht `heen` given the findings of all its checks."""
    if isinstance(heen, (model.DeclaratieBericht, model.DeclaratieAntwoordBericht)):
        raise TypeError("a 323 is answered by a 325 (declaratie_antwoord) and a 325 has no retour")
    body_field = "antwoord" if isinstance(heen, model.AntwoordBericht) else "client"
    empty = {body_field: None}
    if not bevindingen:
        return dataclasses.replace(heen, header=_retour_header(heen.header, kop, []), **empty)
    if any(b.niveau is Controleniveau.BERICHTINHOUD for b in bevindingen):
        return dataclasses.replace(heen, header=_retour_header(heen.header, kop, [TECHNISCH_AFGEKEURD]), **empty)
    codes = _codes_per_klasse(bevindingen)
    if HEADER in codes:
        return dataclasses.replace(heen, header=_retour_header(heen.header, kop, codes[HEADER]), **empty)
    body = getattr(heen, body_field)
    annotated = _annotate(body, f"/Bericht/{element_name(body_field)}", codes, False)
    return dataclasses.replace(heen, header=_retour_header(heen.header, kop, [GEEN_OPMERKING]), **{body_field: annotated})


def _signed(bedrag: int, debet_credit: str) -> int:
    return -bedrag if debet_credit == "C" else bedrag


def _totaal(cents: int) -> model.TotaalBedragMetDC:
    return model.TotaalBedragMetDC(totaal_bedrag=abs(cents), debet_credit="C" if cents < 0 else "D")


def klasse_paden(declaratie: model.Declaratie) -> Iterator[tuple[str, model.DeclaratieClient, list[tuple[str, model.Prestatie]]]]:
    """Per Client of a 323 the class path of the Client and of each of its Prestaties, as findings name
    them (an index only when the list has more than one item)."""
    for ci, client in enumerate(declaratie.clienten, start=1):
        client_pad = f"/Bericht/Declaratie/Clienten/Client{f'[{ci}]' if len(declaratie.clienten) > 1 else ''}"
        paden = [
            (f"{client_pad}/Prestaties/Prestatie{f'[{pi}]' if len(client.prestaties) > 1 else ''}", prestatie)
            for pi, prestatie in enumerate(client.prestaties, start=1)
        ]
        yield client_pad, client, paden


def declaratie_antwoord(declaratie: model.DeclaratieBericht, kop: Kop, bevindingen: Sequence[Bevinding]) -> model.DeclaratieAntwoordBericht:
    """The 325 on a 323 (IV087 / IV088) given the findings of all its checks."""
    heen = declaratie.header
    header = model.Header(
        bericht_code=kop.bericht_code,
        bericht_versie=heen.bericht_versie,
        bericht_subversie=heen.bericht_subversie,
        afzender=heen.ontvanger,
        ontvanger=heen.afzender,
        bericht_identificatie=model.BerichtIdentificatie(identificatie=kop.identificatie, dagtekening=kop.dagtekening),
        xsd_versie=kop.xsd_versie,
        declaratie_identificatie=heen.bericht_identificatie,
        xsd_versie_declaratie=heen.xsd_versie,
        retour_codes=[GEEN_OPMERKING],
    )
    if any(b.niveau is Controleniveau.BERICHTINHOUD for b in bevindingen):
        return model.DeclaratieAntwoordBericht(header=dataclasses.replace(header, retour_codes=[TECHNISCH_AFGEKEURD]))
    codes = _codes_per_klasse(bevindingen)
    if HEADER in codes:
        return model.DeclaratieAntwoordBericht(header=dataclasses.replace(header, retour_codes=codes[HEADER]))
    d = declaratie.declaratie
    antwoord = model.DeclaratieAntwoord(
        declaratie_nummer=d.declaratie_nummer,
        totaal_ingediend_bedrag=d.totaal_ingediend_bedrag,
        totaal_toegekend_bedrag=d.totaal_ingediend_bedrag,
        retour_codes=[DECLARATIE_TOEGEKEND],
    )
    declaratie_codes = codes.get("/Bericht/Declaratie")
    if declaratie_codes:
        return model.DeclaratieAntwoordBericht(
            header=header, declaratie_antwoord=dataclasses.replace(antwoord, totaal_toegekend_bedrag=_totaal(0), retour_codes=declaratie_codes)
        )
    toegekend = 0
    clienten = []
    for client_pad, client, paden in klasse_paden(d):
        client_codes = codes.get(client_pad, [])
        afgewezen = []
        for pad, prestatie in paden:
            if client_codes:
                afgewezen.append(dataclasses.replace(prestatie, retour_codes=[NIET_BEOORDEELD]))
            elif pad in codes:
                afgewezen.append(dataclasses.replace(prestatie, retour_codes=codes[pad]))
            else:
                toegekend += _signed(prestatie.ingediend_bedrag.bedrag, prestatie.ingediend_bedrag.debet_credit)
        if afgewezen:
            clienten.append(dataclasses.replace(client, prestaties=afgewezen, retour_codes=client_codes or [GEEN_OPMERKING]))
    if not clienten:
        return model.DeclaratieAntwoordBericht(header=header, declaratie_antwoord=antwoord)
    return model.DeclaratieAntwoordBericht(
        header=header,
        declaratie_antwoord=dataclasses.replace(antwoord, totaal_toegekend_bedrag=_totaal(toegekend), clienten=clienten, retour_codes=[GEEN_OPMERKING]),
    )
