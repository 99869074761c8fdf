"""The rules the message hub checks itself (controleniveau 3 and 4), whatever the domain.

TR056 (Identificatie unique per berichtsoort per sender -> 9056), TR135 (Dagtekening not in the
future -> 8848) and TR378 (an existing CBS gemeentecode -> S300). Rules that need the domain's
state (toewijzingen, contracts, earlier starts) are checked by the domain services.
"""

from __future__ import annotations

from collections.abc import Iterator

from berichten.domain.berichtsoorten import BERICHTSOORTEN, Partij
from berichten.domain.model import Antwoord, Bericht
from berichten.domain.regels.regel import Context, Fout, Knoop, Regel, of_type, walk


def _header(bericht: Bericht) -> Knoop:
    return next(node for node in walk(bericht) if node.pad == "/Bericht/Header")


def _tr056(bericht: Bericht, context: Context) -> Iterator[Fout]:
    if context.identificatie_eerder_ontvangen:
        header = _header(bericht)
        identificatie = bericht.header.bericht_identificatie.identificatie
        yield Fout(
            f"{header.pad}/BerichtIdentificatie/Identificatie",
            header.klasse,
            f"Identificatie {identificatie} is door deze afzender al eerder gebruikt voor dit soort bericht",
        )


def _tr135(bericht: Bericht, context: Context) -> Iterator[Fout]:
    dagtekening = bericht.header.bericht_identificatie.dagtekening
    if dagtekening > context.vandaag:
        header = _header(bericht)
        yield Fout(f"{header.pad}/BerichtIdentificatie/Dagtekening", header.klasse, f"Dagtekening {dagtekening} ligt in de toekomst")


def _tr378(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """The gemeente in the header (Afzender of a gemeente's message, Ontvanger of an aanbieder's) and
    in Woonplaatsbeginsel must be a CBS gemeentecode in force on the message's Dagtekening."""
    if context.gemeente_bekend is None:
        return
    dagtekening = bericht.header.bericht_identificatie.dagtekening
    header = _header(bericht)
    soort = BERICHTSOORTEN[context.soort]
    sent_by_gemeente = (soort.afzender is Partij.GEMEENTE) != soort.is_retour  # a retour mirrors its heen header
    attribute = "afzender" if sent_by_gemeente else "ontvanger"
    code = getattr(bericht.header, attribute)
    if not context.gemeente_bekend(code, dagtekening):
        yield header.fout(attribute, f"gemeentecode {code} bestaat niet (volgens CBS) op {dagtekening}")
    for node in of_type(bericht, Antwoord):
        woonplaats = node.obj.woonplaatsbeginsel
        if woonplaats is not None and not context.gemeente_bekend(woonplaats.gemeente, dagtekening):
            yield Fout(f"{node.pad}/Woonplaatsbeginsel/Gemeente", f"{node.pad}/Woonplaatsbeginsel", f"gemeentecode {woonplaats.gemeente} bestaat niet (volgens CBS) op {dagtekening}")


TR056 = Regel("TR056", _tr056)
TR135 = Regel("TR135", _tr135)
TR378 = Regel("TR378", _tr378)

REGELS: tuple[Regel, ...] = (TR056, TR135, TR378)
