"""Each level-2 rule: the official examples pass it, and a message changed to break it fails it at
the right place. (Rules are added here as they are implemented; see also test_regels_*.py.)"""

from __future__ import annotations

import pytest

from berichten.adapters.regels import load_regelinfo
from berichten.domain.regels import BERICHTINHOUD
from berichten.domain.regels.catalogus import Controleniveau, Regelset
from berichten.domain.regels.condities import CD041
from berichten.domain.regels.constraints import CS002
from berichten.domain.regels.technisch import TR018

from .conftest import EXAMPLES
from .regelhulp import bericht, context, fouten, vervang

# JW318 breaks its XSD (see the codec tests). Two official iWmo examples break a level-2 rule:
# WMO305 has Dagtekening 2020-07-25 but StartProduct Begindatums in April 2023 (TR134), and WMO317
# asks a GewensteIngangsdatum equal to its Dagtekening, where TR380 wants a later date.
EXAMPLES_BREAKING_A_RULE = {
    "WMO305": [("TR134", "/Bericht/Client/StartProducten/StartProduct[1]/Begindatum"), ("TR134", "/Bericht/Client/StartProducten/StartProduct[2]/Begindatum")],
    "WMO317": [("TR380", "/Bericht/Client/Verzoek/NieuweProducten/NieuwProduct/GewensteIngangsdatum")],
}
VALID_EXAMPLES = [p.stem for p in EXAMPLES if p.stem != "JW318" and p.stem not in EXAMPLES_BREAKING_A_RULE]


def test_every_level_2_rule_is_known_to_the_official_export_at_level_2():
    regelset = Regelset(BERICHTINHOUD, load_regelinfo())
    assert all(regelset.niveau(r) is Controleniveau.BERICHTINHOUD for r in BERICHTINHOUD)


@pytest.mark.parametrize("name", VALID_EXAMPLES)
def test_official_examples_pass_every_level_2_rule(name):
    regelset = Regelset(BERICHTINHOUD, load_regelinfo())
    assert regelset.controleer(bericht(name), context(name), [Controleniveau.BERICHTINHOUD]) == []


@pytest.mark.parametrize("name", sorted(EXAMPLES_BREAKING_A_RULE))
def test_official_examples_that_break_a_rule_are_found_out(name):
    regelset = Regelset(BERICHTINHOUD, load_regelinfo())
    found = regelset.controleer(bericht(name), context(name), [Controleniveau.BERICHTINHOUD])
    assert [(b.regel, b.locatie) for b in found] == EXAMPLES_BREAKING_A_RULE[name]


def test_cs002_bsn_failing_the_11_proef():
    jw305 = bericht("JW305")
    (fout,) = fouten(CS002, "JW305", vervang(jw305, client=vervang(jw305.client, bsn="999900007")))
    assert fout.locatie == "/Bericht/Client/Bsn" and fout.klasse == "/Bericht/Client"


def test_cs002_11_proef_is_the_weighted_sum_of_the_digits():
    """9×d1 + 8×d2 + … + 2×d8 − d9 divisible by 11, for each Bsn of a range around the official example's."""
    jw305 = bericht("JW305")
    for getal in range(int(jw305.client.bsn) - 60, int(jw305.client.bsn) + 60):
        bsn = f"{getal:09d}"
        som = sum(gewicht * int(cijfer) for gewicht, cijfer in zip((9, 8, 7, 6, 5, 4, 3, 2, -1), bsn))
        gevonden = fouten(CS002, "JW305", vervang(jw305, client=vervang(jw305.client, bsn=bsn)))
        assert (gevonden == []) == (som % 11 == 0), bsn
    # digits other than 0-9 (the XSD allows only those) still count by their value; a letter never passes
    for bsn, goed in (("١٢٣٤٥٦٧٨٢", True), ("١٢٣٤٥٦٧٨٣", False), ("12345678X", False), ("12345678", False)):
        assert (fouten(CS002, "JW305", vervang(jw305, client=vervang(jw305.client, bsn=bsn))) == []) == goed, bsn


def test_cd041_omvang_missing_with_a_productcode():
    jw301 = bericht("JW301")
    product = next(p for p in jw301.client.toegewezen_producten if p.product and p.product.code)
    index = jw301.client.toegewezen_producten.index(product) + 1
    changed = [vervang(p, omvang=None) if p is product else p for p in jw301.client.toegewezen_producten]
    (fout,) = fouten(CD041, "JW301", vervang(jw301, client=vervang(jw301.client, toegewezen_producten=changed)))
    suffix = f"[{index}]" if len(changed) > 1 else ""
    assert fout.locatie == f"/Bericht/Client/ToegewezenProducten/ToegewezenProduct{suffix}/Omvang"


def test_tr018_stop_einddatum_before_begindatum():
    jw307 = bericht("JW307")
    stop = jw307.client.stop_producten[0]
    early = vervang(stop, einddatum=stop.begindatum.replace(day=1) if stop.begindatum.day > 1 else stop.begindatum.replace(year=stop.begindatum.year - 1))
    changed = vervang(jw307, client=vervang(jw307.client, stop_producten=[early, *jw307.client.stop_producten[1:]]))
    (fout,) = fouten(TR018, "JW307", changed)
    assert fout.locatie.endswith("/Einddatum") and "StopProduct" in fout.klasse
