"""Verzoeken of an aanbieder (315 VOT, 317 VOW) and the gemeente's answer: a 301 or a 319.

A VOT may ask for several products, each with its own ReferentieAanbieder, and the gemeente answers
per aangevraagd product (OP274, TR379): so one `Verzoek` is made per AangevraagdProduct. A VOW is one
request for the complete desired situation under one ReferentieAanbieder (IV092): one `Verzoek`.

Lifecycle (one table, `OVERGANGEN`): open -> in_onderzoek (a 319 with VerzoekAntwoord 2, at most
once: TR360) -> gehonoreerd (a 301) or afgewezen (a 319 with VerzoekAntwoord 1); open may go straight
to gehonoreerd or afgewezen. After gehonoreerd no 319 may follow (TR359); after any 319 only a final
answer (TR365). The deadlines of these answers are in `termijnen`.

Honouring (`honoreer`): a VOT gives new toewijzingen carrying the AangevraagdProduct's
ReferentieAanbieder (TR379, IV094); a VOW is granted exactly as asked (OP348, IV093): te wijzigen via
`toewijzing.wijzig`, nieuw as new toewijzingen, ongewijzigd untouched, and every new version carries
the VOW's ReferentieAanbieder. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from berichten.codec.schemas import Schemas
from berichten.domain import model
from berichten.domain.berichtsoorten import STANDAARD_VAN_WET
from runtime.domein import Uitvoeringsvariant, Wet
from runtime.errors import DomainError
from toewijzing.domain.levering import product_van
from toewijzing.domain.toewijzing import Omvang, Product, Toewijzing, Wijziging, stapeling, wijzig

SOORT_VOT = "315"
SOORT_VOW = "317"
# VerzoekAntwoord (319)
ANTWOORD_AFGEWEZEN = "1"
ANTWOORD_IN_ONDERZOEK = "2"
REDEN_AFWIJZING_WOONPLAATSBEGINSEL = "8"  # RedenAfwijzingVerzoek: only this one carries Woonplaatsbeginsel (TR377, TR409)
REDEN_WIJZIGING_DOOR_AANBIEDER = "12"  # RedenWijziging "geïnitieerd door aanbieder": a honoured VOW


class VerzoekStatus(StrEnum):
    OPEN = "open"
    IN_ONDERZOEK = "in_onderzoek"
    GEHONOREERD = "gehonoreerd"
    AFGEWEZEN = "afgewezen"


OVERGANGEN: dict[VerzoekStatus, frozenset[VerzoekStatus]] = {
    VerzoekStatus.OPEN: frozenset({VerzoekStatus.IN_ONDERZOEK, VerzoekStatus.GEHONOREERD, VerzoekStatus.AFGEWEZEN}),
    VerzoekStatus.IN_ONDERZOEK: frozenset({VerzoekStatus.GEHONOREERD, VerzoekStatus.AFGEWEZEN}),
    VerzoekStatus.GEHONOREERD: frozenset(),
    VerzoekStatus.AFGEWEZEN: frozenset(),
}
ONDERHANDEN = frozenset({VerzoekStatus.OPEN, VerzoekStatus.IN_ONDERZOEK})  # pending in the sense of TR374


class GevraagdProductSoort(StrEnum):
    AANGEVRAAGD = "aangevraagd"  # 315 AangevraagdProduct
    ONGEWIJZIGD = "ongewijzigd"  # 317 OngewijzigdProduct
    TE_WIJZIGEN = "te_wijzigen"  # 317 TeWijzigenProduct
    NIEUW = "nieuw"  # 317 NieuwProduct


@dataclass(frozen=True, slots=True)
class GevraagdProduct:
    """One product of a verzoek. `ingangsdatum` is the ToewijzingIngangsdatum (315) or the
    GewensteIngangsdatum (317); `toewijzing_nummer` only for ongewijzigd and te wijzigen."""

    soort: GevraagdProductSoort
    toewijzing_nummer: int | None = None
    product: Product | None = None
    ingangsdatum: date | None = None
    einddatum: date | None = None
    omvang: Omvang | None = None
    budget: int | None = None
    beschikkingnummer: str | None = None


@dataclass(frozen=True, slots=True)
class Verzoek:
    id: str
    soort: str  # "315" or "317"
    gemeentecode: str
    wet: Wet
    agb: str
    bsn: str
    referentie_aanbieder: str
    reden_verzoek: str | None  # 317 only
    status: VerzoekStatus
    ontvangen_op: date
    bericht_id: str
    producten: tuple[GevraagdProduct, ...]
    in_onderzoek_sinds: date | None = None
    beantwoord_op: date | None = None  # the final answer: the 301 or the 319 with VerzoekAntwoord 1
    reden_afwijzing: str | None = None

    @property
    def is_onderhanden(self) -> bool:
        return self.status in ONDERHANDEN


def _omvang(omvang: model.Omvang | None) -> Omvang | None:
    return None if omvang is None else Omvang(volume=omvang.volume, eenheid=omvang.eenheid, frequentie=omvang.frequentie)


def verzoek_id(bericht_id: str, referentie_aanbieder: str) -> str:
    """The id of the verzoek for one ReferentieAanbieder of a message."""
    return f"{bericht_id}/{referentie_aanbieder}"


def verzoeken_uit_vot(bericht: model.VerzoekOmToewijzingBericht, wet: Wet, ontvangen_op: date, bericht_id: str) -> tuple[Verzoek, ...]:
    """One open Verzoek per AangevraagdProduct of an accepted 315 (the gemeente answers per product, OP274)."""
    if bericht.client is None:
        return ()
    client = bericht.client
    return tuple(
        Verzoek(
            id=verzoek_id(bericht_id, p.referentie_aanbieder),
            soort=SOORT_VOT,
            gemeentecode=bericht.header.ontvanger,
            wet=wet,
            agb=bericht.header.afzender,
            bsn=client.bsn,
            referentie_aanbieder=p.referentie_aanbieder,
            reden_verzoek=None,
            status=VerzoekStatus.OPEN,
            ontvangen_op=ontvangen_op,
            bericht_id=bericht_id,
            producten=(
                GevraagdProduct(
                    soort=GevraagdProductSoort.AANGEVRAAGD,
                    product=product_van(p.product),
                    ingangsdatum=p.toewijzing_ingangsdatum,
                    einddatum=p.toewijzing_einddatum,
                    omvang=_omvang(p.omvang),
                    budget=p.budget,
                    beschikkingnummer=p.beschikking_nummer,
                ),
            ),
        )
        for p in client.aangevraagde_producten
    )


def verzoek_uit_vow(bericht: model.VerzoekOmWijzigingBericht, wet: Wet, ontvangen_op: date, bericht_id: str) -> Verzoek:
    """The open Verzoek of an accepted 317."""
    if bericht.client is None:
        raise DomainError("a 317 without Client holds no verzoek")
    v = bericht.client.verzoek
    producten = [GevraagdProduct(soort=GevraagdProductSoort.ONGEWIJZIGD, toewijzing_nummer=p.toewijzing_nummer) for p in v.ongewijzigde_producten]
    producten += [
        GevraagdProduct(
            soort=GevraagdProductSoort.TE_WIJZIGEN,
            toewijzing_nummer=p.toewijzing_nummer,
            ingangsdatum=p.gewenste_ingangsdatum,
            einddatum=p.einddatum,
            omvang=_omvang(p.omvang),
            budget=p.budget,
        )
        for p in v.te_wijzigen_producten
    ]
    producten += [
        GevraagdProduct(
            soort=GevraagdProductSoort.NIEUW,
            product=product_van(p.product),
            ingangsdatum=p.gewenste_ingangsdatum,
            einddatum=p.einddatum,
            omvang=_omvang(p.omvang),
            budget=p.budget,
        )
        for p in v.nieuwe_producten
    ]
    return Verzoek(
        id=verzoek_id(bericht_id, v.referentie_aanbieder),
        soort=SOORT_VOW,
        gemeentecode=bericht.header.ontvanger,
        wet=wet,
        agb=bericht.header.afzender,
        bsn=bericht.client.bsn,
        referentie_aanbieder=v.referentie_aanbieder,
        reden_verzoek=v.reden_verzoek,
        status=VerzoekStatus.OPEN,
        ontvangen_op=ontvangen_op,
        bericht_id=bericht_id,
        producten=tuple(producten),
    )


# ---------------------------------------------------------------- the gemeente's answer


def zoek_verzoek(verzoeken: Iterable[Verzoek], agb: str, wet: Wet, referentie_aanbieder: str) -> Verzoek:
    """The verzoek a 319 or 301 answers: its ReferentieAanbieder must come from an earlier 315 / 317
    of that aanbieder in that wet (TR355)."""
    for v in verzoeken:
        if (v.agb, v.wet, v.referentie_aanbieder) == (agb, wet, referentie_aanbieder):
            return v
    raise DomainError(f"TR355: no verzoek of aanbieder {agb} ({wet}) with ReferentieAanbieder {referentie_aanbieder}")


def _overgang(verzoek: Verzoek, naar: VerzoekStatus, regel: str) -> None:
    if verzoek.status is VerzoekStatus.GEHONOREERD and naar is not VerzoekStatus.GEHONOREERD:
        raise DomainError(f"TR359: verzoek {verzoek.referentie_aanbieder} is already honoured with a 301; no 319 may follow")
    if naar not in OVERGANGEN[verzoek.status]:
        raise DomainError(f"{regel}: verzoek {verzoek.referentie_aanbieder} is {verzoek.status}; it cannot become {naar}")


def zet_in_onderzoek(verzoek: Verzoek, vandaag: date) -> Verzoek:
    """A 319 with VerzoekAntwoord 2: only once, and only before any other answer (TR360)."""
    _overgang(verzoek, VerzoekStatus.IN_ONDERZOEK, "TR360")
    return replace(verzoek, status=VerzoekStatus.IN_ONDERZOEK, in_onderzoek_sinds=vandaag)


def wijs_af(verzoek: Verzoek, reden: str, vandaag: date) -> Verzoek:
    """A 319 with VerzoekAntwoord 1 and RedenAfwijzingVerzoek `reden`; after an earlier 319 only
    when that one said "in onderzoek" (TR365), never after a 301 honoured it (TR359)."""
    if not reden:
        raise DomainError("CD085: a rejection needs a RedenAfwijzingVerzoek")
    _overgang(verzoek, VerzoekStatus.AFGEWEZEN, "TR365")
    return replace(verzoek, status=VerzoekStatus.AFGEWEZEN, reden_afwijzing=reden, beantwoord_op=vandaag)


def gehonoreerd(verzoek: Verzoek, vandaag: date) -> Verzoek:
    """The verzoek after the 301 that honours it (the answer given by `honoreer`)."""
    _overgang(verzoek, VerzoekStatus.GEHONOREERD, "OP344")
    return replace(verzoek, status=VerzoekStatus.GEHONOREERD, beantwoord_op=vandaag)


VariantKeuze = Uitvoeringsvariant | Callable[[Product], Uitvoeringsvariant]


def _variant(keuze: VariantKeuze, product: Product) -> Uitvoeringsvariant:
    return keuze(product) if callable(keuze) else keuze


def _nieuwe_toewijzing(
    verzoek: Verzoek, p: GevraagdProduct, moment: datetime, nummer: int, variant: VariantKeuze
) -> Toewijzing:
    if p.ingangsdatum is None:
        raise DomainError(f"verzoek {verzoek.referentie_aanbieder}: a requested product needs an ingangsdatum")
    product = p.product or Product()
    return Toewijzing(
        gemeentecode=verzoek.gemeentecode,
        wet=verzoek.wet,
        toewijzing_nummer=nummer,
        bsn=verzoek.bsn,
        agb=verzoek.agb,
        product=product,
        ingangsdatum=p.ingangsdatum,
        einddatum=p.einddatum,
        uitvoeringsvariant=_variant(variant, product),
        toewijzingsmoment=moment,
        omvang=p.omvang,
        budget=p.budget,
        referentie_aanbieder=verzoek.referentie_aanbieder,
        beschikkingnummer=p.beschikkingnummer,
    )


def honoreer(
    verzoek: Verzoek,
    huidige_toewijzingen: Mapping[int, Toewijzing] | Iterable[Toewijzing],
    moment: datetime,
    nieuw_nummer: Callable[[], int],
    *,
    uitvoeringsvariant: VariantKeuze = Uitvoeringsvariant.INSPANNINGSGERICHT,
) -> Wijziging:
    """The toewijzingen that honour `verzoek`, to be sent in a 301 with all other current toewijzingen (OP087).

    `huidige_toewijzingen`: the current versions of this cliënt's toewijzingen at this aanbieder
    (`toewijzing.huidige_versies`). `uitvoeringsvariant`: of new toewijzingen, fixed by the contract
    per product (a value, or a function of the product). Raises DomainError when the verzoek is already
    answered finally (TR359, TR365), when a VOW names a toewijzing that is not current (TR350, TR351),
    or when the result would stack the same product (OP259).
    """
    if verzoek.status not in ONDERHANDEN:
        raise DomainError(f"{'TR359' if verzoek.status is VerzoekStatus.GEHONOREERD else 'TR365'}: verzoek {verzoek.referentie_aanbieder} is already {verzoek.status}")
    huidig = dict(huidige_toewijzingen) if isinstance(huidige_toewijzingen, Mapping) else {t.toewijzing_nummer: t for t in huidige_toewijzingen}
    gewijzigd: list[Toewijzing] = []
    nieuw: list[Toewijzing] = []
    if verzoek.soort == SOORT_VOT:
        nieuw = [_nieuwe_toewijzing(verzoek, p, moment, nieuw_nummer(), uitvoeringsvariant) for p in verzoek.producten]
    else:
        for p in verzoek.producten:
            if p.soort is GevraagdProductSoort.NIEUW:
                nieuw.append(_nieuwe_toewijzing(verzoek, p, moment, nieuw_nummer(), uitvoeringsvariant))
                continue
            t = huidig.get(p.toewijzing_nummer) if p.toewijzing_nummer is not None else None
            if t is None or t.is_verwijderd:
                regel = "TR350" if p.soort is GevraagdProductSoort.ONGEWIJZIGD else "TR351"
                raise DomainError(f"{regel}: toewijzing {p.toewijzing_nummer} in verzoek {verzoek.referentie_aanbieder} is not a current toewijzing")
            if p.soort is GevraagdProductSoort.ONGEWIJZIGD:
                continue
            assert p.ingangsdatum is not None
            w = wijzig(
                t, moment, REDEN_WIJZIGING_DOOR_AANBIEDER, nieuw_nummer, einddatum=p.einddatum, budget=p.budget, omvang=p.omvang, ingangsdatum=p.ingangsdatum
            )
            gewijzigd += w.gewijzigd
            nieuw += w.nieuw
        gewijzigd = [replace(t, referentie_aanbieder=verzoek.referentie_aanbieder) for t in gewijzigd]
        nieuw = [replace(t, referentie_aanbieder=verzoek.referentie_aanbieder) for t in nieuw]
    resultaat = {**huidig, **{t.toewijzing_nummer: t for t in gewijzigd}, **{t.toewijzing_nummer: t for t in nieuw}}
    gestapeld = stapeling(list(resultaat.values()))
    if gestapeld:
        a, b = gestapeld[0]
        raise DomainError(f"OP259: honouring verzoek {verzoek.referentie_aanbieder} stacks toewijzing {a.toewijzing_nummer} and {b.toewijzing_nummer}")
    return Wijziging(gewijzigd=tuple(gewijzigd), nieuw=tuple(nieuw))


def antwoordbericht(
    verzoek: Verzoek,
    identificatie: str,
    dagtekening: date,
    *,
    woonplaatsbeginsel: str | None = None,
    schemas: Schemas | None = None,
) -> model.AntwoordBericht:
    """The 319 for the answer the verzoek has now: afgewezen (VerzoekAntwoord 1 with its reden) or in
    onderzoek (2). Afzender is the gemeente, Ontvanger the aanbieder (like a 301). `woonplaatsbeginsel`:
    the gemeentecode responsible under the woonplaatsbeginsel, iJw only and only with reden 8 (TR377,
    TR409, IV095). `schemas` gives BerichtCode and XSD versions (default: the official ones)."""
    if verzoek.status is VerzoekStatus.AFGEWEZEN:
        antwoord = model.Antwoord(
            referentie_aanbieder=verzoek.referentie_aanbieder, verzoek_antwoord=ANTWOORD_AFGEWEZEN, reden_afwijzing_verzoek=verzoek.reden_afwijzing
        )
        if verzoek.reden_afwijzing == REDEN_AFWIJZING_WOONPLAATSBEGINSEL and verzoek.wet is Wet.JEUGDWET:
            if not woonplaatsbeginsel:
                raise DomainError("TR377: a rejection on the woonplaatsbeginsel names the responsible gemeente")
            antwoord.woonplaatsbeginsel = model.Woonplaatsbeginsel(gemeente=woonplaatsbeginsel)
        elif woonplaatsbeginsel:
            raise DomainError("TR409: Woonplaatsbeginsel only in an iJw 319 with RedenAfwijzingVerzoek 8")
    elif verzoek.status is VerzoekStatus.IN_ONDERZOEK:
        if woonplaatsbeginsel:
            raise DomainError("TR409: Woonplaatsbeginsel only in an iJw 319 with RedenAfwijzingVerzoek 8")
        antwoord = model.Antwoord(referentie_aanbieder=verzoek.referentie_aanbieder, verzoek_antwoord=ANTWOORD_IN_ONDERZOEK)
    else:
        raise DomainError(f"verzoek {verzoek.referentie_aanbieder} is {verzoek.status}: there is no 319 to send")
    bericht_type = (schemas or Schemas()).type_for(STANDAARD_VAN_WET[verzoek.wet], "319")
    header = model.Header(
        bericht_code=bericht_type.berichtcode,
        bericht_versie=3,
        bericht_subversie=2,
        afzender=verzoek.gemeentecode,
        ontvanger=verzoek.agb,
        bericht_identificatie=model.BerichtIdentificatie(identificatie=identificatie, dagtekening=dagtekening),
        xsd_versie=model.XsdVersie(basisschema_xsd_versie=bericht_type.basisschema_xsd_versie, bericht_xsd_versie=bericht_type.bericht_xsd_versie),
    )
    return model.AntwoordBericht(header=header, antwoord=antwoord)
