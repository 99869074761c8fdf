"""Constraints (CS) checked inside one message (controleniveau 2).

Where each applies is the official per-element export (standaard/ijw/3.2/rules/regels-per-data-element.csv).
"""

from __future__ import annotations

from collections.abc import Iterator

from berichten.domain.model import Bericht
from berichten.domain.regels.regel import Context, Fout, Regel, walk


def _is_elfproef(bsn: str) -> bool:
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(weight * int(digit) for weight, digit in zip(range(9, 1, -1), bsn[:8])) - int(bsn[8])
    return total % 11 == 0


def _cs002(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Client/Bsn passes the 11-proef (every message with a Client)."""
    for node in walk(bericht):
        bsn = getattr(node.obj, "bsn", None)
        if bsn is not None and not _is_elfproef(bsn):
            yield node.fout("bsn", f"Bsn {bsn} voldoet niet aan de 11-proef")


CS002 = Regel("CS002", _cs002)

REGELS: tuple[Regel, ...] = (CS002,)
