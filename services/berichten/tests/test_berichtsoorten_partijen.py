"""Who sends and receives a message, from its header; a retour mirrors its heenbericht's header."""

import pytest

from berichten.domain.berichtsoorten import BERICHTSOORTEN, partijen
from berichten.domain.status import Levering, Status, check_levering_change, check_status_change, path
from runtime.errors import DomainError


@pytest.mark.parametrize(
    "soort, afzender, ontvanger",
    [("301", "0363", "65656055"), ("305", "65656055", "0363"), ("302", "65656055", "0363"), ("306", "0363", "65656055"), ("325", "0363", "65656055")],
)
def test_sending_and_receiving_party(soort, afzender, ontvanger):
    header_afzender, header_ontvanger = ("0363", "65656055") if soort in ("301", "302", "325") else ("65656055", "0363")
    p = partijen(BERICHTSOORTEN[soort], header_afzender, header_ontvanger)
    assert (p.afzender, p.ontvanger, p.gemeentecode, p.agb) == (afzender, ontvanger, "0363", "65656055")


def test_status_changes_follow_the_lifecycle():
    assert path(Status.ONTVANGEN, Status.GEACCEPTEERD, Status.VERWERKT, Status.RETOUR_VERZONDEN)[-1] is Status.RETOUR_VERZONDEN
    with pytest.raises(DomainError, match="from afgekeurd to geaccepteerd"):
        check_status_change(Status.AFGEKEURD, Status.GEACCEPTEERD)
    with pytest.raises(DomainError, match="from bevestigd to opgehaald"):
        check_levering_change(Levering.BEVESTIGD, Levering.OPGEHAALD)
