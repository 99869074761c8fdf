"""A 323 of 10,000 prestaties is judged in well under a second or two: the Stand is indexed once, no rule scans per prestatie."""

from __future__ import annotations

import time
from datetime import date

from declaratie.domain.controle import beoordeel, toegekend
from declaratie.tests.declaratie_voorbeelden import declaratie, eerder, prestatie, stand, toewijzing

MAANDEN = [(date(2026, m, 1), date(2026, m + 1, 1).fromordinal(date(2026, m + 1, 1).toordinal() - 1)) for m in range(6, 11)]


def test_tienduizend_prestaties_in_een_declaratie() -> None:
    clienten, toewijzingen, eerdere = [], [], []
    for i in range(2000):
        bsn, nummer = f"{100_000_000 + i}", 20_000 + i
        toewijzingen.append(toewijzing(nummer, bsn))
        eerdere.append(eerder(f"E{i}", nummer=nummer, periode=(date(2026, 5, 1), date(2026, 5, 31))))
        clienten.append((bsn, [prestatie(f"R{i}-{p[0].month}", nummer=nummer, periode=p) for p in MAANDEN]))
    slecht = clienten[-1][1][-1]  # one bad prestatie at the very end: 0611
    slecht.product_tarief, slecht.ingediend_bedrag.bedrag = 180, 120 * 180
    bericht = declaratie(*clienten)
    s = stand(toewijzingen=tuple(toewijzingen), eerdere_prestaties=tuple(eerdere))

    begin = time.perf_counter()
    bevindingen = beoordeel(bericht, s)
    duur = time.perf_counter() - begin

    assert [(b.regel, b.klasse) for b in bevindingen] == [("TR418", "/Bericht/Declaratie/Clienten/Client[2000]/Prestaties/Prestatie[5]")]
    assert toegekend(bericht, bevindingen)[2] == 9_999 * 21_000  # 120 min × €1.75 = €210.00 each, all but the bad one
    assert duur < 3.0, f"{duur:.2f} s for 10,000 prestaties"
