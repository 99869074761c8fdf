"""The two lifecycles of a message in the hub, each read in one place.

Processing (`Status`) — incoming: ontvangen -> afgekeurd (a check failed) or geaccepteerd;
geaccepteerd -> verwerkt (judged by its domain); afgekeurd / verwerkt -> retour_verzonden (its answer
waits in the sender's postbus). An XSD-invalid or unreadable message stays afgekeurd: it gets no
retourbericht, its sender gets the error. Outgoing messages (retours, 325s, a domain's 301) are
verzonden.

Delivery (`Levering`) — every message addressed to a party waits in that party's postbus:
klaargezet -> opgehaald (fetched) -> bevestigd (acknowledged; it leaves the postbus).
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
    VERZONDEN = "verzonden"


ALLOWED_STATUS_CHANGES: dict[Status, frozenset[Status]] = {
    Status.ONTVANGEN: frozenset({Status.AFGEKEURD, Status.GEACCEPTEERD}),
    Status.AFGEKEURD: frozenset({Status.RETOUR_VERZONDEN}),
    Status.GEACCEPTEERD: frozenset({Status.VERWERKT}),
    Status.VERWERKT: frozenset({Status.RETOUR_VERZONDEN}),
    Status.RETOUR_VERZONDEN: frozenset(),
    Status.VERZONDEN: frozenset(),
}


class Levering(StrEnum):
    KLAARGEZET = "klaargezet"
    OPGEHAALD = "opgehaald"
    BEVESTIGD = "bevestigd"


ALLOWED_LEVERING_CHANGES: dict[Levering, frozenset[Levering]] = {
    Levering.KLAARGEZET: frozenset({Levering.OPGEHAALD, Levering.BEVESTIGD}),
    Levering.OPGEHAALD: frozenset({Levering.BEVESTIGD}),
    Levering.BEVESTIGD: frozenset(),
}


def check_status_change(van: Status, naar: Status) -> None:
    if naar not in ALLOWED_STATUS_CHANGES[van]:
        raise DomainError(f"a message cannot go from {van} to {naar}")


def check_levering_change(van: Levering, naar: Levering) -> None:
    if naar not in ALLOWED_LEVERING_CHANGES[van]:
        raise DomainError(f"a delivery cannot go from {van} to {naar}")


def path(*statuses: Status) -> list[Status]:
    """A sequence of statuses, checked change by change (the history a message gets in one go)."""
    for van, naar in zip(statuses, statuses[1:]):
        check_status_change(van, naar)
    return list(statuses)
