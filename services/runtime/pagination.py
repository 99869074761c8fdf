"""Keyset pagination: a page token is the (opaque) key of the last row of the previous page.

No OFFSET and no COUNT(*): a page costs the same at row 50 and at row 50,000.
"""

from __future__ import annotations

import base64
import json

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
