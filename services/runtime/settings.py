"""Settings from environment variables, declared once with a description each.

Every process reads its settings at start-up through `load()`, which fails fast with one message
naming every missing or malformed variable. Secrets have a development default only: outside
``ZK_ENV=development`` a missing secret, or one equal to a development default, is refused.

`python -m runtime.settings` prints the configuration reference (docs/configuration.md).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

ENVIRONMENTS = ("development", "test", "production")


class SettingsError(RuntimeError):
    """Raised when the environment does not describe a runnable configuration."""


def _parse_env(value: str) -> str:
    if value not in ENVIRONMENTS:
        raise ValueError(f"must be one of {', '.join(ENVIRONMENTS)}")
    return value


def parse_address(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must be host:port, e.g. 127.0.0.1:50051")
    return value


def parse_port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError("must be a TCP port number (1-65535)")
    return int(value)


def parse_postgres_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("postgresql", "postgresql+psycopg"):
        raise ValueError("must be a postgresql:// URL, e.g. postgresql://user:pw@host:5432/zorgketen")
    if not parts.hostname or not parts.path.strip("/"):
        raise ValueError("must name a host and a database")
    return value


def parse_nats_url(value: str) -> str:
    for part in value.split(","):
        if urlsplit(part.strip()).scheme not in ("nats", "tls"):
            raise ValueError("must be nats:// URL(s), comma-separated, e.g. nats://127.0.0.1:4222")
    return value


def parse_positive_int(value: str) -> int:
    if not value.isdigit() or int(value) <= 0:
        raise ValueError("must be a whole number above 0")
    return int(value)


def parse_positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a number") from None
    if number <= 0:
        raise ValueError("must be above 0")
    return number


def parse_optional_postgres_url(value: str) -> str:
    return parse_postgres_url(value) if value else value


def parse_optional_json_object(value: str) -> dict[str, str]:
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        raise ValueError("must be a JSON object, e.g. {\"groep\": \"gemeente_consulent\"}") from None
    if not isinstance(parsed, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()):
        raise ValueError("must be a JSON object of strings to strings")
    return parsed


def parse_log_level(value: str) -> str:
    level = value.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
    return level


def parse_optional_url(value: str) -> str:
    if value and not urlsplit(value).scheme.startswith("http"):
        raise ValueError("must be an http(s):// URL")
    return value


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, what it is for, and how to read it."""

    name: str
    description: str
    parse: Callable[[str], Any] = str
    default: str | None = None
    secret: bool = False
    dev_default: str | None = None  # for secrets only: used (and only allowed) in development
    attribute: str = field(default="")

    def key(self) -> str:
        return self.attribute or self.name.removeprefix("ZK_").lower()


ENV = Setting(
    "ZK_ENV",
    "Deployment kind: development, test or production. Secrets have defaults only in development.",
    _parse_env,
    default="production",
)
LOG_LEVEL = Setting("ZK_LOG_LEVEL", "Log level: DEBUG, INFO, WARNING or ERROR.", parse_log_level, "INFO")
INTERNAL_TOKEN = Setting(
    "ZK_INTERNAL_TOKEN",
    "Shared secret the edge sends to the services in gRPC metadata; services refuse calls without it.",
    secret=True,
    dev_default="dev-internal-token-not-for-production",
)
OTLP_ENDPOINT = Setting(
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTLP collector for traces (e.g. http://otel-collector:4317). Tracing is off when empty.",
    parse_optional_url,
    default="",
    attribute="otlp_endpoint",
)

DATABASE_URL = Setting(
    "ZK_DATABASE_URL",
    "PostgreSQL URL; the service keeps its tables in a schema named after itself.",
    parse_postgres_url,
)

# `python -m <service> migrate` needs only these
MIGRATE_SETTINGS: tuple[Setting, ...] = (ENV, LOG_LEVEL, DATABASE_URL)

SERVICE_SETTINGS: tuple[Setting, ...] = (
    ENV,
    LOG_LEVEL,
    DATABASE_URL,
    Setting("ZK_NATS_URL", "NATS server URL(s) with JetStream enabled, comma-separated.", parse_nats_url),
    Setting("ZK_GRPC_LISTEN", "host:port the service's gRPC server listens on.", parse_address),
    Setting(
        "ZK_EVENT_ACK_WAIT_SECONDS",
        "Seconds an event may be in handling before JetStream delivers it again (a crashed consumer's events come back after this).",
        parse_positive_float,
        default="30",
    ),
    INTERNAL_TOKEN,
    OTLP_ENDPOINT,
)

SERVICE_NAMES = ("indicatie", "toewijzing", "declaratie", "berichten", "rapportage")

# The address of each service, for the edge and for a service that calls another (its `peers`).
SERVICE_ADDRESSES: dict[str, Setting] = {
    name: Setting(f"ZK_{name.upper()}_ADDR", f"host:port of the {name} service's gRPC server.", parse_address) for name in SERVICE_NAMES
}
# Which services a service calls over gRPC (besides events): it needs their addresses.
SERVICE_PEERS: dict[str, tuple[str, ...]] = {"toewijzing": ("berichten", "indicatie"), "declaratie": ("berichten",)}


# Settings only one service reads.
SERVICE_OWN_SETTINGS: dict[str, tuple[Setting, ...]] = {
    "indicatie": (
        Setting(
            "ZK_INDICATIE_SIGNAAL_INTERVAL_SECONDS",
            "Seconds between two rounds of the indicatie service's check for signalen past their deadline (each is published once as indicatie.signaal.verlopen).",
            parse_positive_float,
            default="60",
        ),
    ),
}


def settings_of_service(name: str) -> tuple[Setting, ...]:
    return (*SERVICE_SETTINGS, *SERVICE_OWN_SETTINGS.get(name, ()), *(SERVICE_ADDRESSES[peer] for peer in SERVICE_PEERS.get(name, ())))


EDGE_SETTINGS: tuple[Setting, ...] = (
    ENV,
    LOG_LEVEL,
    Setting("ZK_EDGE_HOST", "Interface the edge listens on.", default="127.0.0.1"),
    Setting("ZK_EDGE_PORT", "TCP port the edge listens on.", parse_port, default="8000"),
    *SERVICE_ADDRESSES.values(),
    INTERNAL_TOKEN,
    Setting(
        "ZK_EDGE_TOKEN_SECRET",
        "Key that signs the edge's access tokens (OAuth2 client credentials for partner systems).",
        secret=True,
        dev_default="dev-token-secret-not-for-production",
    ),
    Setting(
        "ZK_PARTNER_CLIENTS_FILE",
        "JSON file of the partner systems' OAuth2 clients (client_id, scrypt hash of the secret, gemeentecode or agb). Empty: no partner access.",
        default="",
    ),
    Setting("ZK_TOKEN_TTL_SECONDS", "Lifetime of an access token in seconds.", parse_positive_int, default="3600"),
    Setting(
        "ZK_PORTAL_SESSION_SECRET",
        "Key that signs the portal's session cookies.",
        secret=True,
        dev_default="dev-portal-session-secret-not-for-production",
    ),
    Setting(
        "ZK_PORTAL_SESSION_TTL_SECONDS",
        "Lifetime of a portal session in seconds without activity; the page warns before it ends and can extend it.",
        parse_positive_int,
        default="1800",
    ),
    Setting(
        "ZK_PORTAL_SESSION_WARN_SECONDS",
        "How many seconds before a portal session ends the page warns and offers to extend it.",
        parse_positive_int,
        default="300",
    ),
    Setting(
        "ZK_PORTAL_USERS_FILE",
        "JSON file of the portal's built-in users (gebruikersnaam, naam, rol, gemeentecodes or agb, scrypt hash of the wachtwoord)."
        " The built-in login is on only with ZK_ENV=development or when this file is set; `make run` writes the demo users.",
        default="",
    ),
    Setting(
        "ZK_PORTAL_SESSION_MAX_SECONDS",
        "Longest a portal session may last however active the user is; afterwards the edge refuses its cookie and the user logs in again.",
        parse_positive_int,
        default="43200",
    ),
    Setting(
        "ZK_DATABASE_URL",
        "PostgreSQL URL; the edge keeps its own schema `edge` (the portal's login state: server-side sessions, so a logout or a"
        " beheerder's action ends a session in every edge process). Empty: the edge serves the partner API only, no portal.",
        parse_optional_postgres_url,
        default="",
    ),
    Setting(
        "ZK_OIDC_ISSUER",
        "OpenID Connect issuer URL for the portal login (authorization code flow with PKCE; discovery at"
        " <issuer>/.well-known/openid-configuration). https, or http on 127.0.0.1/localhost only. Empty: no OIDC login.",
        parse_optional_url,
        default="",
    ),
    Setting("ZK_OIDC_CLIENT_ID", "The portal's OpenID Connect client id at ZK_OIDC_ISSUER (the `aud` of its id_tokens).", default=""),
    Setting("ZK_OIDC_CLIENT_SECRET", "The portal's OpenID Connect client secret (a secret; needed only with ZK_OIDC_ISSUER).", default=""),
    Setting(
        "ZK_OIDC_REDIRECT_URI",
        "The portal's redirect URI registered at the issuer; it must end in /portal/oidc/terug (e.g. https://zorgketen.example/portal/oidc/terug).",
        parse_optional_url,
        default="",
    ),
    Setting("ZK_OIDC_SCOPES", "Scopes asked for besides `openid`, space-separated.", default="profile"),
    Setting(
        "ZK_OIDC_ROLE_CLAIM",
        "id_token claim with the user's portal role: one of gemeente_consulent, contractmanager, financieel_medewerker,"
        " regionaal_backoffice, aanbieder_medewerker, beheerder (or a value that ZK_OIDC_ROLE_MAP maps to one). A list is allowed if it holds exactly one known role.",
        default="zk_rol",
    ),
    Setting(
        "ZK_OIDC_ROLE_MAP",
        'JSON object from the issuer\'s role (or group) values to portal roles, e.g. {"wmo-consulenten": "gemeente_consulent"}. Empty: the claim holds the portal role itself.',
        parse_optional_json_object,
        default="",
    ),
    Setting("ZK_OIDC_GEMEENTEN_CLAIM", "id_token claim with the user's gemeentecode(s) (a list, or a space- or comma-separated string).", default="zk_gemeentecodes"),
    Setting("ZK_OIDC_AGB_CLAIM", "id_token claim with the AGB code of an aanbieder medewerker.", default="zk_agb"),
    Setting("ZK_OIDC_NAME_CLAIM", "id_token claim with the user's name as the portal shows it (falls back to `sub`).", default="name"),
    OTLP_ENDPOINT,
)


class Settings:
    """The values read for one process; attribute names are the variable names without ZK_, lowercased."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def development(self) -> bool:
        return self._values.get("env") == "development"

    def __repr__(self) -> str:
        return "Settings(...)"  # never print secrets


def load(specs: Sequence[Setting], environ: Mapping[str, str] | None = None) -> Settings:
    """Reads every setting in `specs`; raises SettingsError naming each problem at once."""
    environ = os.environ if environ is None else environ
    env_raw = environ.get(ENV.name, ENV.default or "")
    problems: list[str] = []
    values: dict[str, Any] = {}
    for spec in specs:
        raw = environ.get(spec.name)
        if raw is None or (spec.secret and raw == ""):
            if spec.secret:
                if env_raw == "development" and spec.dev_default is not None:
                    raw = spec.dev_default
                else:
                    problems.append(f"{spec.name} is missing (a secret, required outside development): {spec.description}")
                    continue
            elif spec.default is not None:
                raw = spec.default
            else:
                problems.append(f"{spec.name} is missing: {spec.description}")
                continue
        elif spec.secret and env_raw != "development" and raw == spec.dev_default:
            problems.append(f"{spec.name} is the development default, which is refused when ZK_ENV={env_raw}")
            continue
        try:
            values[spec.key()] = spec.parse(raw)
        except ValueError as exc:
            shown = "(secret)" if spec.secret else repr(raw)
            problems.append(f"{spec.name}={shown} is wrong: {exc}")
    if problems:
        raise SettingsError("Configuration problems:\n  - " + "\n  - ".join(problems))
    return Settings(values)


def reference_markdown() -> str:
    """The configuration reference as a Markdown page."""
    lines = [
        "# Configuration reference",
        "",
        "Generated by `python -m runtime.settings`; a test keeps this page in sync with the code.",
        "",
    ]
    for title, specs in (("Every service (indicatie, toewijzing, declaratie, berichten, rapportage)", SERVICE_SETTINGS), ("The edge", EDGE_SETTINGS)):
        lines += [f"## {title}", "", "| variable | default | description |", "|---|---|---|"]
        for spec in specs:
            if spec.secret:
                default = "secret; development default only"
            elif spec.default is None:
                default = "required"
            else:
                default = f"`{spec.default}`" if spec.default else "empty"
            lines.append(f"| `{spec.name}` | {default} | {spec.description} |")
        lines.append("")
    for name, specs in SERVICE_OWN_SETTINGS.items():
        lines += [f"## Only the {name} service", "", "| variable | default | description |", "|---|---|---|"]
        lines += [f"| `{spec.name}` | `{spec.default}` | {spec.description} |" for spec in specs]
        lines.append("")
    for name, peers in SERVICE_PEERS.items():
        lines += [f"The {name} service also needs the address of the services it calls: " + ", ".join(f"`{SERVICE_ADDRESSES[p].name}`" for p in peers) + ".", ""]
    return "\n".join(lines)


def main() -> None:
    sys.stdout.write(reference_markdown())


if __name__ == "__main__":
    main()
