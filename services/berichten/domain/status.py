"""The lifecycle of a message in the hub, read in one place.

Incoming: ontvangen -> afgekeurd (a check failed) or geaccepteerd; geaccepteerd -> verwerkt (the
domain has judged it); afgekeurd / verwerkt -> retour_verzonden (its answer is in the sender's
postbus). An XSD-invalid or unreadable message stays afgekeurd: it gets no retourbericht.
Outgoing: klaargezet (in the receiver's postbus) -> opgehaald (fetched) -> bevestigd (acknowledged;
it leaves the postbus).
"""

from __future__ import annotations

from enum import StrEnum

from runtime.errors import DomainError


class Status(StrEnum):
    ONTVANGEN = "ontvangen"
    AFGEKEURD = "afgekeurd"
    GEACCEPTEERD = "geaccepteerd"
    VERWERKT = "verwerkt"
    RETOUR_VERZONDEN = "retour_verzonden"
    KLAARGEZET = "klaargezet"
    OPGEHAALD = "opgehaald"
    BEVESTIGD = "bevestigd"


ALLOWED_STATUS_CHANGES: dict[Status, frozenset[Status]] = {
    Status.ONTVANGEN: frozenset({Status.AFGEKEURD, Status.GEACCEPTEERD}),
    Status.AFGEKEURD: frozenset({Status.RETOUR_VERZONDEN}),
    Status.GEACCEPTEERD: frozenset({Status.VERWERKT}),
    Status.VERWERKT: frozenset({Status.RETOUR_VERZONDEN}),
    Status.RETOUR_VERZONDEN: frozenset(),
    Status.KLAARGEZET: frozenset({Status.OPGEHAALD, Status.BEVESTIGD}),
    Status.OPGEHAALD: frozenset({Status.BEVESTIGD}),
    Status.BEVESTIGD: frozenset(),
}

IN_POSTBUS = (Status.KLAARGEZET, Status.OPGEHAALD)


def check_status_change(van: Status, naar: Status) -> None:
    if naar not in ALLOWED_STATUS_CHANGES[van]:
        raise DomainError(f"a message cannot go from {van} to {naar}")


def path(*statuses: Status) -> list[Status]:
    """A sequence of statuses, checked change by change (the history a message gets in one go)."""
    for van, naar in zip(statuses, statuses[1:]):
        check_status_change(van, naar)
    return list(statuses)
