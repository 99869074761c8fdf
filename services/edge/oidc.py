"""OpenID Connect for the portal: the authorization code flow with PKCE against ZK_OIDC_ISSUER.

- Discovery: `<issuer>/.well-known/openid-configuration` (its `issuer` must equal ZK_OIDC_ISSUER),
  kept for an hour; the issuer's JWKS is fetched again when an id_token names an unknown key (rotation).
- The id_token's signature is checked against the JWKS (RS256 or ES256 only: never `none` nor an
  HMAC algorithm), and its `iss`, `aud` (= ZK_OIDC_CLIENT_ID; `azp` too when there are several),
  `exp`, `iat` and `nonce` (60 s leeway for clocks).
- The claims become a portal user: the role from ZK_OIDC_ROLE_CLAIM (through ZK_OIDC_ROLE_MAP when
  set), gemeentecode(s) from ZK_OIDC_GEMEENTEN_CLAIM or the AGB code from ZK_OIDC_AGB_CLAIM, the
  name from ZK_OIDC_NAME_CLAIM. A user without a known role or without a party is refused.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import jwt

from edge.portal.users import PortalUser
from runtime.settings import Settings, SettingsError
from runtime.tenancy import Role, TenancyError

log = logging.getLogger(__name__)

ALGORITHMS = ("RS256", "ES256")
LEEWAY_SECONDS = 60
DISCOVERY_TTL_SECONDS = 3600
CALLBACK_PATH = "/portal/oidc/terug"


class OidcFout(Exception):
    """A login that cannot go on: `uitleg` is for the user (Dutch), `reden` for the log."""

    def __init__(self, status: int, uitleg: str, reden: str):
        super().__init__(reden)
        self.status = status
        self.uitleg = uitleg
        self.reden = reden


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: tuple[str, ...]
    role_claim: str
    role_map: dict[str, str] = field(default_factory=dict)
    gemeenten_claim: str = "zk_gemeentecodes"
    agb_claim: str = "zk_agb"
    name_claim: str = "name"

    @classmethod
    def from_settings(cls, cfg: Settings) -> OidcConfig | None:
        """None without ZK_OIDC_ISSUER; SettingsError naming each problem of an incomplete configuration."""
        if not cfg.oidc_issuer:
            return None
        problems = []
        issuer = cfg.oidc_issuer.rstrip("/")
        parts = urlsplit(issuer)
        if parts.scheme != "https" and not _loopback(parts.hostname or ""):
            problems.append("ZK_OIDC_ISSUER must be an https:// URL (http only on 127.0.0.1 or localhost)")
        for name, value in (("ZK_OIDC_CLIENT_ID", cfg.oidc_client_id), ("ZK_OIDC_CLIENT_SECRET", cfg.oidc_client_secret), ("ZK_OIDC_REDIRECT_URI", cfg.oidc_redirect_uri)):
            if not value:
                problems.append(f"{name} is needed with ZK_OIDC_ISSUER")
        if cfg.oidc_redirect_uri and not urlsplit(cfg.oidc_redirect_uri).path == CALLBACK_PATH:
            problems.append(f"ZK_OIDC_REDIRECT_URI must end in {CALLBACK_PATH}")
        if not cfg.database_url:
            problems.append("ZK_DATABASE_URL is needed for the portal's sessions")
        unknown = sorted(v for v in cfg.oidc_role_map.values() if v not in {r.value for r in Role} or v == Role.SYSTEEM.value)
        if unknown:
            problems.append(f"ZK_OIDC_ROLE_MAP maps to unknown portal roles: {', '.join(unknown)}")
        if problems:
            raise SettingsError("Configuration problems:\n  - " + "\n  - ".join(problems))
        scopes = tuple(dict.fromkeys(("openid", *cfg.oidc_scopes.split())))
        return cls(
            issuer=issuer,
            client_id=cfg.oidc_client_id,
            client_secret=cfg.oidc_client_secret,
            redirect_uri=cfg.oidc_redirect_uri,
            scopes=scopes,
            role_claim=cfg.oidc_role_claim,
            role_map=dict(cfg.oidc_role_map),
            gemeenten_claim=cfg.oidc_gemeenten_claim,
            agb_claim=cfg.oidc_agb_claim,
            name_claim=cfg.oidc_name_claim,
        )


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier (RFC 7636, 86 characters) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


_NIET_GELUKT = "Inloggen is niet gelukt: "


class OidcClient:
    def __init__(self, config: OidcConfig):
        self.config = config
        self._http: httpx.AsyncClient | None = None
        self._discovery: dict[str, Any] | None = None
        self._discovery_at = 0.0
        self._jwks: jwt.PyJWKSet | None = None

    def open(self) -> None:
        self._http = httpx.AsyncClient(timeout=10, follow_redirects=False)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def _get_json(self, url: str) -> Any:
        assert self._http is not None, "OidcClient.open() was not called"
        try:
            response = await self._http.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcFout(503, "De inlogdienst van uw organisatie antwoordt nu niet. Probeer het over een minuut opnieuw.", f"GET {url}: {exc}") from None

    async def discovery(self) -> dict[str, Any]:
        if self._discovery is None or time.monotonic() - self._discovery_at > DISCOVERY_TTL_SECONDS:
            document = await self._get_json(f"{self.config.issuer}/.well-known/openid-configuration")
            if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != self.config.issuer:
                raise OidcFout(503, "De inlogdienst is verkeerd ingesteld.", f"discovery names issuer {document.get('issuer') if isinstance(document, dict) else None!r}")
            for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(document.get(key), str):
                    raise OidcFout(503, "De inlogdienst is verkeerd ingesteld.", f"discovery lacks {key}")
            self._discovery, self._discovery_at = document, time.monotonic()
        return self._discovery

    async def _keys(self, refresh: bool = False) -> jwt.PyJWKSet:
        if self._jwks is None or refresh:
            document = await self._get_json((await self.discovery())["jwks_uri"])
            try:
                self._jwks = jwt.PyJWKSet.from_dict(document)
            except jwt.PyJWTError as exc:
                raise OidcFout(503, "De inlogdienst is verkeerd ingesteld.", f"JWKS unusable: {exc}") from None
        return self._jwks

    async def authorization_url(self, state: str, nonce: str, challenge: str) -> str:
        endpoint = (await self.discovery())["authorization_endpoint"]
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": self.config.redirect_uri,
                "scope": " ".join(self.config.scopes),
                "state": state,
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def end_session_url(self, post_logout_redirect_uri: str) -> str | None:
        endpoint = (await self.discovery()).get("end_session_endpoint")
        if not isinstance(endpoint, str):
            return None
        query = urlencode({"client_id": self.config.client_id, "post_logout_redirect_uri": post_logout_redirect_uri})
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def exchange(self, code: str, verifier: str) -> str:
        """The id_token for an authorization code (client_secret_basic, with the PKCE verifier)."""
        assert self._http is not None, "OidcClient.open() was not called"
        endpoint = (await self.discovery())["token_endpoint"]
        try:
            response = await self._http.post(
                endpoint,
                data={"grant_type": "authorization_code", "code": code, "redirect_uri": self.config.redirect_uri, "code_verifier": verifier},
                auth=(self.config.client_id, self.config.client_secret),
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise OidcFout(503, "De inlogdienst van uw organisatie antwoordt nu niet. Probeer het over een minuut opnieuw.", f"token endpoint: {exc}") from None
        if response.status_code != 200:
            raise OidcFout(401, _NIET_GELUKT + "de inlogdienst weigerde de inlogcode. Probeer opnieuw in te loggen.", f"token endpoint {response.status_code}: {response.text[:300]}")
        try:
            id_token = response.json()["id_token"]
        except (ValueError, KeyError, TypeError):
            raise OidcFout(401, _NIET_GELUKT + "de inlogdienst stuurde geen identiteitsbewijs (id_token).", "token response without id_token") from None
        if not isinstance(id_token, str):
            raise OidcFout(401, _NIET_GELUKT + "de inlogdienst stuurde geen identiteitsbewijs (id_token).", "id_token is not a string")
        return id_token

    async def verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The claims of an id_token whose signature, issuer, audience, expiry and nonce are right."""
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError:
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs is onleesbaar.", "id_token is not a JWS") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs is niet op een toegestane manier ondertekend.", f"id_token alg {alg!r} refused")
        key = await self._key_for(header.get("kid"), alg)
        try:
            claims = jwt.decode(
                id_token,
                key.key,
                algorithms=[alg],
                audience=self.config.client_id,
                issuer=self.config.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
            )
        except jwt.ExpiredSignatureError:
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs is verlopen. Probeer opnieuw in te loggen.", "id_token expired") from None
        except jwt.InvalidAudienceError:
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs is niet voor dit portaal bestemd.", "id_token aud is not our client id") from None
        except jwt.InvalidIssuerError:
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs komt niet van de ingestelde inlogdienst.", "id_token iss is not our issuer") from None
        except jwt.InvalidSignatureError:
            raise OidcFout(401, _NIET_GELUKT + "de handtekening van het identiteitsbewijs klopt niet.", "id_token signature invalid") from None
        except jwt.PyJWTError as exc:
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs is ongeldig.", f"id_token invalid: {exc}") from None
        if not secrets.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs hoort niet bij deze inlogpoging. Probeer opnieuw in te loggen.", "id_token nonce mismatch")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs is niet voor dit portaal bestemd.", "id_token with several audiences and another azp")
        return claims

    async def _key_for(self, kid: str | None, alg: str) -> jwt.PyJWK:
        for refresh in (False, True):  # an unknown kid: the issuer may have rotated its keys
            keys = [k for k in (await self._keys(refresh)).keys if (kid is None or k.key_id == kid) and k.algorithm_name in (alg, None)]
            if len(keys) == 1 or (keys and kid is not None):
                return keys[0]
        raise OidcFout(401, _NIET_GELUKT + "het identiteitsbewijs is ondertekend met een sleutel die de inlogdienst niet publiceert.", f"no JWKS key for kid {kid!r} alg {alg}")

    def user(self, claims: dict[str, Any]) -> PortalUser:
        """The portal user the claims describe; OidcFout (403) for an unknown role or a missing party."""
        c = self.config
        sub = str(claims["sub"])
        rollen = claims.get(c.role_claim)
        kandidaten = rollen if isinstance(rollen, list) else [rollen] if rollen is not None else []
        bekend = {r.value for r in Role if r is not Role.SYSTEEM}
        gevonden = {c.role_map.get(str(r), str(r) if not c.role_map else "") for r in kandidaten} & bekend
        if len(gevonden) != 1:
            waarde = ", ".join(str(r) for r in kandidaten) or "geen"
            raise OidcFout(
                403,
                f"Uw account heeft geen (eenduidige) rol in het Zorgketen-portaal (claim {c.role_claim}: {waarde}). Vraag uw beheerder om u een rol te geven.",
                f"role claim {c.role_claim}={rollen!r} maps to {sorted(gevonden)}",
            )
        rol = Role(gevonden.pop())
        raw_gemeenten = claims.get(c.gemeenten_claim) or []
        if isinstance(raw_gemeenten, str):
            raw_gemeenten = raw_gemeenten.replace(",", " ").split()
        agb = claims.get(c.agb_claim)
        user = PortalUser(
            gebruikersnaam=f"oidc:{sub}",
            naam=str(claims.get(c.name_claim) or sub),
            rol=rol,
            gemeentecodes=tuple(sorted(str(g) for g in raw_gemeenten)) if not agb else (),
            agb=str(agb) if agb else None,
            bron="oidc",
        )
        try:
            user.tenant()
        except TenancyError as exc:
            raise OidcFout(
                403,
                f"Uw account is niet (goed) aan een gemeente of zorgaanbieder gekoppeld (claims {c.gemeenten_claim} en {c.agb_claim}). Vraag uw beheerder dit na te kijken.",
                f"claims do not make a tenant: {exc}",
            ) from None
        return user

