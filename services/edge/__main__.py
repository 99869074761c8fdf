"""`python -m edge [serve|migrate]`: serves the edge with uvicorn on ZK_EDGE_HOST:ZK_EDGE_PORT, or
migrates its own schema `edge` (the portal's login state) in ZK_DATABASE_URL."""

import argparse
import sys
from pathlib import Path

import uvicorn

from edge.app import create_app
from runtime import migrations, settings as settings_mod, telemetry

MIGRATIONS = Path(__file__).parent / "migrations"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m edge", description="The Zorgketen edge: the portal and the partner API.")
    parser.add_argument("command", nargs="?", default="serve", choices=("serve", "migrate"))
    args = parser.parse_args()
    try:
        cfg = settings_mod.load(settings_mod.MIGRATE_SETTINGS if args.command == "migrate" else settings_mod.EDGE_SETTINGS)
    except settings_mod.SettingsError as exc:
        sys.stderr.write(f"edge: {exc}\n")
        raise SystemExit(2) from None
    telemetry.setup_logging("edge", cfg.log_level)
    if args.command == "migrate":
        migrations.upgrade(MIGRATIONS, cfg.database_url)
        return
    telemetry.setup_tracing("edge", cfg.otlp_endpoint)
    telemetry.instrument_grpc()
    try:
        app = create_app(cfg)
    except settings_mod.SettingsError as exc:
        sys.stderr.write(f"edge: {exc}\n")
        raise SystemExit(2) from None
    if cfg.otlp_endpoint:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(app)
    uvicorn.run(app, host=cfg.edge_host, port=cfg.edge_port, log_config=None, access_log=False, timeout_graceful_shutdown=10)


if __name__ == "__main__":
    main()
