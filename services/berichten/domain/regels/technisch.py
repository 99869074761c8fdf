"""Technical rules (TR) checked inside one message (controleniveau 2).

Where each applies is the official per-element export (standaard/ijw/3.2/rules/regels-per-data-element.csv).
"""

from __future__ import annotations

from collections.abc import Iterator

from berichten.domain.model import Bericht, StopProduct
from berichten.domain.regels.regel import Context, Fout, Regel, of_type


def _tr018(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """StopProduct: Einddatum on or after Begindatum."""
    for node in of_type(bericht, StopProduct):
        if node.obj.einddatum < node.obj.begindatum:
            yield node.fout("einddatum", f"Einddatum {node.obj.einddatum} ligt voor Begindatum {node.obj.begindatum}")


TR018 = Regel("TR018", _tr018)

REGELS: tuple[Regel, ...] = (TR018,)
