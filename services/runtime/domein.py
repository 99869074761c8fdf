"""The few domain words every service shares: the wet a product falls under and its uitvoeringsvariant.

Everything else of the domain lives in the service that owns it; these two are facts of a contract
(declaratie), a beschikking (indicatie) and a toewijzing (toewijzing) alike, and travel in events.
"""

from __future__ import annotations

from enum import StrEnum


class Wet(StrEnum):
    WMO = "wmo"
    JEUGDWET = "jeugdwet"


class Uitvoeringsvariant(StrEnum):
    """Per product the contract fixes how it is delivered and paid (UP026, UP028, OP261)."""

    INSPANNINGSGERICHT = "inspanningsgericht"
    OUTPUTGERICHT = "outputgericht"
    TAAKGERICHT = "taakgericht"
