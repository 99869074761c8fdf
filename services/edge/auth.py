"""OAuth2 client credentials for partner systems, and the access tokens the edge issues.

A partner client is bound to one gemeente or one AGB code; its token makes every call act as that
party (tenant role `systeem`). Secrets are stored as scrypt hashes, never in plain text. Tokens are
HMAC-SHA256-signed (key ZK_EDGE_TOKEN_SECRET), carry the client, its party and an expiry, and are
checked in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from runtime.tenancy import Role, Tenant

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


class AuthError(Exception):
    """Why a request is not authenticated (said to the caller in words)."""


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


@dataclass(frozen=True)
class PartnerClient:
    client_id: str
    secret_hash: str
    naam: str
    gemeentecode: str | None = None
    agb: str | None = None

    def tenant(self) -> Tenant:
        if self.agb:
            return Tenant.aanbieder(Role.SYSTEEM, f"partner:{self.client_id}", self.agb)
        return Tenant.gemeente(Role.SYSTEEM, f"partner:{self.client_id}", [self.gemeentecode or ""])


def load_partner_clients(path: str) -> dict[str, PartnerClient]:
    """The clients of ZK_PARTNER_CLIENTS_FILE (a JSON list); none when the setting is empty."""
    if not path:
        return {}
    clients = {}
    for raw in json.loads(Path(path).read_text(encoding="utf-8")):
        client = PartnerClient(
            client_id=raw["client_id"],
            secret_hash=raw["secret_hash"],
            naam=raw.get("naam", raw["client_id"]),
            gemeentecode=raw.get("gemeentecode"),
            agb=raw.get("agb"),
        )
        client.tenant()  # refuses a client bound to both or neither, or to a malformed code
        clients[client.client_id] = client
    return clients


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    def __init__(self, key: str, ttl_seconds: int):
        self._key = key.encode()
        self.ttl = ttl_seconds

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, client: PartnerClient, now: float | None = None) -> str:
        claims = {"sub": client.client_id, "exp": int((now or time.time()) + self.ttl)}
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"zk1.{payload}.{self._sign(payload)}"

    def verify(self, token: str, now: float | None = None) -> str:
        """The client_id of a valid, unexpired token; AuthError otherwise."""
        try:
            version, payload, signature = token.split(".")
        except ValueError:
            raise AuthError("the access token is malformed") from None
        if version != "zk1" or not hmac.compare_digest(signature, self._sign(payload)):
            raise AuthError("the access token is not valid")
        claims = json.loads(_unb64(payload))
        if claims["exp"] < (now or time.time()):
            raise AuthError("the access token has expired; request a new one at /oauth/token")
        return claims["sub"]
