"""The berichtoverstijgende rules (controleniveau 3) the toewijzing service checks on 305, 307, 315 and 317.

Each rule is a `Regel` named by its official id whose check takes the message and the `Stand`: the
state the adapter gathers for the message's cliënt, aanbieder, gemeente and wet before the check.
Retourcode and level come from the official export (`berichten.adapters.regels.load_regelinfo`);
where a finding lands is the class the per-element export names (regels-per-data-element.csv).

Decisions where the texts leave room:
- StatusAanlevering 3 is only checked by TR063 and TR071: "gezien het corrigerende karakter … is het
  niet nodig om hierop overige inhoudelijke controles uit te voeren" (TR063).
- A delivery deleted with StatusAanlevering 3 no longer counts as received (TR074, TR326, TR382, …),
  so a correction whose key is unchanged is a delete and, in a later message, the same key again (IV008).
  A start deleted earlier in the same 305 does not count as a current start for TR326 (IV008 allows
  delete + new in one message when the key changes).
- TR374 has no class in the export; it is reported on the Client (the rule is about the cliënt).
- "Actuele" toewijzingen (TR349–TR351) are judged on the Dagtekening of the 317, the day the
  aanbieder composed it; toewijzingen never sent to the aanbieder (first version still te_verzenden)
  are not required in TR349, as the aanbieder cannot know them (OP095).
- TR361 compares the products of OngewijzigdProduct and TeWijzigenProduct (via the toewijzing) with
  each other and with every NieuwProduct; NieuwProducten among themselves are TR410 (level 2).
- TR413–TR415 compare stops of the same start: same ToewijzingNummer and Begindatum (taakgericht:
  same Product and Begindatum).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from berichten.adapters.regels import load_regelinfo
from berichten.domain import model
from berichten.domain.regels.catalogus import Bevinding, Controleniveau, Regelset
from berichten.domain.regels.regel import Fout, Knoop, Regel, of_type
from runtime.domein import Wet
from toewijzing.domain.levering import (
    STATUS_NIEUW,
    STATUS_VERWIJDEREN,
    Start,
    StartSleutel,
    Stop,
    StopSleutel,
    is_gestopt,
    lopende_starts,
    product_van,
)
from toewijzing.domain.toewijzing import FREQUENTIE_TOTAAL, Product, Toewijzing, ToewijzingStatus, zelfde_product
from toewijzing.domain.verzoek import Verzoek

PEILDATUM_TR412 = date(2020, 12, 31)


@dataclass(frozen=True)
class Stand:
    """The state one incoming message is judged against, gathered by the adapter.

    toewijzingen: current versions of this cliënt's toewijzingen at this aanbieder in this gemeente
    and wet; starts / stops: all stored deliveries of this cliënt at this aanbieder (deleted ones
    included or not: they are ignored); verzoeken: this cliënt's verzoeken at this aanbieder (only
    the pending ones count); referenties: every ReferentieAanbieder this aanbieder already used in
    this wet; taakgerichte_producten: products this aanbieder is contracted for taakgericht in this
    gemeente (start/stop without ToewijzingNummer).
    """

    gemeentecode: str
    wet: Wet
    agb: str
    bsn: str
    vandaag: date
    dagtekening: date
    toewijzingen: tuple[Toewijzing, ...] = ()
    starts: tuple[Start, ...] = ()
    stops: tuple[Stop, ...] = ()
    verzoeken: tuple[Verzoek, ...] = ()
    referenties: frozenset[str] = frozenset()
    taakgerichte_producten: frozenset[Product] = frozenset()

    def toewijzing(self, nummer: int | None) -> Toewijzing | None:
        """The current version of toewijzing `nummer`, if it exists and is not deleted."""
        if nummer is None:
            return None
        for t in self.toewijzingen:
            if t.toewijzing_nummer == nummer and not t.is_verwijderd:
                return t
        return None


# ---------------------------------------------------------------- helpers


def _product(product: Product) -> str:
    if product.categorie is None:
        return "generiek product"
    return f"Product {product.categorie}/{product.code}" if product.code else f"Productcategorie {product.categorie}"


def _start_sleutel(p: model.StartProduct | model.StopProduct) -> StartSleutel:
    return StartSleutel(p.toewijzing_nummer, product_van(p.product), p.begindatum)


def _stop_sleutel(p: model.StopProduct) -> StopSleutel:
    return StopSleutel(_start_sleutel(p), p.einddatum, p.reden_beeindiging)


def _sleutel_tekst(s: StartSleutel) -> str:
    nummer = f"ToewijzingNummer {s.toewijzing_nummer}, " if s.toewijzing_nummer is not None else ""
    return f"{nummer}{_product(s.product)}, Begindatum {s.begindatum}"


def _nieuwe(bericht: model.Bericht, soort: type) -> Iterator[Knoop]:
    return (n for n in of_type(bericht, soort) if n.obj.status_aanlevering == STATUS_NIEUW)


def _zelfde_start(a: StartSleutel, b: StartSleutel) -> bool:
    """Stops of the same start in TR413–TR415: same ToewijzingNummer and Begindatum (taakgericht: Product)."""
    if a.begindatum != b.begindatum or a.toewijzing_nummer != b.toewijzing_nummer:
        return False
    return a.toewijzing_nummer is not None or a.product == b.product


def _eerdere_stops(stand: Stand, sleutel: StartSleutel) -> list[Stop]:
    return sorted((s for s in stand.stops if not s.verwijderd and _zelfde_start(s.start_sleutel, sleutel)), key=lambda s: s.einddatum)


# ---------------------------------------------------------------- 305 / 307


def _tr019(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """A start or stop refers to an existing toewijzing by ToewijzingNummer, with that toewijzing's
    product (generic toewijzing: generic start); without a number only for a product this aanbieder
    delivers taakgericht (IV096)."""
    for node in _nieuwe(bericht, model.StartProduct if isinstance(bericht, model.StartBericht) else model.StopProduct):
        p = node.obj
        product = product_van(p.product)
        if p.toewijzing_nummer is None:
            if product not in stand.taakgerichte_producten:
                yield node.fout(None, f"Geen ToewijzingNummer, en {_product(product)} wordt door deze aanbieder niet taakgericht geleverd")
            continue
        t = stand.toewijzing(p.toewijzing_nummer)
        if t is None:
            yield node.fout("toewijzing_nummer", f"ToewijzingNummer {p.toewijzing_nummer} is geen toewijzing van deze cliënt bij deze aanbieder")
        elif t.product != product:
            yield node.fout("product", f"{_product(product)} is niet het product van toewijzing {t.toewijzing_nummer} ({_product(t.product)})")


def _tr326(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """A start only when the toegewezen product has no current start: one not deleted and not stopped (OP289)."""
    if not isinstance(bericht, model.StartBericht):
        return
    verwijderd = {_start_sleutel(n.obj) for n in of_type(bericht, model.StartProduct) if n.obj.status_aanlevering == STATUS_VERWIJDEREN}
    for node in _nieuwe(bericht, model.StartProduct):
        p = node.obj
        lopend = [s for s in lopende_starts(stand.starts, stand.stops, p.toewijzing_nummer, product_van(p.product)) if s.sleutel not in verwijderd]
        if lopend:
            yield node.fout(None, f"Er is al een actuele start ({_sleutel_tekst(lopend[0].sleutel)}) zonder stop voor dit toegewezen product")


def _tr063(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """StatusAanlevering 3 needs an earlier delivery with the same logical key for this cliënt."""
    if isinstance(bericht, model.StartBericht):
        bekend = {s.sleutel for s in stand.starts if not s.verwijderd}
        sleutel: Callable = _start_sleutel
        nodes = of_type(bericht, model.StartProduct)
    else:
        bekend = {s.sleutel for s in stand.stops if not s.verwijderd}
        sleutel = _stop_sleutel
        nodes = of_type(bericht, model.StopProduct)
    for node in nodes:
        if node.obj.status_aanlevering == STATUS_VERWIJDEREN and sleutel(node.obj) not in bekend:
            yield node.fout("status_aanlevering", "StatusAanlevering 3 (verwijderen), maar er is geen eerdere aanlevering met dezelfde logische sleutel")


def _tr071(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """A start cannot be deleted (StatusAanlevering 3) once a stop refers to it."""
    for node in of_type(bericht, model.StartProduct):
        if node.obj.status_aanlevering != STATUS_VERWIJDEREN:
            continue
        sleutel = _start_sleutel(node.obj)
        for start in stand.starts:
            if not start.verwijderd and start.sleutel == sleutel and is_gestopt(start, stand.stops):
                yield node.fout("status_aanlevering", f"De start ({_sleutel_tekst(sleutel)}) is al gestopt en kan niet meer verwijderd worden")
                break


def _tr074(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """StatusAanlevering 1 with a key not already received (deleted deliveries do not count)."""
    if isinstance(bericht, model.StartBericht):
        bekend = {s.sleutel for s in stand.starts if not s.verwijderd}
        sleutel: Callable = _start_sleutel
        nodes = _nieuwe(bericht, model.StartProduct)
    else:
        bekend = {s.sleutel for s in stand.stops if not s.verwijderd}
        sleutel = _stop_sleutel
        nodes = _nieuwe(bericht, model.StopProduct)
    for node in nodes:
        if sleutel(node.obj) in bekend:
            yield node.fout(None, "Er is al een aanlevering met dezelfde logische sleutel ontvangen")


def _tr382(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """A stop copies the key (ToewijzingNummer, Product, Begindatum) of a start that was received (OP072, OP155)."""
    if not isinstance(bericht, model.StopBericht):
        return
    starts = {s.sleutel for s in stand.starts if not s.verwijderd}
    for node in _nieuwe(bericht, model.StopProduct):
        sleutel = _start_sleutel(node.obj)
        if sleutel not in starts:
            yield node.fout(None, f"Er is geen start met dezelfde sleutel ({_sleutel_tekst(sleutel)}); een stop neemt de sleutel van de start ongewijzigd over")


def _tr413(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """After a temporary stop (RedenBeeindiging 20) of a start, a further stop of it is not temporary."""
    if not isinstance(bericht, model.StopBericht):
        return
    for node in _nieuwe(bericht, model.StopProduct):
        p = node.obj
        if p.reden_beeindiging != "20":
            continue
        tijdelijk = [s for s in _eerdere_stops(stand, _start_sleutel(p)) if s.is_tijdelijk]
        if tijdelijk:
            yield node.fout(
                "reden_beeindiging",
                f"Deze levering is al tijdelijk beëindigd per {tijdelijk[-1].einddatum}; daarna volgt een nieuwe start of een definitieve stop",
            )


def _tr414(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """A further stop of the same start has an Einddatum on or after that of the current stop."""
    if not isinstance(bericht, model.StopBericht):
        return
    for node in _nieuwe(bericht, model.StopProduct):
        p = node.obj
        eerdere = _eerdere_stops(stand, _start_sleutel(p))
        definitief = [s for s in eerdere if not s.is_tijdelijk]
        huidige = (definitief or eerdere)[-1] if eerdere else None
        if huidige is not None and p.einddatum < huidige.einddatum:
            yield node.fout("einddatum", f"Einddatum {p.einddatum} ligt voor de Einddatum {huidige.einddatum} van de actuele stop")


def _tr415(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """No stop after a definitive stop (RedenBeeindiging other than 20) of the same start."""
    if not isinstance(bericht, model.StopBericht):
        return
    for node in _nieuwe(bericht, model.StopProduct):
        definitief = [s for s in _eerdere_stops(stand, _start_sleutel(node.obj)) if not s.is_tijdelijk]
        if definitief:
            s = definitief[-1]
            yield node.fout(None, f"Deze levering is al definitief beëindigd per {s.einddatum} (RedenBeeindiging {s.reden_beeindiging})")


# ---------------------------------------------------------------- 315 / 317


def _client(bericht: model.Bericht) -> Iterator[Knoop]:
    return (n for n in of_type(bericht, model.VerzoekOmToewijzingClient, model.VerzoekOmWijzigingClient))


def _tr374(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """No verzoek while an earlier one of this cliënt at this aanbieder is pending (no 301 or rejecting 319 yet, OP350)."""
    onderhanden = [v for v in stand.verzoeken if v.is_onderhanden and (v.agb, v.bsn, v.wet) == (stand.agb, stand.bsn, stand.wet)]
    if not onderhanden:
        return
    for node in _client(bericht):
        v = onderhanden[0]
        yield node.fout(None, f"Er is al een verzoek in behandeling voor deze cliënt bij deze aanbieder (ReferentieAanbieder {v.referentie_aanbieder}, {v.status})")


def _tr347(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """ReferentieAanbieder not used before by this aanbieder in this wet (OP361)."""
    for node in of_type(bericht, model.AangevraagdProduct, model.Verzoek):
        referentie = node.obj.referentie_aanbieder
        if referentie in stand.referenties:
            yield node.fout("referentie_aanbieder", f"ReferentieAanbieder {referentie} is door deze aanbieder al eerder gebruikt")


def _actueel(stand: Stand) -> dict[int, Toewijzing]:
    return {t.toewijzing_nummer: t for t in stand.toewijzingen if t.is_actueel(stand.dagtekening)}


def _tr349(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """Every current toewijzing of the cliënt appears as OngewijzigdProduct or TeWijzigenProduct."""
    for node in of_type(bericht, model.Verzoek):
        genoemd = {p.toewijzing_nummer for p in (*node.obj.ongewijzigde_producten, *node.obj.te_wijzigen_producten)}
        ontbreekt = sorted(
            nr
            for nr, t in _actueel(stand).items()
            if nr not in genoemd and not (t.versie == 1 and t.status is ToewijzingStatus.TE_VERZENDEN)
        )
        if ontbreekt:
            yield node.fout(None, f"De actuele toewijzing(en) {', '.join(map(str, ontbreekt))} ontbreken als OngewijzigdProduct of TeWijzigenProduct")


def _tr350(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """Every OngewijzigdProduct refers to a current toewijzing."""
    actueel = _actueel(stand)
    for node in of_type(bericht, model.OngewijzigdProduct):
        if node.obj.toewijzing_nummer not in actueel:
            yield node.fout("toewijzing_nummer", f"ToewijzingNummer {node.obj.toewijzing_nummer} is geen actuele toewijzing van deze cliënt")


def _tr351(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """Every TeWijzigenProduct refers to a current toewijzing."""
    actueel = _actueel(stand)
    for node in of_type(bericht, model.TeWijzigenProduct):
        if node.obj.toewijzing_nummer not in actueel:
            yield node.fout("toewijzing_nummer", f"ToewijzingNummer {node.obj.toewijzing_nummer} is geen actuele toewijzing van deze cliënt")


def _te_wijzigen(bericht: model.Bericht, stand: Stand) -> Iterator[tuple[Knoop, Toewijzing]]:
    """TeWijzigenProducten with the toewijzing they refer to (unknown ones are TR351's)."""
    actueel = _actueel(stand)
    for node in of_type(bericht, model.TeWijzigenProduct):
        t = actueel.get(node.obj.toewijzing_nummer)
        if t is not None:
            yield node, t


def _tr357(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """A GewensteIngangsdatum on or before the Dagtekening equals the toewijzing's Ingangsdatum:
    a change that does not start in the future holds for the whole period."""
    for node, t in _te_wijzigen(bericht, stand):
        gewenst = node.obj.gewenste_ingangsdatum
        if gewenst <= stand.dagtekening and gewenst != t.ingangsdatum:
            yield node.fout(
                "gewenste_ingangsdatum",
                f"GewensteIngangsdatum {gewenst} ligt niet na de Dagtekening {stand.dagtekening} en is niet de Ingangsdatum {t.ingangsdatum} van toewijzing {t.toewijzing_nummer}",
            )


def _tr373(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """A change of Budget, or of the total over the period (Frequentie 6), starts on the toewijzing's Ingangsdatum."""
    for node, t in _te_wijzigen(bericht, stand):
        p = node.obj
        budget = p.budget is not None and p.budget != t.budget
        omvang = p.omvang
        totaal = omvang is not None and omvang.frequentie == FREQUENTIE_TOTAAL and (
            t.omvang is None or (omvang.volume, omvang.eenheid, omvang.frequentie) != (t.omvang.volume, t.omvang.eenheid, t.omvang.frequentie)
        )
        if (budget or totaal) and p.gewenste_ingangsdatum != t.ingangsdatum:
            wat = "Budget" if budget else "het totaal binnen de geldigheidsduur"
            yield node.fout(
                "gewenste_ingangsdatum",
                f"{wat} wijzigt, dus GewensteIngangsdatum moet de Ingangsdatum {t.ingangsdatum} van toewijzing {t.toewijzing_nummer} zijn, niet {p.gewenste_ingangsdatum}",
            )


def _tr361(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """The same product (OP259: code, else categorie, else anything) does not occur twice in overlapping periods."""
    actueel = _actueel(stand)
    for node in of_type(bericht, model.Verzoek):
        v = node.obj
        bestaand: list[tuple[str, Product, date, date | None]] = []
        for p in v.ongewijzigde_producten:
            t = actueel.get(p.toewijzing_nummer)
            if t is not None:
                bestaand.append((f"OngewijzigdProduct {t.toewijzing_nummer}", t.product, t.ingangsdatum, t.einddatum))
        for p in v.te_wijzigen_producten:
            t = actueel.get(p.toewijzing_nummer)
            if t is not None:
                bestaand.append((f"TeWijzigenProduct {t.toewijzing_nummer}", t.product, p.gewenste_ingangsdatum, p.einddatum))
        nieuw = [(f"NieuwProduct {_product(product_van(p.product))}", product_van(p.product), p.gewenste_ingangsdatum, p.einddatum) for p in v.nieuwe_producten]
        paren = [(a, b) for i, a in enumerate(bestaand) for b in bestaand[i + 1 :]] + [(a, b) for a in bestaand for b in nieuw]
        for a, b in paren:
            if zelfde_product(a[1], b[1]) and a[2] <= (b[3] or date.max) and b[2] <= (a[3] or date.max):
                yield node.fout(None, f"{a[0]} ({_product(a[1])}) overlapt in tijd met {b[0]}")


def _tr411(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """When the toewijzing's Product has a Code, the TeWijzigenProduct has an Omvang."""
    for node, t in _te_wijzigen(bericht, stand):
        if t.product.code and node.obj.omvang is None:
            yield node.fout("omvang", f"Toewijzing {t.toewijzing_nummer} heeft Productcode {t.product.code}; Omvang is verplicht")


def _tr412(bericht: model.Bericht, stand: Stand) -> Iterator[Fout]:
    """When the toewijzing's Product has no Code and the Einddatum is after 2020-12-31 or empty, no Omvang."""
    for node, t in _te_wijzigen(bericht, stand):
        p = node.obj
        if not t.product.code and (p.einddatum is None or p.einddatum > PEILDATUM_TR412) and p.omvang is not None:
            yield node.fout("omvang", f"Toewijzing {t.toewijzing_nummer} heeft geen Productcode; Omvang moet leeg blijven")


# ---------------------------------------------------------------- the rules per berichtsoort


TR019 = Regel("TR019", _tr019)  # type: ignore[arg-type]  # checks take the Stand as their context
TR063 = Regel("TR063", _tr063)  # type: ignore[arg-type]
TR071 = Regel("TR071", _tr071)  # type: ignore[arg-type]
TR074 = Regel("TR074", _tr074)  # type: ignore[arg-type]
TR326 = Regel("TR326", _tr326)  # type: ignore[arg-type]
TR382 = Regel("TR382", _tr382)  # type: ignore[arg-type]
TR413 = Regel("TR413", _tr413)  # type: ignore[arg-type]
TR414 = Regel("TR414", _tr414)  # type: ignore[arg-type]
TR415 = Regel("TR415", _tr415)  # type: ignore[arg-type]
TR347 = Regel("TR347", _tr347)  # type: ignore[arg-type]
TR349 = Regel("TR349", _tr349)  # type: ignore[arg-type]
TR350 = Regel("TR350", _tr350)  # type: ignore[arg-type]
TR351 = Regel("TR351", _tr351)  # type: ignore[arg-type]
TR357 = Regel("TR357", _tr357)  # type: ignore[arg-type]
TR361 = Regel("TR361", _tr361)  # type: ignore[arg-type]
TR373 = Regel("TR373", _tr373)  # type: ignore[arg-type]
TR374 = Regel("TR374", _tr374)  # type: ignore[arg-type]
TR411 = Regel("TR411", _tr411)  # type: ignore[arg-type]
TR412 = Regel("TR412", _tr412)  # type: ignore[arg-type]

REGELS: dict[type, tuple[Regel, ...]] = {
    model.StartBericht: (TR019, TR326, TR063, TR071, TR074),
    model.StopBericht: (TR019, TR382, TR063, TR074, TR413, TR414, TR415),
    model.VerzoekOmToewijzingBericht: (TR374, TR347),
    model.VerzoekOmWijzigingBericht: (TR374, TR347, TR349, TR350, TR351, TR357, TR373, TR361, TR411, TR412),
}
NIVEAUS = (Controleniveau.BERICHTOVERSTIJGEND, Controleniveau.EXTERNE_BRON)


@functools.cache
def regelset(soort: type) -> Regelset:
    """The rules of one message type with their official metadata (read once per process)."""
    return Regelset(REGELS[soort], load_regelinfo())


def beoordeel(bericht: model.Bericht, stand: Stand) -> list[Bevinding]:
    """The findings of the toewijzing service's rules on an incoming 305, 307, 315 or 317."""
    soort = type(bericht)
    if soort not in REGELS:
        raise TypeError(f"the toewijzing service does not check a {soort.__name__}")
    if getattr(bericht, "client", None) is None:
        return []
    return regelset(soort).controleer(bericht, stand, NIVEAUS)  # type: ignore[arg-type]
