"""Signed portal sessions in a cookie: who is logged in, until when, and the session's CSRF token.

The cookie holds `v1.<payload>.<HMAC-SHA256>` (key ZK_PORTAL_SESSION_SECRET); it is HttpOnly,
SameSite=Lax, Secure outside development, limited to /portal and carries its own expiry, which every
page renews (sliding expiry). The CSRF token is random per session and must come back with every
form POST (field `csrf`) or script call (header X-CSRF-Token).
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from dataclasses import dataclass

from edge.auth import _b64, _unb64  # the edge's one base64url helper pair

COOKIE = "zk_sessie"
LOGIN_COOKIE = "zk_inloggen"  # double-submit CSRF token of the login form (there is no session yet)
PATH = "/portal"


@dataclass(frozen=True)
class Sessie:
    gebruikersnaam: str
    einde: int
    csrf: str


class SessionSigner:
    def __init__(self, key: str, ttl_seconds: int):
        self._key = key.encode()
        self.ttl = ttl_seconds

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), "sha256").digest())

    def new(self, gebruikersnaam: str, now: float | None = None) -> Sessie:
        return Sessie(gebruikersnaam, int((now or time.time()) + self.ttl), secrets.token_urlsafe(24))

    def renewed(self, sessie: Sessie, now: float | None = None) -> Sessie:
        return Sessie(sessie.gebruikersnaam, int((now or time.time()) + self.ttl), sessie.csrf)

    def dump(self, sessie: Sessie) -> str:
        payload = _b64(json.dumps({"u": sessie.gebruikersnaam, "exp": sessie.einde, "csrf": sessie.csrf}, separators=(",", ":")).encode())
        return f"v1.{payload}.{self._sign(payload)}"

    def load(self, value: str, now: float | None = None) -> Sessie | None:
        """The session of a valid, unexpired cookie value; None otherwise."""
        try:
            version, payload, signature = value.split(".")
        except ValueError:
            return None
        if version != "v1" or not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            claims = json.loads(_unb64(payload))
            sessie = Sessie(str(claims["u"]), int(claims["exp"]), str(claims["csrf"]))
        except (ValueError, KeyError, TypeError):
            return None
        return sessie if sessie.einde > (now or time.time()) else None


def csrf_matches(expected: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(expected.encode(), (presented or "").encode())
