"""Technical rules (TR) checked inside one message (controleniveau 2).

Where each applies is the official per-element export (standaard/ijw/3.2/rules/regels-per-data-element.csv).
That export names the heenberichten (JW301, JW305 …; the iWmo twins WMO301 … follow the same places); the
model classes are shared with the retourberichten, so each rule declares the berichtsoorten (`context.soort`)
it applies to on its `Regel` (`soorten=`), and a rule is not run on any other: none on a retourbericht, for
which the export names only the header's RS rules (the XSD checks them).
A rule the export places on an element reports that element; a rule placed on a class (TR006, TR101,
TR302, …) reports the class.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Hashable, Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

from berichten.domain.model import (
    AangevraagdProduct,
    Antwoord,
    Bericht,
    Contact,
    Declaratie,
    DeclaratieAntwoord,
    DeclaratieClient,
    Geboortedatum,
    GeslotenPeriode,
    NieuwProduct,
    OngewijzigdProduct,
    Prestatie,
    Product,
    Referentie,
    Relatie,
    StartClient,
    StartProduct,
    StopClient,
    StopProduct,
    TeWijzigenProduct,
    ToegewezenProduct,
    ToewijzingClient,
    Verzoek,
    VerzoekOmToewijzingClient,
    VerzoekOmWijzigingClient,
    Woonplaatsbeginsel,
)
from berichten.domain.regels.regel import Context, Fout, Knoop, Regel, of_type

# ---------------------------------------------------------------- helpers


def _dagtekening(bericht: Bericht) -> date:
    return bericht.header.bericht_identificatie.dagtekening


def _jaren_terug(datum: date, jaren: int) -> date:
    """The same calendar day `jaren` years earlier (29 February falls back to 28 February)."""
    try:
        return datum.replace(year=datum.year - jaren)
    except ValueError:
        return datum.replace(year=datum.year - jaren, day=28)


def _product(product: Product | None) -> str:
    if product is None:
        return "zonder Product"
    return f"Product {product.categorie}/{product.code}" if product.code else f"Productcategorie {product.categorie}"


def _periode(begin: date, eind: date | None) -> str:
    return f"{begin} t/m {eind}" if eind is not None else f"vanaf {begin} (open einde)"


def _zelfde_product(a: Product | None, b: Product | None) -> bool:
    """Stapeling (OP259): the same productcode; without a code the same category; without a category anything."""
    if a is None or b is None:
        return True
    if a.categorie != b.categorie:
        return False
    return a.code is None or b.code is None or a.code == b.code


def _overlappen(begin_a: date, eind_a: date | None, begin_b: date, eind_b: date | None) -> bool:
    """Two periods with an inclusive Einddatum (None = open) share at least one day."""
    return begin_a <= (eind_b or date.max) and begin_b <= (eind_a or date.max)


def _gestapeld(
    nodes: Iterable[Knoop], periode: Callable[[Any], tuple[date, date | None]], sleutel: Callable[[Any], str]
) -> Iterator[Fout]:
    """One finding for every class whose product overlaps in time with the same product in an earlier class."""
    eerdere: list[Knoop] = []
    for node in nodes:
        begin, eind = periode(node.obj)
        for eerder in eerdere:
            begin_e, eind_e = periode(eerder.obj)
            if _zelfde_product(node.obj.product, eerder.obj.product) and _overlappen(begin, eind, begin_e, eind_e):
                yield node.fout(
                    None,
                    f"{sleutel(node.obj)} met {_product(node.obj.product)} ({_periode(begin, eind)}) overlapt met "
                    f"{sleutel(eerder.obj)} met {_product(eerder.obj.product)} ({_periode(begin_e, eind_e)}) op {eerder.pad}",
                )
                break
        eerdere.append(node)


def _bedrag(waarde: int, debet_credit: str) -> int:
    """An amount with its sign: debet counts up, credit counts down."""
    return -waarde if debet_credit == "C" else waarde


def _euro(centen: int) -> str:
    teken = "-" if centen < 0 else ""
    return f"{teken}{abs(centen) // 100},{abs(centen) % 100:02d} euro"


# ---------------------------------------------------------------- TR002, TR018, TR134, TR137, TR335, TR380: dates


def _tr018(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """StopProduct: Einddatum on or after Begindatum."""
    for node in of_type(bericht, StopProduct):
        if node.obj.einddatum < node.obj.begindatum:
            yield node.fout("einddatum", f"Einddatum {node.obj.einddatum} ligt voor Begindatum {node.obj.begindatum}")


def _laatst_mogelijke_geboortedatum(geboortedatum: Geboortedatum) -> date | None:
    """The latest day the client can have been born on; None when the date is unknown (DatumGebruik 3 and 1900-01-01).

    DatumGebruik 1 (day unknown) and 2 (day and month unknown) leave the year known, so the rule still
    applies, judged at the precision that is known.
    """
    datum = geboortedatum.datum
    if geboortedatum.datum_gebruik == "3" and datum == date(1900, 1, 1):
        return None
    if geboortedatum.datum_gebruik == "1":
        return datum.replace(day=calendar.monthrange(datum.year, datum.month)[1])
    if geboortedatum.datum_gebruik == "2":
        return date(datum.year, 12, 31)
    return datum


def _tr002(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Geboortedatum (Client and, in the 301, Relatie) not more than 120 years before the Dagtekening, unless unknown."""
    dagtekening = _dagtekening(bericht)
    grens = _jaren_terug(dagtekening, 120)
    for node in of_type(bericht, Geboortedatum):
        laatst = _laatst_mogelijke_geboortedatum(node.obj)
        if laatst is not None and laatst < grens:
            gebruik = f" (DatumGebruik {node.obj.datum_gebruik})" if node.obj.datum_gebruik else ""
            yield node.fout(
                "datum",
                f"Geboortedatum {node.obj.datum}{gebruik} ligt meer dan 120 jaar voor de Dagtekening {dagtekening} "
                f"(grens {grens}); een onbekende geboortedatum is 1900-01-01 met DatumGebruik 3",
            )


def _tr134_plaatsen(context: Context) -> list[tuple[type, str, str]]:
    """(class, attribute, what) for every date TR134 applies to in this berichtsoort."""
    soort = context.soort
    plaatsen = []
    if soort in ("301", "305", "307", "315"):
        plaatsen.append((Geboortedatum, "datum", "Geboortedatum"))
    if soort == "301":
        plaatsen.append((ToegewezenProduct, "toewijzingsdatum", "Toewijzingsdatum"))
    if soort == "305":
        plaatsen.append((StartProduct, "begindatum", "Begindatum"))
    if soort == "307":
        plaatsen.append((StopProduct, "einddatum", "Einddatum"))
    if soort in ("323", "325"):
        # DeclaratiePeriode (323) and ProductPeriode (323, 325) are the only GeslotenPeriodes
        plaatsen.append((GeslotenPeriode, "begindatum", "Begindatum"))
    return plaatsen


def _tr134(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """The date is not after the Dagtekening of the message."""
    dagtekening = _dagtekening(bericht)
    for kind, attribute, naam in _tr134_plaatsen(context):
        for node in of_type(bericht, kind):
            waarde = getattr(node.obj, attribute)
            if waarde > dagtekening:
                yield node.fout(attribute, f"{naam} {waarde} ligt na de Dagtekening {dagtekening} van het bericht")


def _tr137(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Einddatum of DeclaratiePeriode (323) and ProductPeriode (323, 325): not before Begindatum, not after the Dagtekening."""
    dagtekening = _dagtekening(bericht)
    for node in of_type(bericht, GeslotenPeriode):
        periode = node.obj
        if periode.einddatum < periode.begindatum:
            yield node.fout("einddatum", f"Einddatum {periode.einddatum} ligt voor Begindatum {periode.begindatum}")
        elif periode.einddatum > dagtekening:
            yield node.fout("einddatum", f"Einddatum {periode.einddatum} ligt na de Dagtekening {dagtekening} van het bericht")


def _tr335(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Prestatie/ProductPeriode/Einddatum (323) not more than 5 years before the DeclaratieDagtekening."""
    dagtekening = bericht.declaratie.declaratie_dagtekening
    grens = _jaren_terug(dagtekening, 5)
    for node in of_type(bericht, GeslotenPeriode):
        if node.obj.einddatum < grens and isinstance(node.ouder.obj, Prestatie):
            yield node.fout(
                "einddatum",
                f"Einddatum {node.obj.einddatum} van de ProductPeriode ligt meer dan 5 jaar voor de "
                f"DeclaratieDagtekening {dagtekening} (grens {grens})",
            )


def _tr380(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """NieuwProduct/GewensteIngangsdatum (317) after the Dagtekening of the message."""
    dagtekening = _dagtekening(bericht)
    for node in of_type(bericht, NieuwProduct):
        if node.obj.gewenste_ingangsdatum <= dagtekening:
            yield node.fout(
                "gewenste_ingangsdatum",
                f"GewensteIngangsdatum {node.obj.gewenste_ingangsdatum} ligt niet na de Dagtekening {dagtekening} "
                "van het bericht",
            )


# ---------------------------------------------------------------- TR006, TR061: contact and address (301)


def _tr006(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Contact (of the Client and of a Relatie, 301) has a Telefoon and/or an Adres with both Huis and Postcode."""
    for node in of_type(bericht, Contact):
        contact = node.obj
        adres = contact.adres
        if contact.telefoon is not None or (adres is not None and adres.huis is not None and adres.postcode):
            continue
        if adres is None:
            ontbreekt = "geen Adres"
        else:
            leeg = (("geen Huis", adres.huis is None), ("geen Postcode", not adres.postcode))
            ontbreekt = " en ".join(naam for naam, ontbreekt_het in leeg if ontbreekt_het)
        yield node.fout(None, f"Contact met Soort {contact.soort} heeft geen Telefoon en {ontbreekt}")


_ADRESSOORTEN_CLIENT = frozenset(("01", "02", "03"))  # BRP-adres, correspondentieadres, verblijfadres


def _tr061(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """The Client of a 301 has at least one Contact with Soort 01, 02 or 03."""
    for node in of_type(bericht, ToewijzingClient):
        soorten = [c.soort for c in node.obj.contactgegevens]
        if _ADRESSOORTEN_CLIENT.isdisjoint(soorten):
            yield node.fout(
                "contactgegevens",
                f"Client {node.obj.bsn} heeft geen Contact met Soort 01, 02 of 03 (gevonden: {', '.join(soorten) or 'geen'})",
            )


# ---------------------------------------------------------------- TR101: no duplicate lines


def _product_sleutel(product: Product | None) -> tuple[str, str | None] | None:
    return None if product is None else (product.categorie, product.code)


class Sleutel(NamedTuple):
    """A class's logical key: its value, the words for it in a finding (made only for a finding), and one
    part of it for each of a list of classes (`delen`): where no two classes of a kind share that part, none
    share their key, which TR101 checks first (a large 323 has 47,000 classes with a key)."""

    waarde: Callable[[Any], Hashable]
    beschrijving: Callable[[Any], str]
    delen: Callable[[Iterable[Knoop]], list[Hashable]]


_BSN = Sleutel(lambda o: o.bsn, lambda o: f"Bsn {o.bsn}", lambda nodes: [n.obj.bsn for n in nodes])
_TOEWIJZINGNUMMER = Sleutel(
    lambda o: o.toewijzing_nummer,
    lambda o: f"ToewijzingNummer {o.toewijzing_nummer}",
    lambda nodes: [n.obj.toewijzing_nummer for n in nodes],
)
_REFERENTIE_AANBIEDER = Sleutel(
    lambda o: o.referentie_aanbieder,
    lambda o: f"ReferentieAanbieder {o.referentie_aanbieder}",
    lambda nodes: [n.obj.referentie_aanbieder for n in nodes],
)
_DECLARATIENUMMER = Sleutel(
    lambda o: o.declaratie_nummer,
    lambda o: f"DeclaratieNummer {o.declaratie_nummer}",
    lambda nodes: [n.obj.declaratie_nummer for n in nodes],
)

# The logical key of every class that has one (the export's "Sleutelelement"; istandaard.md §6).
# The parents' keys are part of a class's key (TR101's documentation).
_SLEUTELS: dict[type, Sleutel] = {
    ToewijzingClient: _BSN,
    StartClient: _BSN,
    StopClient: _BSN,
    VerzoekOmToewijzingClient: _BSN,
    VerzoekOmWijzigingClient: _BSN,
    DeclaratieClient: _BSN,
    Contact: Sleutel(lambda o: o.soort, lambda o: f"Soort {o.soort}", lambda nodes: [n.obj.soort for n in nodes]),
    Relatie: Sleutel(lambda o: o.nummer, lambda o: f"Nummer {o.nummer}", lambda nodes: [n.obj.nummer for n in nodes]),
    ToegewezenProduct: _TOEWIJZINGNUMMER,
    StartProduct: Sleutel(
        lambda o: (o.toewijzing_nummer, _product_sleutel(o.product), o.begindatum),
        lambda o: f"ToewijzingNummer {o.toewijzing_nummer}, {_product(o.product)}, Begindatum {o.begindatum}",
        lambda nodes: [n.obj.toewijzing_nummer for n in nodes],
    ),
    StopProduct: Sleutel(
        lambda o: (o.toewijzing_nummer, _product_sleutel(o.product), o.begindatum, o.einddatum, o.reden_beeindiging),
        lambda o: (
            f"ToewijzingNummer {o.toewijzing_nummer}, {_product(o.product)}, Begindatum {o.begindatum}, "
            f"Einddatum {o.einddatum}, RedenBeeindiging {o.reden_beeindiging}"
        ),
        lambda nodes: [n.obj.toewijzing_nummer for n in nodes],
    ),
    AangevraagdProduct: _REFERENTIE_AANBIEDER,
    Verzoek: _REFERENTIE_AANBIEDER,
    OngewijzigdProduct: _TOEWIJZINGNUMMER,
    TeWijzigenProduct: _TOEWIJZINGNUMMER,
    NieuwProduct: Sleutel(
        lambda o: (_product_sleutel(o.product), o.gewenste_ingangsdatum),
        lambda o: f"{_product(o.product)}, GewensteIngangsdatum {o.gewenste_ingangsdatum}",
        lambda nodes: [n.obj.gewenste_ingangsdatum for n in nodes],
    ),
    Declaratie: _DECLARATIENUMMER,
    DeclaratieAntwoord: _DECLARATIENUMMER,
    Prestatie: Sleutel(
        lambda o: (o.product_referentie.referentie_nummer, o.product_referentie.vorig_referentie_nummer),
        lambda o: (
            f"ReferentieNummer {o.product_referentie.referentie_nummer}, "
            f"VorigReferentieNummer {o.product_referentie.vorig_referentie_nummer or '(leeg)'}"
        ),
        lambda nodes: [n.obj.product_referentie.referentie_nummer for n in nodes],
    ),
}

# Where TR101 applies (the export): berichtsoort -> the classes that must not repeat (each has a key in _SLEUTELS).
_TR101_KLASSEN: dict[str, tuple[type, ...]] = {
    "301": (Contact, Relatie, ToegewezenProduct),
    "305": (StartProduct,),
    "307": (StopProduct,),
    "315": (AangevraagdProduct,),
    "317": (VerzoekOmWijzigingClient, NieuwProduct, OngewijzigdProduct, TeWijzigenProduct),
    "323": (DeclaratieClient, Prestatie),
    "325": (DeclaratieClient, Prestatie),
}


_NOG_NIET = object()


def _eerste(node: Knoop | None, eersten: dict[Knoop | None, Knoop | None], per_sleutel: dict[tuple, Knoop]) -> Knoop | None:
    """The first class in the message with the same full logical key as `node`: its own key (if its kind has
    one) after the full key of the class above it. Two classes have the same full key exactly when they have
    the same first one, so a key is a short tuple (first above, kind, own key) instead of the whole chain.
    `eersten` keeps each class's first once worked out (None for the empty key above /Bericht: {None: None});
    `per_sleutel` the first class with each short key."""
    eerste = eersten.get(node, _NOG_NIET)
    if eerste is _NOG_NIET:
        assert node is not None
        boven = _eerste(node.ouder, eersten, per_sleutel)
        kind = type(node.obj)
        eigen = _SLEUTELS.get(kind)
        eerste = boven if eigen is None else per_sleutel.setdefault((boven, kind, eigen.waarde(node.obj)), node)
        eersten[node] = eerste
    return eerste  # type: ignore[return-value]


def _verschillend(waarden: list[Hashable]) -> bool:
    """No two of these values are the same."""
    return len(set(waarden)) == len(waarden)


def _onder(node: Knoop, dubbel: set[Knoop]) -> bool:
    """Some class above this one is one of the given classes."""
    ouder = node.ouder
    while ouder is not None:
        if ouder in dubbel:
            return True
        ouder = ouder.ouder
    return False


def _tr101(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """No two classes of one kind with the same logical key (including their parents' keys) in one message."""
    # A kind of which no two classes share even a part of their key has no duplicates (the usual case): only
    # the others are looked at (a class above them gets its key all the same, in _eerste).
    klassen = [kind for kind in _TR101_KLASSEN[context.soort] if not _verschillend(_SLEUTELS[kind].delen(of_type(bericht, kind)))]
    if not klassen:
        return
    eersten: dict[Knoop | None, Knoop | None] = {None: None}
    per_sleutel: dict[tuple, Knoop] = {}
    dubbel: set[Knoop] = set()  # a class under a duplicate one repeats its parent's key: reported once, at the parent
    for node in of_type(bericht, *klassen):
        if dubbel and _onder(node, dubbel):
            continue
        eerder = _eerste(node, eersten, per_sleutel)
        if eerder is not node:
            dubbel.add(node)
            naam = type(node.obj).TAG
            beschrijving = _SLEUTELS[type(node.obj)].beschrijving(node.obj)
            yield node.fout(None, f"Dubbele {naam} met logische sleutel {beschrijving}: komt ook voor op {eerder.pad}")


# ---------------------------------------------------------------- TR302, TR386, TR410: no stacking


def _is_verwijderd(toewijzing: ToegewezenProduct) -> bool:
    """Deleted (RedenWijziging 13) or lapsed (01) with Einddatum = Ingangsdatum: not a current toewijzing (OP259)."""
    return toewijzing.einddatum == toewijzing.ingangsdatum and toewijzing.reden_wijziging in ("01", "13")


def _tr302(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """ToegewezenProducten (301) of the same product do not overlap in time; deleted ones do not count."""
    actueel = (node for node in of_type(bericht, ToegewezenProduct) if not _is_verwijderd(node.obj))
    yield from _gestapeld(actueel, lambda o: (o.ingangsdatum, o.einddatum), lambda o: f"ToewijzingNummer {o.toewijzing_nummer}")


def _tr386(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """AangevraagdProducten (315) of the same product do not overlap in time."""
    yield from _gestapeld(
        of_type(bericht, AangevraagdProduct),
        lambda o: (o.toewijzing_ingangsdatum, o.toewijzing_einddatum),
        lambda o: f"AangevraagdProduct {o.referentie_aanbieder}",
    )


def _tr410(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """NieuweProducten (317) of the same product do not overlap in time."""
    yield from _gestapeld(
        of_type(bericht, NieuwProduct), lambda o: (o.gewenste_ingangsdatum, o.einddatum), lambda o: "NieuwProduct"
    )


# ---------------------------------------------------------------- TR352, TR353: verzoek om wijziging (317)


def _tr352(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """A Verzoek (317) has at least one OngewijzigdProduct or TeWijzigenProduct."""
    for node in of_type(bericht, Verzoek):
        if not node.obj.ongewijzigde_producten and not node.obj.te_wijzigen_producten:
            yield node.fout(
                None,
                f"Verzoek {node.obj.referentie_aanbieder} bevat geen OngewijzigdProduct en geen TeWijzigenProduct; "
                "een verzoek om wijziging gaat over minstens één actuele toewijzing",
            )


def _tr353(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """A Verzoek (317) has at least one TeWijzigenProduct or NieuwProduct."""
    for node in of_type(bericht, Verzoek):
        if not node.obj.te_wijzigen_producten and not node.obj.nieuwe_producten:
            yield node.fout(
                None,
                f"Verzoek {node.obj.referentie_aanbieder} bevat geen TeWijzigenProduct en geen NieuwProduct; "
                "er wordt niets gewijzigd",
            )


# ---------------------------------------------------------------- TR377, TR409: woonplaatsbeginsel (JW319)


def _tr377(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) requires the class Woonplaatsbeginsel (JW319; iWmo has no such class)."""
    if context.standaard != "ijw":
        return
    for node in of_type(bericht, Antwoord):
        if node.obj.reden_afwijzing_verzoek == "8" and node.obj.woonplaatsbeginsel is None:
            yield node.fout(
                "woonplaatsbeginsel", "RedenAfwijzingVerzoek is 8 (woonplaatsbeginsel) maar Woonplaatsbeginsel ontbreekt"
            )


def _tr409(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """The class Woonplaatsbeginsel (JW319) only with RedenAfwijzingVerzoek 8."""
    for node in of_type(bericht, Woonplaatsbeginsel):
        antwoord = node.ouder.obj if node.ouder is not None else None
        reden = getattr(antwoord, "reden_afwijzing_verzoek", None)
        if reden != "8":
            yield node.fout(
                None,
                f"Woonplaatsbeginsel (Gemeente {node.obj.gemeente}) is opgenomen terwijl RedenAfwijzingVerzoek "
                f"{reden or 'leeg'} is en niet 8 (woonplaatsbeginsel)",
            )


# ---------------------------------------------------------------- TR383: ReferentieAanbieder (315)


def _tr383(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """ReferentieAanbieder unique for every AangevraagdProduct in the message (315)."""
    gezien: dict[str, Knoop] = {}
    for node in of_type(bericht, AangevraagdProduct):
        referentie = node.obj.referentie_aanbieder
        eerder = gezien.setdefault(referentie, node)
        if eerder is not node:
            yield node.fout("referentie_aanbieder", f"ReferentieAanbieder {referentie} komt ook voor op {eerder.pad}")


# ---------------------------------------------------------------- TR315, TR316, TR358, TR416: declaratie (323)



def _tr315(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """VorigReferentieNummer of a Prestatie unique in the message (323)."""
    vorige = [vorig for node in of_type(bericht, Referentie) if (vorig := node.obj.vorig_referentie_nummer) is not None]
    if len(set(vorige)) == len(vorige):
        return  # none repeats (the usual case)
    gezien: dict[str, Knoop] = {}
    for node in of_type(bericht, Referentie):
        vorig = node.obj.vorig_referentie_nummer
        if vorig is None:
            continue
        eerder = gezien.setdefault(vorig, node)
        if eerder is not node:
            yield node.fout(
                "vorig_referentie_nummer", f"VorigReferentieNummer {vorig} komt ook voor op {eerder.pad}/VorigReferentieNummer"
            )


def _tr316(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """No Prestatie credits a ReferentieNummer of a Prestatie in the same message (323)."""
    nummers: set[str] = set()
    met_vorig: list[Knoop] = []
    for node in of_type(bericht, Referentie):
        nummers.add(node.obj.referentie_nummer)
        if node.obj.vorig_referentie_nummer is not None:
            met_vorig.append(node)
    referenties: dict[str, Knoop] | None = None  # ReferentieNummer -> (the last) Referentie with it, for a finding
    for node in met_vorig:
        vorig = node.obj.vorig_referentie_nummer
        if vorig in nummers:
            if referenties is None:
                referenties = {r.obj.referentie_nummer: r for r in of_type(bericht, Referentie)}
            yield node.fout(
                "vorig_referentie_nummer",
                f"VorigReferentieNummer {vorig} verwijst naar de Prestatie met ReferentieNummer {vorig} in hetzelfde bericht "
                f"({referenties[vorig].pad}); een debetprestatie mag niet in hetzelfde bericht gecrediteerd worden",
            )


def _tr358(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Declaratie/TotaalIngediendBedrag (323) = Σ debet − Σ credit of the IngediendBedrag of all Prestaties."""
    for node in of_type(bericht, Declaratie):
        totaal = node.obj.totaal_ingediend_bedrag
        opgegeven = _bedrag(totaal.totaal_bedrag, totaal.debet_credit)
        som = sum(
            _bedrag(p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit) for c in node.obj.clienten for p in c.prestaties
        )
        if opgegeven != som:
            yield node.fout(
                "totaal_ingediend_bedrag",
                f"TotaalIngediendBedrag {totaal.totaal_bedrag} {totaal.debet_credit} ({_euro(opgegeven)}) is niet de som "
                f"van de IngediendBedragen van de Prestaties ({_euro(som)}, debet min credit)",
            )


def _tr416(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """At most one debet Prestatie (323) per ToewijzingNummer, ProductCategorie, ProductCode and ProductPeriode."""
    gezien: dict[tuple[Hashable, ...], Knoop] = {}
    for node in of_type(bericht, Prestatie):
        p = node.obj
        if p.ingediend_bedrag.debet_credit != "D":
            continue
        periode = p.product_periode
        sleutel = (p.toewijzing_nummer, p.product_categorie, p.product_code, periode.begindatum, periode.einddatum)
        eerder = gezien.setdefault(sleutel, node)
        if eerder is not node:
            yield node.fout(
                None,
                f"Tweede debetprestatie voor ToewijzingNummer {p.toewijzing_nummer}, "
                f"Product {p.product_categorie}/{p.product_code}, ProductPeriode {periode.begindatum} t/m {periode.einddatum}: "
                f"er staat al een debetprestatie op {eerder.pad}",
            )


# ---------------------------------------------------------------- TR342: declaratie-antwoord (325)

_NIET_AFGEKEURD = {"0200", "8001"}  # geen opmerking; declaratie volledig toegekend


def _afgekeurd(retour_codes: list[str]) -> bool:
    return any(code not in _NIET_AFGEKEURD for code in retour_codes)


def _tr342(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Only rejected Prestaties in a 325: Σ IngediendBedrag of the Prestaties = TotaalIngediendBedrag − TotaalToegekendBedrag.

    When the class DeclaratieAntwoord itself is rejected, no Prestatie is judged or returned and the
    TotaalToegekendBedrag is 0.
    """
    for node in of_type(bericht, DeclaratieAntwoord):
        antwoord = node.obj
        ingediend = _bedrag(antwoord.totaal_ingediend_bedrag.totaal_bedrag, antwoord.totaal_ingediend_bedrag.debet_credit)
        toegekend = _bedrag(antwoord.totaal_toegekend_bedrag.totaal_bedrag, antwoord.totaal_toegekend_bedrag.debet_credit)
        if _afgekeurd(antwoord.retour_codes):
            codes = ", ".join(antwoord.retour_codes)
            if toegekend != 0:
                yield node.fout(
                    "totaal_toegekend_bedrag",
                    f"DeclaratieAntwoord is afgekeurd ({codes}) maar TotaalToegekendBedrag is {_euro(toegekend)} in plaats van 0",
                )
            if antwoord.clienten:
                yield node.fout("clienten", f"DeclaratieAntwoord is afgekeurd ({codes}); dan worden geen Prestaties meegestuurd")
            continue
        for prestatie in of_type(bericht, Prestatie):
            if not _afgekeurd(prestatie.obj.retour_codes):
                codes = ", ".join(prestatie.obj.retour_codes) or "geen"
                yield prestatie.fout(
                    "retour_codes",
                    f"Prestatie {prestatie.obj.product_referentie.referentie_nummer} is niet afgewezen (RetourCodes: {codes}); "
                    "alleen afgewezen Prestaties worden meegestuurd",
                )
        som = sum(
            _bedrag(p.ingediend_bedrag.bedrag, p.ingediend_bedrag.debet_credit) for c in antwoord.clienten for p in c.prestaties
        )
        if som != ingediend - toegekend:
            yield node.fout(
                "totaal_toegekend_bedrag",
                f"TotaalIngediendBedrag {_euro(ingediend)} min TotaalToegekendBedrag {_euro(toegekend)} is "
                f"{_euro(ingediend - toegekend)}, maar de meegestuurde (afgewezen) Prestaties tellen op tot {_euro(som)}",
            )


# ---------------------------------------------------------------- the rules

TR002 = Regel("TR002", _tr002, soorten=("301", "305", "307", "315"))
TR006 = Regel("TR006", _tr006, soorten=("301",))
TR018 = Regel("TR018", _tr018, soorten=("307",))
TR061 = Regel("TR061", _tr061, soorten=("301",))
TR101 = Regel("TR101", _tr101, soorten=tuple(_TR101_KLASSEN))
TR134 = Regel("TR134", _tr134, soorten=("301", "305", "307", "315", "323", "325"))  # the places: _tr134_plaatsen
TR137 = Regel("TR137", _tr137, soorten=("323", "325"))
TR302 = Regel("TR302", _tr302, soorten=("301",))
TR315 = Regel("TR315", _tr315, soorten=("323",))
TR316 = Regel("TR316", _tr316, soorten=("323",))
TR335 = Regel("TR335", _tr335, soorten=("323",))
TR342 = Regel("TR342", _tr342, soorten=("325",))
TR352 = Regel("TR352", _tr352, soorten=("317",))
TR353 = Regel("TR353", _tr353, soorten=("317",))
TR358 = Regel("TR358", _tr358, soorten=("323",))
TR377 = Regel("TR377", _tr377, soorten=("319",))
TR380 = Regel("TR380", _tr380, soorten=("317",))
TR383 = Regel("TR383", _tr383, soorten=("315",))
TR386 = Regel("TR386", _tr386, soorten=("315",))
TR409 = Regel("TR409", _tr409, soorten=("319",))
TR410 = Regel("TR410", _tr410, soorten=("317",))
TR416 = Regel("TR416", _tr416, soorten=("323",))

REGELS: tuple[Regel, ...] = (
    TR002,
    TR006,
    TR018,
    TR061,
    TR101,
    TR134,
    TR137,
    TR302,
    TR315,
    TR316,
    TR335,
    TR342,
    TR352,
    TR353,
    TR358,
    TR377,
    TR380,
    TR383,
    TR386,
    TR409,
    TR410,
    TR416,
)
