"""Constraints (CS) checked inside one message (controleniveau 2).

Where each applies is the official per-element export (standaard/ijw/3.2/rules/regels-per-data-element.csv).
That export names heenberichten (and the 325) only; the retourberichten that share a model class with their
heenbericht (302, 306, 308, 316, 318, 320) are not checked: each rule declares the berichtsoorten it applies to on
its `Regel` (`soorten=`); for a retourbericht the export names only the header's RS rules, which the XSD checks.
A finding's location is the element the export places the rule on (e.g. CS338 on Omvang, CS050 on Naam/NaamGebruik).
"""

from __future__ import annotations

import calendar
import dataclasses
import operator
import re
from collections.abc import Iterator
from datetime import date

from berichten.domain import model
from berichten.domain.model import (
    AangevraagdProduct,
    Adres,
    BedragMetDC,
    Bericht,
    Contact,
    Declaratie,
    Geboortedatum,
    GeslotenPeriode,
    NieuwProduct,
    OpenPeriode,
    Prestatie,
    Relatie,
    StartProduct,
    StopProduct,
    TeWijzigenProduct,
    ToegewezenProduct,
    TotaalBedragMetDC,
    VolledigeNaam,
    element_name,
)
from berichten.domain.regels.condities import EINDDATUM, INGANGSDATUM, NA_2020
from berichten.domain.regels.regel import Context, Fout, Regel, of_type, volgnummer


_ELFPROEF_GEWICHTEN = (9, 8, 7, 6, 5, 4, 3, 2, -1)  # the ninth digit counts -1
_ASCII_NUL = ord("0") * sum(_ELFPROEF_GEWICHTEN)  # what the ASCII codes of the digits add to the weighted sum


def _is_elfproef(bsn: str) -> bool:
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    if bsn.isascii():  # always after the XSD ([0-9]{9}): weigh the ASCII codes, no int() per digit
        return (sum(map(operator.mul, _ELFPROEF_GEWICHTEN, bsn.encode())) - _ASCII_NUL) % 11 == 0
    return sum(map(operator.mul, _ELFPROEF_GEWICHTEN, map(int, bsn))) % 11 == 0


# The classes that have a Bsn (the Client of every berichtsoort).
_MET_BSN: tuple[type, ...] = tuple(
    cls for cls in vars(model).values() if dataclasses.is_dataclass(cls) and any(f.name == "bsn" for f in dataclasses.fields(cls))
)


def _cs002(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Client/Bsn passes the 11-proef (every message with a Client)."""
    for node in of_type(bericht, *_MET_BSN):
        bsn = node.obj.bsn
        if bsn is not None and not _is_elfproef(bsn):
            yield node.fout("bsn", f"Bsn {bsn} voldoet niet aan de 11-proef")


CS002 = Regel("CS002", _cs002, soorten=("301", "305", "307", "315", "317", "323", "325"))  # every heenbericht with a Client, and the 325


# ---------------------------------------------------------------- periods and dates


def _cs003(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """An einddatum is on or after the begindatum (ingangsdatum) of its period: Contact/Periode (301),
    ToegewezenProduct (301), AangevraagdProduct/ToewijzingEinddatum (315), NieuwProduct and TeWijzigenProduct (317,
    against GewensteIngangsdatum)."""
    if context.soort == "301":
        for node in of_type(bericht, OpenPeriode):
            if not isinstance(node.ouder.obj, Contact):
                continue
            periode = node.obj
            if periode.begindatum is not None and periode.einddatum is not None and periode.einddatum < periode.begindatum:
                yield node.fout("einddatum", f"Einddatum {periode.einddatum} ligt voor Begindatum {periode.begindatum}")
    if context.soort in ("301", "315", "317"):
        for node in of_type(bericht, *EINDDATUM):
            eind, begin = EINDDATUM[type(node.obj)], INGANGSDATUM[type(node.obj)]
            einddatum, begindatum = getattr(node.obj, eind), getattr(node.obj, begin)
            if einddatum is not None and einddatum < begindatum:
                yield node.fout(eind, f"{element_name(eind)} {einddatum} ligt voor {element_name(begin)} {begindatum}")


CS003 = Regel("CS003", _cs003, soorten=("301", "315", "317"))


def _cs100(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Declaratie/DeclaratiePeriode and Prestatie/ProductPeriode (323): dates on or after 2021-01-01."""
    grens = date(2021, 1, 1)
    for node in of_type(bericht, GeslotenPeriode):
        periode = node.obj
        if periode.begindatum < grens or periode.einddatum < grens:
            naam = node.pad.rsplit("/", 1)[-1]
            yield node.fout(None, f"{naam} {periode.begindatum} t/m {periode.einddatum} ligt (deels) voor 01-01-2021")


CS100 = Regel("CS100", _cs100, soorten=("323",))


_ONBEKENDE_GEBOORTEDATUM = date(1900, 1, 1)  # with DatumGebruik 3


def _cs139(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Geboortedatum/DatumGebruik agrees with Datum: 3 -> 1900-01-01, 2 -> 01-01-EEJJ, 1 -> 01-MM-EEJJ
    (Client in 301, 305, 307, 315; Relatie in 301)."""
    for node in of_type(bericht, Geboortedatum):
        datum, gebruik = node.obj.datum, node.obj.datum_gebruik
        if gebruik == "3":
            vorm, klopt = "01-01-1900", datum == _ONBEKENDE_GEBOORTEDATUM
        elif gebruik == "2":
            vorm, klopt = "01-01-EEJJ", datum.month == 1 and datum.day == 1
        elif gebruik == "1":
            vorm, klopt = "01-MM-EEJJ", datum.day == 1
        else:
            continue
        if not klopt:
            yield node.fout("datum_gebruik", f"DatumGebruik {gebruik} vraagt Datum {vorm}, maar Datum is {datum}")


CS139 = Regel("CS139", _cs139, soorten=("301", "305", "307", "315"))


def _cs337(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Prestatie/ProductPeriode (323): Einddatum in the same calendar month and year as Begindatum."""
    for node in of_type(bericht, GeslotenPeriode):
        begin, eind = node.obj.begindatum, node.obj.einddatum
        if (eind.month != begin.month or eind.year != begin.year) and isinstance(node.ouder.obj, Prestatie):
            periode = node.obj
            yield node.fout(
                None,
                f"Einddatum {periode.einddatum} van de ProductPeriode ligt niet in dezelfde kalendermaand als "
                f"Begindatum {periode.begindatum}",
            )


CS337 = Regel("CS337", _cs337, soorten=("323",))


def _cs340(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Declaratie/DeclaratiePeriode (323) is exactly one whole calendar month."""
    for node in of_type(bericht, GeslotenPeriode):
        if not isinstance(node.ouder.obj, Declaratie):
            continue
        begin, eind = node.obj.begindatum, node.obj.einddatum
        laatste = date(begin.year, begin.month, calendar.monthrange(begin.year, begin.month)[1])
        if begin.day != 1 or eind != laatste:
            yield node.fout(None, f"DeclaratiePeriode {begin} t/m {eind} is niet precies één hele kalendermaand")


CS340 = Regel("CS340", _cs340, soorten=("323",))


# ---------------------------------------------------------------- 301 names and addresses


def _cs050(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Naam/NaamGebruik (301 Client, Relatie): 1, 2, 3 or 4 when Partnernaam is filled, otherwise 1 or 6."""
    for node in of_type(bericht, VolledigeNaam):  # of the Client and of each Relatie
        naam = node.obj
        if naam.partnernaam is not None and naam.naam_gebruik not in ("1", "2", "3", "4"):
            yield node.fout(
                "naam_gebruik", f"NaamGebruik {naam.naam_gebruik} bij gevulde Partnernaam; toegestaan zijn 1, 2, 3 of 4"
            )
        elif naam.partnernaam is None and naam.naam_gebruik not in ("1", "6"):
            yield node.fout("naam_gebruik", f"NaamGebruik {naam.naam_gebruik} zonder Partnernaam; toegestaan zijn 1 of 6")


CS050 = Regel("CS050", _cs050, soorten=("301",))


def _cs318(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Client/Naam (301): NaamGebruik 6 (niet-natuurlijk persoon) is not used for the client."""
    for node in of_type(bericht, VolledigeNaam):  # of the Client and of each Relatie
        if isinstance(node.ouder.obj, Relatie):
            continue
        if node.obj.naam_gebruik == "6":
            yield node.fout(None, "NaamGebruik 6 (niet-natuurlijk persoon) is niet toegestaan in de naam van de client")


CS318 = Regel("CS318", _cs318, soorten=("301",))


_POSTCODE_NL = re.compile(r"[1-9][0-9]{3}[a-zA-Z]{2}")


def _cs089(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Adres/Postcode (301 Contact) has the Dutch format 1234AB when LandCode is NL."""
    for node in of_type(bericht, Adres):
        adres = node.obj
        if adres.land_code == "NL" and adres.postcode is not None and not _POSTCODE_NL.fullmatch(adres.postcode):
            yield node.fout(
                "postcode", f"Postcode {adres.postcode!r} is geen Nederlandse postcode (formaat 1234AB) terwijl LandCode NL is"
            )


CS089 = Regel("CS089", _cs089, soorten=("301",))


# ---------------------------------------------------------------- 301 / 315 / 317 products


def _cs058(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """StartProduct (305) / StopProduct (307): StatusAanlevering is 1 (eerste aanlevering) or 3 (verwijderen)."""
    for node in of_type(bericht, StartProduct, StopProduct):
        status = node.obj.status_aanlevering
        if status not in ("1", "3"):
            yield node.fout(
                "status_aanlevering",
                f"StatusAanlevering {status} is niet toegestaan; alleen 1 (eerste aanlevering) of 3 (verwijderen aanlevering)",
            )


CS058 = Regel("CS058", _cs058, soorten=("305", "307"))


def _cs335(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """ToegewezenProduct/RedenWijziging (301) 13 (verwijderd) only when Einddatum equals Ingangsdatum."""
    for node in of_type(bericht, ToegewezenProduct):
        product = node.obj
        if product.reden_wijziging == "13" and product.einddatum != product.ingangsdatum:
            einde = f"Einddatum {product.einddatum}" if product.einddatum else "Einddatum leeg"
            yield node.fout(
                "reden_wijziging",
                f"RedenWijziging 13 (verwijderd) vraagt Einddatum gelijk aan Ingangsdatum {product.ingangsdatum}, maar {einde}",
            )


CS335 = Regel("CS335", _cs335, soorten=("301",))


def _cs336(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """ToegewezenProduct/RedenWijziging (301) is not 01 (administratieve correctie (vervallen))."""
    for node in of_type(bericht, ToegewezenProduct):
        if node.obj.reden_wijziging == "01":
            yield node.fout(
                "reden_wijziging", "RedenWijziging 01 (administratieve correctie (vervallen)) mag niet meer gebruikt worden"
            )


CS336 = Regel("CS336", _cs336, soorten=("301",))


def _frequentie_bij_eenheid(bericht: Bericht, *types: type) -> Iterator[Fout]:
    """CS338, CS343: Eenheid 14, 16, 83 or 84 with an einddatum after 2020-12-31 (or none) needs Frequentie 2, 4 or 6."""
    for node in of_type(bericht, *types):
        omvang, attribute = node.obj.omvang, EINDDATUM[type(node.obj)]
        einddatum = getattr(node.obj, attribute)
        if omvang is None or omvang.eenheid not in ("14", "16", "83", "84") or omvang.frequentie in ("2", "4", "6"):
            continue
        if einddatum is None or einddatum > NA_2020:
            wanneer = f"{element_name(attribute)} {einddatum}" if einddatum else f"{element_name(attribute)} leeg"
            yield node.fout(
                "omvang",
                f"Frequentie {omvang.frequentie} bij Eenheid {omvang.eenheid} en {wanneer}; toegestaan zijn 2, 4 of 6",
            )


def _cs338(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Omvang (301 ToegewezenProduct, 317 NieuwProduct and TeWijzigenProduct): Frequentie 2, 4 or 6 when Eenheid is
    14, 16, 83 or 84 and Einddatum is after 2020-12-31 or empty."""
    if context.soort == "301":
        yield from _frequentie_bij_eenheid(bericht, ToegewezenProduct)
    else:
        yield from _frequentie_bij_eenheid(bericht, NieuwProduct, TeWijzigenProduct)


CS338 = Regel("CS338", _cs338, soorten=("301", "317"))


def _cs343(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """AangevraagdProduct/Omvang (315): Frequentie 2, 4 or 6 when Eenheid is 14, 16, 83 or 84 and
    ToewijzingEinddatum is after 2020-12-31 or empty."""
    return _frequentie_bij_eenheid(bericht, AangevraagdProduct)


CS343 = Regel("CS343", _cs343, soorten=("315",))


# ---------------------------------------------------------------- 323 / 325 amounts


def _cs325(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """(Totaal)Bedrag 0 has DebetCredit D: TotaalIngediendBedrag and Prestatie/IngediendBedrag (323, 325),
    TotaalToegekendBedrag (325)."""
    # each kind on its own (not their 31,000 classes merged in document order), the few found put in that order
    nul = [node for node in of_type(bericht, BedragMetDC) if node.obj.bedrag == 0 and node.obj.debet_credit != "D"]
    nul += [node for node in of_type(bericht, TotaalBedragMetDC) if node.obj.totaal_bedrag == 0 and node.obj.debet_credit != "D"]
    for node in sorted(nul, key=volgnummer):
        yield node.fout("debet_credit", f"DebetCredit {node.obj.debet_credit} bij bedrag 0; een bedrag 0 is altijd D (debet)")


CS325 = Regel("CS325", _cs325, soorten=("323", "325"))


def _cs339(bericht: Bericht, context: Context) -> Iterator[Fout]:
    """Prestatie/IngediendBedrag (323) equals GeleverdVolume when Eenheid is 83 (euro's)."""
    for node in of_type(bericht, Prestatie):
        prestatie = node.obj
        if prestatie.eenheid == "83" and prestatie.ingediend_bedrag.bedrag != prestatie.geleverd_volume:
            yield node.fout(
                "ingediend_bedrag",
                f"IngediendBedrag {prestatie.ingediend_bedrag.bedrag} is niet gelijk aan GeleverdVolume "
                f"{prestatie.geleverd_volume} terwijl Eenheid 83 (euro's) is",
            )


CS339 = Regel("CS339", _cs339, soorten=("323",))

REGELS: tuple[Regel, ...] = (
    CS002,
    CS003,
    CS050,
    CS058,
    CS089,
    CS100,
    CS139,
    CS318,
    CS325,
    CS335,
    CS336,
    CS337,
    CS338,
    CS339,
    CS340,
    CS343,
)
