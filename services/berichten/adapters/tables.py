"""The berichten schema's tables (so far only the runtime's outbox and event bookkeeping)."""

from runtime.db import service_metadata

metadata = service_metadata("berichten")
