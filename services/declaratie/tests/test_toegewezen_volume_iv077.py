"""IV077 / IV078: the maximum volume per ProductPeriode and over the toewijzing, with the standard's own examples."""

from __future__ import annotations

from datetime import date

from declaratie.domain.toewijzingstand import Omvang
from declaratie.domain.volume import kalenderweken, maximaal_in_productperiode, maximaal_in_toewijzing, zondagen
from declaratie.tests.declaratie_voorbeelden import toewijzing
from runtime.domein import Uitvoeringsvariant, Wet

J = Wet.JEUGDWET


def test_inspanningsgericht_per_week_telt_kalenderweken() -> None:
    """IV077: 3 uur per week, 11-10-2022 t/m 28-12-2022: Oct 4 weeks (41–44) 12, Nov 5 (44–48) 15, Dec 5 (48–52) 15; total 12 weeks = 36."""
    t = toewijzing(ingangsdatum=date(2022, 10, 11), einddatum=date(2022, 12, 28), omvang=Omvang(3, "04", "2"))
    assert maximaal_in_productperiode(t, J, date(2022, 10, 11), date(2022, 10, 31)) == 12
    assert maximaal_in_productperiode(t, J, date(2022, 11, 1), date(2022, 11, 30)) == 15
    assert maximaal_in_productperiode(t, J, date(2022, 12, 1), date(2022, 12, 28)) == 15
    assert maximaal_in_toewijzing(t) == 36


def test_outputgericht_per_week_telt_zondagen() -> None:
    """IV077: €300 per week, 11-10-2022 t/m 31-12-2022 (a Saturday): Oct 3 Sundays 900, Nov 4 1200, Dec 4 + 1 = 1500."""
    t = toewijzing(
        ingangsdatum=date(2022, 10, 11), einddatum=date(2022, 12, 31), omvang=Omvang(30_000, "83", "2"), uitvoeringsvariant=Uitvoeringsvariant.OUTPUTGERICHT
    )
    assert maximaal_in_productperiode(t, J, date(2022, 10, 11), date(2022, 10, 31)) == 90_000
    assert maximaal_in_productperiode(t, J, date(2022, 11, 1), date(2022, 11, 30)) == 120_000
    assert maximaal_in_productperiode(t, J, date(2022, 12, 1), date(2022, 12, 31)) == 150_000
    assert maximaal_in_toewijzing(t) == 360_000  # 11 Sundays + 1


def test_wmo_hulp_bij_het_huishouden_altijd_zes_weken() -> None:
    """IV077: Wmo categorie 01 per ProductPeriode 6 × weekvolume; over the toewijzing still the calendar weeks."""
    t = toewijzing(categorie="01", code="01A01", ingangsdatum=date(2026, 1, 1), einddatum=date(2026, 2, 28), omvang=Omvang(2, "04", "2"))
    assert maximaal_in_productperiode(t, Wet.WMO, date(2026, 2, 1), date(2026, 2, 28)) == 12
    # elsewhere the calendar weeks: 1 Feb 2026 is the Sunday of week 5, 28 Feb the Saturday of week 9: 5 weeks
    assert maximaal_in_productperiode(t, Wet.JEUGDWET, date(2026, 2, 1), date(2026, 2, 28)) == 10
    assert maximaal_in_toewijzing(t) == 18  # 1 Jan 2026 (week 1) t/m 28 Feb (week 9): 9 weeks × 2


def test_per_maand_gebroken_maand_volledig_iv078() -> None:
    """IV078: 15 uur per maand from 12-10-2021: October 12–31 may hold the full 15."""
    t = toewijzing(ingangsdatum=date(2021, 10, 12), einddatum=date(2021, 12, 13), omvang=Omvang(15, "04", "4"))
    assert maximaal_in_productperiode(t, J, date(2021, 10, 12), date(2021, 10, 31)) == 15
    assert maximaal_in_toewijzing(t) == 45


def test_per_dag_en_totaal() -> None:
    per_dag = toewijzing(ingangsdatum=date(2026, 10, 1), einddatum=date(2026, 10, 31), omvang=Omvang(1, "14", "1"))
    assert maximaal_in_productperiode(per_dag, J, date(2026, 10, 1), date(2026, 10, 31)) == 31
    totaal = toewijzing(einddatum=None, omvang=Omvang(40, "04", "6"))
    assert maximaal_in_productperiode(totaal, J, date(2026, 10, 1), date(2026, 10, 31)) == 40
    assert maximaal_in_toewijzing(totaal) == 40


def test_telhulpen() -> None:
    assert kalenderweken(date(2026, 10, 1), date(2026, 10, 31)) == 5  # weeks 40–44
    assert zondagen(date(2026, 10, 1), date(2026, 10, 31)) == 4  # 4, 11, 18, 25
    assert zondagen(date(2026, 10, 5), date(2026, 10, 10)) == 0
