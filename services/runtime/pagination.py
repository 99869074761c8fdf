"""Keyset pagination: a page token is the (opaque) key of the last row of the previous page.

No OFFSET and no COUNT(*): a page costs the same at row 50 and at row 50,000.

A list reads one row more than the page holds (`read_limit`) and keeps it back (`Page.of`): a next
page token is given only when that row exists, so a caller never gets a token that leads to an
empty page — also when the number of rows is a multiple of the page size.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


class PageTokenError(ValueError):
    pass


def page_size(requested: int) -> int:
    if requested < 0:
        raise PageTokenError("page_size cannot be negative")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def encode_token(key: list[str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def decode_token(token: str, length: int) -> list[str] | None:
    if not token:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, UnicodeDecodeError):
        raise PageTokenError("page_token is not a token this service issued") from None
    if not isinstance(key, list) or len(key) != length or not all(isinstance(k, str) for k in key):
        raise PageTokenError("page_token is not a token this service issued")
    return key


def read_limit(limit: int) -> int:
    """How many rows to read for a page of `limit`: one more, to know whether a next page exists."""
    return limit + 1


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and whether rows follow its last one."""

    rows: list[T]
    more: bool

    @classmethod
    def of(cls, read: Sequence[T], limit: int) -> Page[T]:
        """The page in `read` (rows read with `read_limit(limit)`): its first `limit` rows; a row past them means more."""
        return cls(list(read[:limit]), len(read) > limit)

    def token(self, key: Callable[[T], list[str]]) -> str:
        """The next page's token (the key of this page's last row), or "" when nothing follows."""
        return encode_token(key(self.rows[-1])) if self.more else ""
