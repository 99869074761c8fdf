"""`python -m edge`: serves the edge with uvicorn on ZK_EDGE_HOST:ZK_EDGE_PORT."""

import sys

import uvicorn

from edge.app import create_app
from runtime import settings as settings_mod, telemetry


def main() -> None:
    try:
        cfg = settings_mod.load(settings_mod.EDGE_SETTINGS)
    except settings_mod.SettingsError as exc:
        sys.stderr.write(f"edge: {exc}\n")
        raise SystemExit(2) from None
    telemetry.setup_logging("edge", cfg.log_level)
    telemetry.setup_tracing("edge", cfg.otlp_endpoint)
    telemetry.instrument_grpc()
    app = create_app(cfg)
    if cfg.otlp_endpoint:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(app)
    uvicorn.run(app, host=cfg.edge_host, port=cfg.edge_port, log_config=None, access_log=False, timeout_graceful_shutdown=10)


if __name__ == "__main__":
    main()
