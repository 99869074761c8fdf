"""The herindicatie signal: 8 weeks before a beschikt product ends, to the aanbieder that delivers it,
or to the gemeente for a product that is the cliënt's own responsibility (or has no aanbieder yet)."""

from dataclasses import replace
from datetime import date

from indicatie.adapters.herindicatie import load_eigen_verantwoordelijkheid
from indicatie.domain.beschikking import BeschikkingStatus, Omvang, Wet
from indicatie.domain.herindicatie import EigenVerantwoordelijkheid, herindicatie_signalen, wat_verandert
from indicatie.domain.traject import BeschikkingProduct, Partij, PartijSoort, SignaalSoort
from indicatie.tests.voorbeelden import beschikking, product

HBH = EigenVerantwoordelijkheid(Wet.WMO, "01", "01A01")


def test_the_aanbieder_that_delivers_gets_the_signal_8_weeks_before_the_end():
    (signaal,) = herindicatie_signalen(beschikking(product(agb="98100003", einddatum=date(2026, 12, 31))), [HBH])
    assert signaal.soort is SignaalSoort.HERINDICATIE
    assert signaal.partij == Partij(PartijSoort.AANBIEDER, "98100003")
    assert signaal.deadline == date(2026, 11, 5)  # Thursday 31 December minus 8 weeks
    assert signaal.traject_id is None
    assert signaal.beschikking == BeschikkingProduct("0356", "1001", "45/45A48@2026-02-01")


def test_a_deadline_on_a_weekend_or_feestdag_moves_to_the_werkdag_before():
    # 2027-06-27 is a Sunday; 8 weeks earlier is Sunday 2 May → Friday 30 April
    (signaal,) = herindicatie_signalen(beschikking(product(agb="98100003", einddatum=date(2027, 6, 27))), [])
    assert signaal.deadline == date(2027, 4, 30)
    # 2027-07-01 minus 8 weeks is Thursday 6 May 2027, Hemelvaartsdag; Wednesday 5 May is Bevrijdingsdag
    # (runtime.werkdagen counts it every year) → Tuesday 4 May
    (signaal,) = herindicatie_signalen(beschikking(product(agb="98100003", einddatum=date(2027, 7, 1))), [])
    assert signaal.deadline == date(2027, 5, 4)


def test_a_product_that_is_the_cliënts_own_responsibility_signals_the_gemeente():
    hbh = product(categorie="01", code="01A01", agb="98100001", omvang=Omvang(3, "04", "2"))
    begeleiding = product(categorie="02", code="02A01", agb="98100002", omvang=Omvang(4, "04", "2"))
    signalen = herindicatie_signalen(beschikking(hbh, begeleiding, wet=Wet.WMO), [HBH])
    assert [s.partij for s in signalen] == [Partij(PartijSoort.GEMEENTE, "0356"), Partij(PartijSoort.AANBIEDER, "98100002")]
    # the same code under the other wet is not marked
    (jeugd,) = herindicatie_signalen(beschikking(product(categorie="01", code="01A01", agb="98100001")), [HBH])
    assert jeugd.partij == Partij(PartijSoort.AANBIEDER, "98100001")


def test_a_whole_categorie_can_be_marked():
    marking = EigenVerantwoordelijkheid(Wet.JEUGDWET, "45")
    (signaal,) = herindicatie_signalen(beschikking(product(agb="98100003")), [marking])
    assert signaal.partij.soort is PartijSoort.GEMEENTE


def test_without_a_chosen_aanbieder_the_gemeente_gets_it_and_without_einddatum_nobody():
    (signaal,) = herindicatie_signalen(beschikking(product(agb=None)), [])
    assert signaal.partij == Partij(PartijSoort.GEMEENTE, "0356")
    open_einde = product(einddatum=None, omvang=Omvang(120, "01", "4"))
    assert herindicatie_signalen(beschikking(open_einde), []) == []


def test_an_ingetrokken_beschikking_needs_no_herindicatie():
    b = replace(beschikking(product(agb="98100003")), status=BeschikkingStatus.INGETROKKEN)
    assert herindicatie_signalen(b, []) == []


def test_a_wijziging_keeps_the_signal_of_an_unchanged_product_and_replaces_a_changed_one():
    eerste, tweede = product(agb="98100003"), product(categorie="43", code="43A16", agb="98100003", ingangsdatum=date(2026, 3, 1))
    open_signalen = herindicatie_signalen(beschikking(eerste, tweede), [])
    verlengd = replace(tweede, einddatum=date(2027, 2, 28))
    sluiten, openen = wat_verandert(open_signalen, herindicatie_signalen(beschikking(eerste, verlengd), []))
    assert [s.id for s in sluiten] == [open_signalen[1].id]
    assert [(s.beschikking.product, s.deadline) for s in openen] == [("43/43A16@2026-03-01", date(2026, 12, 31))]  # Sunday 3 January 2027, Nieuwjaarsdag before it


def test_the_shipped_list_is_read():
    assert HBH in [replace(m, toelichting="") for m in load_eigen_verantwoordelijkheid()]
