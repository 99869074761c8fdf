"""The herindicatie signal: 8 weeks before a beschikt product ends, to the aanbieder that delivers it,
or to the gemeente for a product that is the cliënt's own responsibility (or has no aanbieder yet);
the aanbieder the toewijslijst gave a product without a chosen one gets it from then on — until its
toewijzing for the product ends before the product does."""

from dataclasses import replace
from datetime import date

from indicatie.adapters.herindicatie import load_eigen_verantwoordelijkheid
from indicatie.domain.beschikking import BeschikkingStatus, BeschiktProduct, Omvang, Wet
from indicatie.domain.herindicatie import (
    EigenVerantwoordelijkheid,
    ToewijslijstToewijzing,
    herindicatie_signalen,
    leverende_aanbieders,
    product_sleutel,
    toewijzing_voor,
    van_de_toewijslijst,
    wat_verandert,
)
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


def test_the_aanbieder_the_toewijslijst_gave_the_product_gets_the_signal_from_the_gemeente():
    wachtend = product(agb=None)
    b = beschikking(wachtend)
    (bij_gemeente,) = herindicatie_signalen(b, [])
    toegewezen = {product_sleutel(wachtend): "98100005"}
    (bij_aanbieder,) = herindicatie_signalen(b, [], toegewezen)
    assert bij_aanbieder.partij == Partij(PartijSoort.AANBIEDER, "98100005")
    assert (bij_aanbieder.deadline, bij_aanbieder.beschikking) == (bij_gemeente.deadline, bij_gemeente.beschikking)
    # the move: the gemeente's signal closes, the aanbieder's opens
    sluiten, openen = wat_verandert([bij_gemeente], [bij_aanbieder])
    assert ([s.id for s in sluiten], [s.partij.code for s in openen]) == ([bij_gemeente.id], ["98100005"])
    # a product the cliënt is responsible for stays with the gemeente; a chosen aanbieder is not overruled
    marking = EigenVerantwoordelijkheid(Wet.JEUGDWET, "45")
    assert herindicatie_signalen(b, [marking], toegewezen)[0].partij == Partij(PartijSoort.GEMEENTE, "0356")
    gekozen = product(agb="98100003")
    assert herindicatie_signalen(beschikking(gekozen), [], {product_sleutel(gekozen): "98100005"})[0].partij.code == "98100003"


def test_the_product_a_toewijslijst_entry_was_for():
    eerste = product(agb=None, einddatum=date(2026, 6, 30))
    tweede = product(agb=None, ingangsdatum=date(2026, 7, 1))  # the same product, a later period
    gekozen = product(categorie="43", code="43A16", agb="98100003")
    b = beschikking(eerste, tweede, gekozen)
    assert van_de_toewijslijst(b, "45", "45A48", date(2026, 7, 1)) == tweede
    assert van_de_toewijslijst(b, "45", "45A48", date(2026, 3, 1)) is None  # no such period (changed meanwhile)
    assert van_de_toewijslijst(b, "43", "43A16", date(2026, 2, 1)) is None  # it has a chosen aanbieder: never on the list
    # an entry without its ingangsdatum (published before it carried one) matches only a single candidate
    assert van_de_toewijslijst(b, "45", "45A48", None) is None
    assert van_de_toewijslijst(beschikking(eerste, gekozen), "45", "45A48", None) == eerste


def test_the_signal_goes_back_to_the_gemeente_when_the_aanbieders_toewijzing_ends_before_the_product():
    wachtend = product(agb=None, einddatum=date(2027, 6, 27))
    b = beschikking(wachtend)
    toegewezen = {product_sleutel(wachtend): "98100005"}

    def versie(einddatum: date | None, verwijderd: bool = False, agb: str = "98100005", voor: BeschiktProduct = wachtend) -> ToewijslijstToewijzing:
        return ToewijslijstToewijzing.van_versie(voor, agb, einddatum, verwijderd)

    def partij(*toewijzingen: ToewijslijstToewijzing) -> Partij:
        (signaal,) = herindicatie_signalen(b, [], leverende_aanbieders(toegewezen, toewijzingen))
        return signaal.partij

    aanbieder, gemeente = Partij(PartijSoort.AANBIEDER, "98100005"), Partij(PartijSoort.GEMEENTE, "0356")
    tot_het_einde, ingekort = versie(date(2027, 6, 27)), versie(date(2027, 1, 31))  # verkorting, verhuizing, overlijden
    verwijderd = versie(date(2026, 12, 3), verwijderd=True)
    # no toewijzing known yet (its event follows the confirmation), one to the end, or one without einddatum: the aanbieder
    assert partij() == partij(tot_het_einde) == partij(versie(None)) == aanbieder
    # it ends a day before the product, or was deleted: nobody delivers it, back to the gemeente
    assert partij(versie(date(2027, 6, 26))) == partij(ingekort) == partij(verwijderd) == gemeente
    # a deleted one replaced by one that runs to the end (or lengthened again) keeps it with the aanbieder
    assert partij(verwijderd, tot_het_einde) == aanbieder
    # another aanbieder's toewijzing, or one for another product, says nothing about this aanbieder's
    assert partij(ingekort, versie(date(2027, 6, 27), agb="98100006")) == gemeente
    assert partij(versie(date(2025, 3, 1), voor=product(agb=None, ingangsdatum=date(2025, 1, 1), einddatum=date(2025, 12, 31)))) == aanbieder
    # judged against the product as it was when the version came: a later verlenging of the beschikking
    # (reaching the toewijzing after it) does not make the toewijzing look short in between
    verlengd = beschikking(replace(wachtend, einddatum=date(2027, 12, 31)))
    (signaal,) = herindicatie_signalen(verlengd, [], leverende_aanbieders(toegewezen, [tot_het_einde]))
    assert signaal.partij == aanbieder
    # the move back: the aanbieder's signal closes, the gemeente's opens with the same deadline
    (bij_aanbieder,) = herindicatie_signalen(b, [], leverende_aanbieders(toegewezen, [tot_het_einde]))
    (bij_gemeente,) = herindicatie_signalen(b, [], leverende_aanbieders(toegewezen, [ingekort]))
    sluiten, openen = wat_verandert([bij_aanbieder], [bij_gemeente])
    assert ([s.id for s in sluiten], [(s.partij, s.deadline) for s in openen]) == ([bij_aanbieder.id], [(gemeente, bij_aanbieder.deadline)])


def test_the_product_a_toewijzing_is_for():
    eerste = product(agb=None, einddatum=date(2026, 6, 30))
    tweede = product(agb=None, ingangsdatum=date(2026, 7, 1), einddatum=date(2027, 6, 30))
    gekozen = product(categorie="43", code="43A16", agb="98100003")
    b = beschikking(eerste, tweede, gekozen)
    # a toewijzing from the toewijslijst begins on the product's ingangsdatum or, confirmed later, on that day
    assert toewijzing_voor(b, "45", "45A48", date(2026, 2, 1)) == eerste
    assert toewijzing_voor(b, "45", "45A48", date(2026, 7, 1)) == tweede
    assert toewijzing_voor(b, "45", "45A48", date(2026, 12, 3)) == tweede
    assert toewijzing_voor(b, "45", "45A48", date(2027, 7, 1)) is None  # after every period
    assert toewijzing_voor(b, "43", "43A16", date(2026, 2, 1)) is None  # a chosen aanbieder's product
