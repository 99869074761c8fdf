"""The POP: participatieadviseur's part with the cliënt, overdracht to the aanbieder, the aanbieder's
inzet and activiteiten, the cliënt's signature (the aanvraag), the besluit — and no stacking."""

from datetime import date

import pytest

from indicatie.domain.pop import ALLOWED_STATUS_CHANGES, Pop, PopStatus, ZrmScore, nieuwe_pop
from runtime.errors import DomainError

MELDING = date(2026, 3, 2)
ZRM = (ZrmScore("huisvesting", 2), ZrmScore("basale_adl", 3, "hulp bij wassen"))


def concept() -> Pop:
    return nieuwe_pop([], "t1", "pa-nieuwegein", MELDING).vul_in(ZRM, "Begeleiding thuis", "Pakket licht", "98100001")


def ondertekend() -> Pop:
    return (
        concept()
        .draag_over(date(2026, 3, 20))
        .vul_aan("2 uur per week", ("wekelijks gesprek", "administratie ordenen"), date(2026, 3, 27))
        .onderteken("J. Jansen", date(2026, 3, 30), date(2026, 3, 31))
    )


def test_the_steps_in_order_make_the_signed_pop_the_aanvraag():
    pop = ondertekend()
    assert pop.status is PopStatus.ONDERTEKEND
    assert (pop.overgedragen_op, pop.aangevuld_op, pop.ondertekend_op, pop.ondertekend_door) == (
        date(2026, 3, 20),
        date(2026, 3, 27),
        date(2026, 3, 30),
        "J. Jansen",
    )
    assert pop.besluit(True, date(2026, 4, 2), "").status is PopStatus.TOEGEKEND


def test_a_step_out_of_order_is_refused():
    with pytest.raises(DomainError, match="concept to ondertekend"):
        concept().onderteken("J. Jansen", MELDING, MELDING)
    with pytest.raises(DomainError, match="concept to aangevuld"):
        concept().vul_aan("inzet", ("a",), MELDING)
    with pytest.raises(DomainError, match="only in a concept"):
        concept().draag_over(MELDING).vul_in(ZRM, "ander profiel", "p", "98100002")


def test_overdracht_needs_matrix_profiel_pakket_and_aanbieder():
    leeg = nieuwe_pop([], "t1", "pa", MELDING)
    with pytest.raises(DomainError, match="without: zelfredzaamheidsmatrix, profiel, pakket, aanbieder"):
        leeg.draag_over(MELDING)


def test_the_aanbieder_completes_with_inzet_and_activiteiten():
    bij_aanbieder = concept().draag_over(MELDING)
    with pytest.raises(DomainError, match="inzet"):
        bij_aanbieder.vul_aan(" ", ("a",), MELDING)
    with pytest.raises(DomainError, match="activiteit"):
        bij_aanbieder.vul_aan("inzet", (" ",), MELDING)


def test_the_signature_is_by_someone_and_not_in_the_future():
    aangevuld = concept().draag_over(MELDING).vul_aan("inzet", ("a",), date(2026, 3, 10))
    with pytest.raises(DomainError, match="who signed"):
        aangevuld.onderteken("", date(2026, 3, 10), date(2026, 3, 10))
    with pytest.raises(DomainError, match="future"):
        aangevuld.onderteken("J. Jansen", date(2026, 3, 11), date(2026, 3, 10))
    with pytest.raises(DomainError, match="before the aanbieder completed"):
        aangevuld.onderteken("J. Jansen", date(2026, 3, 9), date(2026, 3, 10))


def test_an_afwijzing_is_motivated():
    with pytest.raises(DomainError, match="motivering"):
        ondertekend().besluit(False, date(2026, 4, 2), "")
    assert ondertekend().besluit(False, date(2026, 4, 2), "voorliggende voorziening").status is PopStatus.AFGEWEZEN


def test_no_stacking_of_profielen():
    actief = concept()
    with pytest.raises(DomainError, match="no stacking of profielen"):
        nieuwe_pop([actief], "t1", "pa", MELDING)
    toegekend = ondertekend().besluit(True, date(2026, 4, 2), "")
    with pytest.raises(DomainError, match="no stacking"):
        nieuwe_pop([toegekend], "t1", "pa", MELDING)
    # only once the active one has ended can another start
    assert nieuwe_pop([toegekend.beeindig(), actief.beeindig()], "t1", "pa", MELDING).status is PopStatus.CONCEPT
    assert toegekend.beeindig().status is PopStatus.BEEINDIGD and actief.beeindig().status is PopStatus.VERVALLEN


def test_zrm_scores_each_known_domain_once_from_1_to_5():
    with pytest.raises(DomainError, match="not a zelfredzaamheidsmatrix domain"):
        ZrmScore("geluk", 3)
    with pytest.raises(DomainError, match="scores 1 to 5"):
        ZrmScore("huisvesting", 6)
    with pytest.raises(DomainError, match="twice: huisvesting"):
        concept().vul_in((ZrmScore("huisvesting", 2), ZrmScore("huisvesting", 3)), "p", "p", "98100001")


def test_an_aanvraag_awaiting_its_besluit_cannot_vervallen():
    assert PopStatus.VERVALLEN not in ALLOWED_STATUS_CHANGES[PopStatus.ONDERTEKEND]
    with pytest.raises(DomainError, match="ondertekend to vervallen"):
        ondertekend().beeindig()


def test_the_aanbieder_returns_the_pop_with_a_reden_and_the_participatieadviseur_passes_it_again():
    aangevuld = concept().draag_over(date(2026, 3, 20)).vul_aan("2 uur per week", ("gesprek",), date(2026, 3, 23))
    terug = aangevuld.geef_terug("pakket past niet bij de ZRM-score huisvesting", date(2026, 3, 24))
    assert (terug.status, terug.teruggegeven_op, terug.teruggave_reden) == (
        PopStatus.TERUGGEGEVEN,
        date(2026, 3, 24),
        "pakket past niet bij de ZRM-score huisvesting",
    )
    assert terug.is_actief  # still the traject's one profiel: no second POP meanwhile
    with pytest.raises(DomainError, match="no stacking"):
        nieuwe_pop([terug], "t1", "pa", MELDING)
    # the aanbieder cannot complete or let sign a returned POP; the participatieadviseur adjusts it
    with pytest.raises(DomainError, match="teruggegeven to aangevuld"):
        terug.vul_aan("inzet", ("a",), date(2026, 3, 25))
    with pytest.raises(DomainError, match="teruggegeven to ondertekend"):
        terug.onderteken("J. Jansen", date(2026, 3, 25), date(2026, 3, 25))
    aangepast = terug.vul_in(ZRM, "Begeleiding thuis", "Pakket midden", "98100001")
    opnieuw = aangepast.draag_over(date(2026, 3, 26))
    assert (opnieuw.status, opnieuw.pakket, opnieuw.overgedragen_op) == (PopStatus.BIJ_AANBIEDER, "Pakket midden", date(2026, 3, 26))
    # and the aanbieder completes it anew before the cliënt signs
    with pytest.raises(DomainError, match="bij_aanbieder to ondertekend"):
        opnieuw.onderteken("J. Jansen", date(2026, 3, 27), date(2026, 3, 27))
    assert opnieuw.vul_aan("3 uur per week", ("gesprek",), date(2026, 3, 27)).onderteken(
        "J. Jansen", date(2026, 3, 27), date(2026, 3, 27)
    ).status is PopStatus.ONDERTEKEND


def test_a_teruggave_needs_a_reden_and_comes_before_the_signature():
    bij_aanbieder = concept().draag_over(date(2026, 3, 20))
    with pytest.raises(DomainError, match="with a reden"):
        bij_aanbieder.geef_terug("  ", date(2026, 3, 21))
    with pytest.raises(DomainError, match="before it was handed over"):
        bij_aanbieder.geef_terug("onvolledig", date(2026, 3, 19))
    with pytest.raises(DomainError, match="concept to teruggegeven"):
        concept().geef_terug("onvolledig", date(2026, 3, 21))
    with pytest.raises(DomainError, match="ondertekend to teruggegeven"):
        ondertekend().geef_terug("onvolledig", date(2026, 4, 1))
    terug = bij_aanbieder.geef_terug("onvolledig", date(2026, 3, 21))
    with pytest.raises(DomainError, match="before the POP was teruggegeven"):
        terug.draag_over(date(2026, 3, 20))
    assert terug.beeindig().status is PopStatus.VERVALLEN
