"""Conversions between the common protobuf types (zorgketen.common.v1) and Python values."""

from __future__ import annotations

from datetime import date

from zorgketen.common.v1 import common_pb2

from runtime.errors import DomainError


def to_date(datum: common_pb2.Datum, field: str) -> date:
    try:
        return date.fromisoformat(datum.value)
    except ValueError:
        raise DomainError(f"{field} {datum.value!r} is not a date (YYYY-MM-DD)") from None


def optional_date(datum: common_pb2.Datum, field: str) -> date | None:
    return to_date(datum, field) if datum.value else None


def datum(value: date | None) -> common_pb2.Datum:
    return common_pb2.Datum(value=value.isoformat() if value else "")
