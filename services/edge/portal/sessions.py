"""Portal sessions: a signed cookie that points to a server-side session row.

The cookie holds `v2.<payload>.<HMAC-SHA256>` (key ZK_PORTAL_SESSION_SECRET) with the session's id,
its sliding expiry and its CSRF token; it is HttpOnly, SameSite=Lax, Secure outside development,
limited to /portal, and every page renews its expiry. The session itself is a row in the edge's
schema (`edge.adapters.sessies`): logging out, a beheerder's action or the absolute maximum
(ZK_PORTAL_SESSION_MAX_SECONDS) ends the row, and from then on every edge process refuses the
cookie, also a copy replayed from before. The CSRF token is random per session and must come back
with every form POST (field `csrf`) or script call (header X-CSRF-Token).

`SignedValue` also signs the short-lived state of an OIDC login in progress (state, nonce, PKCE
verifier), which has no session yet.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from edge.auth import _b64, _unb64  # the edge's one base64url helper pair

COOKIE = "zk_sessie"
LOGIN_COOKIE = "zk_inloggen"  # double-submit CSRF token of the login form (there is no session yet)
OIDC_COOKIE = "zk_oidc"  # state, nonce and PKCE verifier of an OIDC login in progress
PATH = "/portal"


@dataclass(frozen=True)
class Sessie:
    id: str
    einde: int
    csrf: str


class SignedValue:
    """`<version>.<base64url JSON>.<HMAC-SHA256>` with its own expiry `exp`; checked in constant time."""

    def __init__(self, key: str, version: str):
        self._key = key.encode()
        self.version = version

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, f"{self.version}.{payload}".encode(), "sha256").digest())

    def dump(self, claims: dict[str, Any]) -> str:
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{self.version}.{payload}.{self._sign(payload)}"

    def load(self, value: str, now: float | None = None) -> dict[str, Any] | None:
        """The claims of a valid, unexpired value; None otherwise."""
        try:
            version, payload, signature = value.split(".")
        except ValueError:
            return None
        if version != self.version or not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            claims = json.loads(_unb64(payload))
            exp = int(claims["exp"])
        except (ValueError, KeyError, TypeError):
            return None
        return claims if exp > (now or time.time()) else None


class SessionSigner:
    def __init__(self, key: str, ttl_seconds: int):
        self._signed = SignedValue(key, "v2")
        self.ttl = ttl_seconds

    def new(self, sessie_id: str, now: float | None = None) -> Sessie:
        return Sessie(sessie_id, int((now or time.time()) + self.ttl), secrets.token_urlsafe(24))

    def renewed(self, sessie: Sessie, now: float | None = None) -> Sessie:
        return Sessie(sessie.id, int((now or time.time()) + self.ttl), sessie.csrf)

    def dump(self, sessie: Sessie) -> str:
        return self._signed.dump({"sid": sessie.id, "exp": sessie.einde, "csrf": sessie.csrf})

    def load(self, value: str, now: float | None = None) -> Sessie | None:
        """The session of a valid, unexpired cookie value; None otherwise (the row is checked apart)."""
        claims = self._signed.load(value, now)
        if claims is None:
            return None
        try:
            return Sessie(str(claims["sid"]), int(claims["exp"]), str(claims["csrf"]))
        except (KeyError, TypeError, ValueError):
            return None


def csrf_matches(expected: str, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(expected.encode(), (presented or "").encode())
