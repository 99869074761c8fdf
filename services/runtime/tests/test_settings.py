"""Settings fail fast with every problem named, and refuse default secrets outside development."""

from pathlib import Path

import pytest

from runtime.settings import EDGE_SETTINGS, INTERNAL_TOKEN, SERVICE_SETTINGS, SettingsError, load, reference_markdown

VALID = {
    "ZK_DATABASE_URL": "postgresql://zorgketen@db:5432/zorgketen",
    "ZK_NATS_URL": "nats://nats:4222",
    "ZK_GRPC_LISTEN": "0.0.0.0:50051",
    "ZK_INTERNAL_TOKEN": "a-real-secret-from-the-vault",
}


def test_complete_production_environment_loads():
    cfg = load(SERVICE_SETTINGS, VALID)
    assert cfg.env == "production" and not cfg.development
    assert cfg.internal_token == "a-real-secret-from-the-vault"
    assert cfg.event_ack_wait_seconds == 30.0
    assert cfg.otlp_endpoint == ""
    assert "a-real-secret" not in repr(cfg)


def test_every_missing_and_wrong_variable_is_named_at_once():
    with pytest.raises(SettingsError) as error:
        load(SERVICE_SETTINGS, {"ZK_NATS_URL": "http://nats", "ZK_GRPC_LISTEN": "50051", "ZK_EVENT_ACK_WAIT_SECONDS": "-1"})
    message = str(error.value)
    assert "ZK_DATABASE_URL is missing" in message
    assert "ZK_NATS_URL='http://nats' is wrong: must be nats:// URL(s)" in message
    assert "ZK_GRPC_LISTEN='50051' is wrong: must be host:port" in message
    assert "ZK_EVENT_ACK_WAIT_SECONDS='-1' is wrong: must be above 0" in message
    assert "ZK_INTERNAL_TOKEN is missing (a secret, required outside development)" in message


def test_development_secret_is_refused_outside_development():
    with pytest.raises(SettingsError, match="ZK_INTERNAL_TOKEN is the development default, which is refused when ZK_ENV=production"):
        load(SERVICE_SETTINGS, {**VALID, "ZK_INTERNAL_TOKEN": INTERNAL_TOKEN.dev_default})
    with pytest.raises(SettingsError, match="ZK_INTERNAL_TOKEN is the development default"):
        load(SERVICE_SETTINGS, {**VALID, "ZK_ENV": "test", "ZK_INTERNAL_TOKEN": INTERNAL_TOKEN.dev_default})


def test_development_gets_the_development_secret():
    environ = {k: v for k, v in VALID.items() if k != "ZK_INTERNAL_TOKEN"}
    cfg = load(SERVICE_SETTINGS, {**environ, "ZK_ENV": "development"})
    assert cfg.internal_token == INTERNAL_TOKEN.dev_default


def test_unknown_environment_is_refused():
    with pytest.raises(SettingsError, match="ZK_ENV='staging' is wrong: must be one of development, test, production"):
        load(SERVICE_SETTINGS, {**VALID, "ZK_ENV": "staging"})


def test_edge_defaults_to_localhost_8000():
    addresses = {f"ZK_{n}_ADDR": "svc:50051" for n in ("INDICATIE", "TOEWIJZING", "DECLARATIE", "BERICHTEN", "RAPPORTAGE")}
    cfg = load(EDGE_SETTINGS, {**addresses, "ZK_ENV": "development"})
    assert (cfg.edge_host, cfg.edge_port) == ("127.0.0.1", 8000)


def test_configuration_reference_is_current():
    page = Path(__file__).parents[3] / "docs" / "configuration.md"
    assert page.read_text(encoding="utf-8") == reference_markdown(), "run: .venv/bin/python -m runtime.settings > docs/configuration.md"


def test_service_process_refuses_to_start_and_names_what_is_missing():
    import os
    import subprocess
    import sys

    environ = {k: v for k, v in os.environ.items() if not k.startswith("ZK_")}
    result = subprocess.run([sys.executable, "-m", "declaratie"], env={**environ, "ZK_ENV": "production"}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "declaratie: Configuration problems" in result.stderr
    assert "ZK_DATABASE_URL is missing" in result.stderr
    assert "ZK_INTERNAL_TOKEN is missing (a secret, required outside development)" in result.stderr
