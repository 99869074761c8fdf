"""An event recorded in a unit of work carries the trace context of the change that raised it."""

import asyncio

from opentelemetry.sdk.trace import TracerProvider

from runtime.db import UnitOfWork


def test_publish_records_the_current_trace_context_in_the_event_headers():
    tracer = TracerProvider().get_tracer("test")
    uow = UnitOfWork(sessions=None, outbox=None, source="indicatie", written=asyncio.Event())  # type: ignore[arg-type]
    with tracer.start_as_current_span("registreer client") as span:
        event = uow.publish("indicatie.client.geregistreerd", {"bsn": "999900006"}, gemeentecode="0356")
    row = uow._pending[0]
    trace_id = format(span.get_span_context().trace_id, "032x")
    assert row["headers"]["traceparent"].split("-")[1] == trace_id
    assert row["event_id"] == event.id and row["payload"]["gemeentecode"] == "0356"
