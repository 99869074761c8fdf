"""Reading a file of indicaties from a gemeente's own system into records (domain/indicatie_import.py).

- CSV: UTF-8 (a BOM is allowed), a header line naming the fields (`VELDEN`, in any order; absent
  optional fields are empty), separated by comma or semicolon; each further line is one record, its
  `regel` the line number in the file.
- JSON: a list of objects with those fields, or {"indicaties": [...]}; `regel` is the place in the list.

A file that cannot be read as a whole (not UTF-8, no header, invalid JSON, unknown fields, too big)
is refused with the reason; a record that reads but is wrong is the import's business.
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum

from indicatie.domain.indicatie_import import MAX_RECORDS, VELDEN, IndicatieRecord
from runtime.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024


class Formaat(StrEnum):
    CSV = "csv"
    JSON = "json"


def lees_bestand(inhoud: bytes, formaat: Formaat) -> list[IndicatieRecord]:
    if len(inhoud) > MAX_BYTES:
        raise DomainError(f"the file is larger than {MAX_BYTES} bytes")
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(f"the file is not UTF-8 (byte {error.start})") from error
    records = _csv(tekst) if formaat is Formaat.CSV else _json(tekst)
    if not records:
        raise DomainError("the file holds no indicaties")
    if len(records) > MAX_RECORDS:
        raise DomainError(f"a file holds at most {MAX_RECORDS} indicaties; this one {len(records)}")
    return records


def _csv(tekst: str) -> list[IndicatieRecord]:
    regels = tekst.splitlines()
    if not regels or not regels[0].strip():
        raise DomainError("the CSV file has no header line naming the fields")
    scheiding = ";" if regels[0].count(";") > regels[0].count(",") else ","
    reader = csv.reader(io.StringIO(tekst), delimiter=scheiding)
    kop = [k.strip().lower() for k in next(reader)]
    onbekend = [k for k in kop if k not in VELDEN]
    if onbekend:
        raise DomainError(f"the CSV header names unknown field(s) {', '.join(onbekend)}; the fields are {', '.join(VELDEN)}")
    if len(set(kop)) != len(kop):
        raise DomainError("the CSV header names a field twice")
    records = []
    for waarden in reader:
        if not any(w.strip() for w in waarden):
            continue
        if len(waarden) > len(kop):
            raise DomainError(f"line {reader.line_num} has {len(waarden)} values; the header names {len(kop)} fields")
        records.append(IndicatieRecord.van(reader.line_num, dict(zip(kop, waarden))))
    return records


def _json(tekst: str) -> list[IndicatieRecord]:
    try:
        data = json.loads(tekst)
    except json.JSONDecodeError as error:
        raise DomainError(f"the JSON file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from error
    if isinstance(data, dict) and set(data) == {"indicaties"}:
        data = data["indicaties"]
    if not isinstance(data, list):
        raise DomainError('the JSON file holds a list of indicaties, or {"indicaties": [...]}')
    records = []
    for plaats, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not all(isinstance(v, (str, int)) or v is None for v in item.values()):
            raise DomainError(f"indicatie {plaats} is not an object of fields with text or numbers")
        records.append(IndicatieRecord.van(plaats, {k.lower(): v for k, v in item.items()}))
    return records
