"""The period-close bench's generator (declaratie.bench): its 323s pass levels 1 and 2 of the hub, so they
reach the declaratiecontrole, and carry the errors it injects."""

from __future__ import annotations

from datetime import date

from berichten.controle import Controleur
from berichten.domain import model
from declaratie.bench import FOUTEN, maak_regio


def test_generated_323s_pass_levels_1_and_2_and_carry_the_injected_errors():
    regio = maak_regio(prestaties=2000, clienten=200, seed=7)
    assert len(regio.berichten) == 200 and 1900 <= regio.prestaties <= 2100
    assert set(regio.ingebracht) <= set(FOUTEN) and sum(regio.ingebracht.values()) > 0
    controleur = Controleur()
    for b in regio.berichten[::20]:
        uitslag = controleur.controleer(b.xml, date.today())
        assert uitslag.geaccepteerd, (uitslag.decoded.xsd_fouten[:3], uitslag.bevindingen[:3])
        bericht = uitslag.decoded.bericht
        assert isinstance(bericht, model.DeclaratieBericht)
        assert bericht.header.afzender == b.agb and bericht.header.ontvanger == b.gemeentecode
        assert sum(len(c.prestaties) for c in bericht.declaratie.clienten) == b.prestaties
