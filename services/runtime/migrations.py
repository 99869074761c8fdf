"""Alembic migrations, one history per service in `services/<service>/migrations/`.

`upgrade()` runs a service's migrations to head. Each service's `migrations/env.py` calls
`run_env(metadata)`, which creates the service's schema, keeps the version table inside it, and
takes an advisory lock so two replicas starting together do not migrate at the same time.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.pool import NullPool

from runtime.db import driver_url


def alembic_config(migrations_dir: Path, url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.attributes["url"] = driver_url(url)
    return cfg


def upgrade(migrations_dir: Path, url: str, revision: str = "heads") -> None:
    """Upgrades to every head: parallel branches of one service's history are each applied."""
    from alembic import command

    command.upgrade(alembic_config(migrations_dir, url), revision)


def run_env(metadata: MetaData) -> None:
    """The body of every service's migrations/env.py (online mode only)."""
    from alembic import context

    schema = metadata.schema
    assert schema, "a service's MetaData names its schema"
    engine = create_engine(context.config.attributes["url"], poolclass=NullPool)
    lock_key = zlib.crc32(f"zorgketen-migrate-{schema}".encode())
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key})
        try:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            conn.commit()
            context.configure(connection=conn, target_metadata=metadata, version_table_schema=schema)
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
            conn.commit()
    engine.dispose()


def create_runtime_tables(schema: str) -> None:
    """Creates the runtime's outbox, processed_event and dead_event tables (for a first migration)."""
    from alembic import op

    from runtime.db import service_metadata

    metadata = service_metadata(schema)
    for name in ("outbox", "processed_event", "dead_event"):
        metadata.tables[f"{schema}.{name}"].create(bind=op.get_bind())
