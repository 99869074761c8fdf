"""The event envelope every service publishes, and the JetStream streams that carry events.

An event is a fact that happened in one service (`indicatie.client.geregistreerd`). Its `id` is the
de-duplication key twice over: JetStream drops a re-publish with the same `Nats-Msg-Id` within the
stream's duplicate window, and consumers record handled ids so a redelivery is never applied twice.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

# One stream per publishing service; subjects start with the service's name.
STREAMS: dict[str, tuple[str, ...]] = {
    "INDICATIE": ("indicatie.>",),
    "TOEWIJZING": ("toewijzing.>",),
    "DECLARATIE": ("declaratie.>",),
    "BERICHTEN": ("bericht.>",),
}
DUPLICATE_WINDOW_SECONDS = 600


def stream_for(subject: str) -> str:
    prefix = subject.split(".", 1)[0]
    for name, subjects in STREAMS.items():
        if any(s.split(".", 1)[0] == prefix for s in subjects):
            return name
    raise ValueError(f"no stream carries subject {subject!r}")


@dataclass(frozen=True)
class Event:
    subject: str
    data: dict[str, Any]
    source: str
    gemeentecode: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "source": self.source,
            "occurred_at": self.occurred_at,
            "gemeentecode": self.gemeentecode,
            "data": self.data,
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Event:
        return cls(
            id=raw["id"],
            subject=raw["subject"],
            source=raw["source"],
            occurred_at=raw["occurred_at"],
            gemeentecode=raw.get("gemeentecode"),
            data=raw["data"],
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> Event:
        return cls.from_json(json.loads(raw))
