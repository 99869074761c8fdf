"""Deadline signals of the regie and of verzoeken."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from berichten.domain.berichtsoorten import Partij
from toewijzing.domain.termijnen import (
    SignaalSoort,
    SignaalStatus,
    antwoord_uiterlijk,
    definitief_antwoord_uiterlijk,
    melden_uiterlijk,
    signalen,
    status,
)
from toewijzing.domain.toewijzing import ToewijzingStatus, UitgesteldeVerwijdering, verwijder_of_stel_uit
from toewijzing.domain.verzoek import verzoek_uit_vow, zet_in_onderzoek
from toewijzing.tests.regie_voorbeelden import WET, start, stop, toewijzing, voorbeeld


def test_melden_binnen_vijf_werkdagen() -> None:
    assert melden_uiterlijk(date(2026, 11, 20)) == date(2026, 11, 27)  # Friday + 5 werkdagen
    assert melden_uiterlijk(date(2026, 12, 23)) == date(2026, 12, 31)  # over Christmas


def test_status_bijna_binnen_twee_werkdagen() -> None:
    vandaag = date(2026, 11, 23)  # Monday
    assert status(date(2026, 11, 25), vandaag) is SignaalStatus.BIJNA
    assert status(date(2026, 11, 23), vandaag) is SignaalStatus.BIJNA
    assert status(date(2026, 11, 26), vandaag) is SignaalStatus.OP_TIJD
    assert status(date(2026, 11, 22), vandaag) is SignaalStatus.VERLOPEN


def test_te_laat_startbericht() -> None:
    laat = start(begindatum=date(2023, 4, 3), ontvangen_op=date(2023, 4, 20))
    op_tijd = start(300202, "55A12", begindatum=date(2023, 4, 3), ontvangen_op=date(2023, 4, 7))
    (s,) = [s for s in signalen([], [laat, op_tijd], [], [], date(2023, 4, 21)) if s.soort is SignaalSoort.START_TE_LAAT]
    assert (s.partij, s.uiterlijk, s.status, s.toewijzing_nummer) == (Partij.AANBIEDER, date(2023, 4, 12), SignaalStatus.VERLOPEN, 300201)
    assert "Startbericht" in s.omschrijving


def test_te_laat_stopbericht() -> None:
    laat = stop(einddatum=date(2023, 7, 19), ontvangen_op=date(2023, 8, 1))
    (s,) = signalen([], [], [laat], [], date(2023, 8, 2))
    assert (s.soort, s.uiterlijk, s.status) == (SignaalSoort.STOP_TE_LAAT, date(2023, 7, 26), SignaalStatus.VERLOPEN)


def test_stop_verwacht_na_einde_toewijzing() -> None:
    t = toewijzing(einddatum=date(2023, 7, 31))
    (s,) = signalen([t], [start()], [], [], date(2023, 8, 1))
    assert (s.soort, s.partij, s.uiterlijk, s.status) == (SignaalSoort.STOP_VERWACHT, Partij.AANBIEDER, date(2023, 8, 7), SignaalStatus.OP_TIJD)
    assert signalen([t], [start()], [stop(einddatum=date(2023, 7, 31))], [], date(2023, 8, 1)) == []
    # after a temporary stop a definitive stop is still due
    tijdelijk = stop(einddatum=date(2023, 6, 1), reden="20")
    assert [s.soort for s in signalen([t], [start()], [tijdelijk], [], date(2023, 8, 1))] == [SignaalSoort.STOP_VERWACHT]


def test_zorg_niet_gestart_na_drie_maanden() -> None:
    t = toewijzing(ingangsdatum=date(2023, 4, 1), einddatum=None)
    (s,) = signalen([t], [], [], [], date(2023, 7, 2))
    assert (s.soort, s.uiterlijk, s.status) == (SignaalSoort.ZORG_NIET_GESTART, date(2023, 7, 1), SignaalStatus.VERLOPEN)
    assert signalen([t], [], [], [], date(2023, 5, 1))[0].status is SignaalStatus.OP_TIJD
    assert signalen([t], [start()], [], [], date(2023, 7, 2)) == []
    assert signalen([replace(t, status=ToewijzingStatus.TE_VERZENDEN)], [], [], [], date(2023, 7, 2)) == []


def test_alleen_de_huidige_versie_telt() -> None:
    oud = toewijzing(ingangsdatum=date(2023, 4, 1), einddatum=None)
    verwijderd = replace(oud, einddatum=oud.ingangsdatum, reden_wijziging="13", versie=2, toewijzingsmoment=oud.toewijzingsmoment.replace(day=21))
    assert signalen([oud, verwijderd], [], [], [], date(2023, 7, 2)) == []


def test_verzoek_beantwoorden_binnen_vijf_werkdagen() -> None:
    v = verzoek_uit_vow(voorbeeld("JW317"), WET, date(2026, 11, 18), "b-317")
    assert antwoord_uiterlijk(v) == date(2026, 11, 25)
    (s,) = signalen([], [], [], [v], date(2026, 11, 23))
    assert (s.soort, s.partij, s.uiterlijk, s.status, s.verzoek_id) == (SignaalSoort.ANTWOORD_VERZOEK, Partij.GEMEENTE, date(2026, 11, 25), SignaalStatus.BIJNA, v.id)


def test_definitief_antwoord_binnen_acht_weken_na_in_onderzoek() -> None:
    v = zet_in_onderzoek(verzoek_uit_vow(voorbeeld("JW317"), WET, date(2026, 10, 1), "b-317"), date(2026, 10, 31))  # Saturday
    assert definitief_antwoord_uiterlijk(v) == date(2026, 12, 28)  # 26 Dec is Tweede Kerstdag, 27 a Sunday
    (s,) = signalen([], [], [], [v], date(2026, 11, 23))
    assert (s.soort, s.partij, s.status) == (SignaalSoort.DEFINITIEF_ANTWOORD, Partij.GEMEENTE, SignaalStatus.OP_TIJD)


def test_uitgestelde_verwijdering_tr385_is_een_signaal_voor_de_gemeente() -> None:
    t = toewijzing()
    uitgesteld = verwijder_of_stel_uit(t, datetime(2026, 11, 23, 9, 30), heeft_toegekende_prestaties=True)
    assert isinstance(uitgesteld, UitgesteldeVerwijdering)
    gewoon = signalen([t], [], [], [], date(2026, 11, 23))
    met = signalen([t], [], [], [], date(2026, 11, 23), [uitgesteld])
    assert [s for s in met if s.soort is not SignaalSoort.VERWIJDERING_UITGESTELD] == gewoon
    assert SignaalSoort.VERWIJDERING_UITGESTELD not in {s.soort for s in gewoon}  # nothing deferred: no such signal
    (op_de_dag,) = [s for s in met if s.soort is SignaalSoort.VERWIJDERING_UITGESTELD]
    assert (op_de_dag.soort, op_de_dag.partij, op_de_dag.uiterlijk, op_de_dag.status) == (
        SignaalSoort.VERWIJDERING_UITGESTELD, Partij.GEMEENTE, date(2026, 11, 23), SignaalStatus.BIJNA,
    )  # fmt: skip
    assert (op_de_dag.toewijzing_nummer, op_de_dag.bsn, op_de_dag.agb, op_de_dag.gemeentecode) == (t.toewijzing_nummer, t.bsn, t.agb, t.gemeentecode)
    assert all(w in op_de_dag.omschrijving for w in (str(t.toewijzing_nummer), "TR385", "9385", "niet gecrediteerde prestaties", "crediteert", "RedenWijziging 13"))
    (later,) = [s for s in signalen([t], [], [], [], date(2026, 11, 24), [uitgesteld]) if s.soort is SignaalSoort.VERWIJDERING_UITGESTELD]
    assert later.status is SignaalStatus.VERLOPEN  # the accepted change waits longer than the day it was decided
