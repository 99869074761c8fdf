"""A small but real OpenID Connect provider for tests and local use (never deployed).

It serves real HTTP on 127.0.0.1 (a thread in the calling process): discovery, a JWKS with a fresh
RSA and EC P-256 key, an authorization endpoint with a login form, a token endpoint that checks the
client secret, the redirect URI, the one-time code and the PKCE verifier (S256), and an
end_session_endpoint. id_tokens are signed JWTs (RS256 by default, ES256 on request).

A test can make the next id_tokens wrong on purpose (`provider.manipulatie`): expired, for another
audience, with another nonce or issuer, signed by a key outside the JWKS, or altered after signing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devstack.infra import free_port

MANIPULATIES = ("verlopen", "andere_aud", "andere_nonce", "andere_iss", "onbekende_sleutel", "gewijzigd")


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    gebruiker: str
    uitgegeven: float


@dataclass
class OidcProvider:
    client_id: str
    client_secret: str
    redirect_uri: str
    users: dict[str, dict[str, Any]]  # gebruiker → extra claims of the id_token (sub is the gebruiker)
    alg: str = "RS256"
    manipulatie: str = ""
    port: int = field(default_factory=free_port)
    uitgegeven: list[dict[str, Any]] = field(default_factory=list)  # the claims of every id_token issued
    uitgelogd: int = 0

    def __post_init__(self) -> None:
        self.issuer = f"http://127.0.0.1:{self.port}"
        self._rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._ec = ec.generate_private_key(ec.SECP256R1())
        self._vreemd = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # not in the JWKS
        self._codes: dict[str, _Code] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ---- lifecycle ----
    def start(self) -> OidcProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                provider._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                provider._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="oidc-provider").start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def edge_env(self) -> dict[str, str]:
        """The edge's ZK_OIDC_* settings for this provider."""
        return {
            "ZK_OIDC_ISSUER": self.issuer,
            "ZK_OIDC_CLIENT_ID": self.client_id,
            "ZK_OIDC_CLIENT_SECRET": self.client_secret,
            "ZK_OIDC_REDIRECT_URI": self.redirect_uri,
        }

    # ---- keys and tokens ----
    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, alg, key in (("rsa-1", "RS256", self._rsa), ("ec-1", "ES256", self._ec)):
            jwk = json.loads((jwt.algorithms.RSAAlgorithm if alg == "RS256" else jwt.algorithms.ECAlgorithm).to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "alg": alg, "use": "sig"})
        return {"keys": keys}

    def id_token(self, gebruiker: str, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": gebruiker,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "auth_time": now,
            **self.users[gebruiker],
        }
        m = self.manipulatie
        if m == "verlopen":
            claims["iat"], claims["exp"] = now - 3600, now - 600
        elif m == "andere_aud":
            claims["aud"] = "een-ander-portaal"
        elif m == "andere_nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif m == "andere_iss":
            claims["iss"] = "http://127.0.0.1:9/nep"
        self.uitgegeven.append(claims)
        if m == "onbekende_sleutel":
            return jwt.encode(claims, self._vreemd, algorithm="RS256", headers={"kid": "rsa-1"})
        key, kid = (self._rsa, "rsa-1") if self.alg == "RS256" else (self._ec, "ec-1")
        token = jwt.encode(claims, key, algorithm=self.alg, headers={"kid": kid})
        if m == "gewijzigd":  # another role in the payload, the original signature kept
            header, payload, signature = token.split(".")
            changed = {**claims, "zk_rol": "beheerder"}
            payload = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
            token = f"{header}.{payload}.{signature}"
        return token

    # ---- HTTP ----
    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(request.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body: dict[str, str] = {}
        if method == "POST":
            length = int(request.headers.get("Content-Length") or 0)
            body = {k: v[0] for k, v in parse_qs(request.rfile.read(length).decode()).items()}
        route = (method, url.path)
        if route == ("GET", "/.well-known/openid-configuration"):
            return self._json(request, 200, self.discovery())
        if route == ("GET", "/jwks"):
            return self._json(request, 200, self.jwks())
        if route == ("GET", "/authorize"):
            return self._authorize_form(request, query)
        if route == ("POST", "/authorize"):
            return self._authorize(request, body)
        if route == ("POST", "/token"):
            return self._token(request, body)
        if route == ("GET", "/logout"):
            self.uitgelogd += 1
            target = query.get("post_logout_redirect_uri")
            if target:
                return self._redirect(request, target)
            return self._html(request, 200, "<p>U bent uitgelogd bij de inlogdienst.</p>")
        return self._json(request, 404, {"error": "not_found"})

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": ["openid", "profile"],
        }

    def _authorize_form(self, request: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        problem = self._check_authorize(query)
        if problem:
            return self._html(request, 400, f"<p>{html.escape(problem)}</p>")
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items())
        page = (
            '<h1>Inlogdienst (test)</h1><form method="post" action="/authorize">'
            f'{hidden}<label for="gebruiker">Gebruiker</label> <input id="gebruiker" name="gebruiker" required>'
            '<button type="submit">Aanmelden</button></form>'
        )
        self._html(request, 200, page)

    def _check_authorize(self, query: dict[str, str]) -> str:
        if query.get("client_id") != self.client_id:
            return "unknown client_id"
        if query.get("redirect_uri") != self.redirect_uri:
            return "redirect_uri is not registered"
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return "response_type must be code and scope must hold openid"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "PKCE with S256 is required"
        if not query.get("state") or not query.get("nonce"):
            return "state and nonce are required"
        return ""

    def _authorize(self, request: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        problem = self._check_authorize(form)
        if problem:
            return self._html(request, 400, f"<p>{html.escape(problem)}</p>")
        gebruiker = form.get("gebruiker", "")
        if gebruiker not in self.users:
            return self._redirect(request, f"{self.redirect_uri}?{urlencode({'error': 'access_denied', 'state': form['state']})}")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Code(form["client_id"], form["redirect_uri"], form["code_challenge"], form["nonce"], gebruiker, time.time())
        self._redirect(request, f"{self.redirect_uri}?{urlencode({'code': code, 'state': form['state']})}")

    def _token(self, request: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        auth = request.headers.get("Authorization", "")
        try:
            client_id, _, secret = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
        except ValueError:
            client_id, secret = "", ""
        if client_id != self.client_id or not secrets.compare_digest(secret, self.client_secret):
            return self._json(request, 401, {"error": "invalid_client"})
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code is used once
        if form.get("grant_type") != "authorization_code" or grant is None or time.time() - grant.uitgegeven > 60:
            return self._json(request, 400, {"error": "invalid_grant"})
        if form.get("redirect_uri") != grant.redirect_uri:
            return self._json(request, 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"})
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != grant.challenge:
            return self._json(request, 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        self._json(request, 200, {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300, "id_token": self.id_token(grant.gebruiker, grant.nonce)})

    @staticmethod
    def _json(request: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Cache-Control", "no-store")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    @staticmethod
    def _html(request: BaseHTTPRequestHandler, status: int, body: str) -> None:
        data = f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Inlogdienst</title></head><body>{body}</body></html>'.encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    @staticmethod
    def _redirect(request: BaseHTTPRequestHandler, location: str) -> None:
        request.send_response(302)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()
