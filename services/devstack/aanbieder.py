"""What an aanbieder's system sends: the 302 on a 301, starts (305), stops (307), a verzoek om
toewijzing (315), a declaratie (323, about one received 301 or, for several cliënten, from the
toewijzingen as the toewijzing service shows them).

Each builder returns the message's XML, encoded by the berichten codec (so valid against the
official XSD, or EncodeError). The standard (iWmo or iJw) follows from the 301 the message is about;
a 315 names its own. Identificatie and Dagtekening may be given; without them a fresh Identificatie
(`nieuwe_identificatie`) and today are used. `afgeleide_identificatie` makes one from a key (e.g. the
301's Identificatie and the action), so that sending the same thing again is recognised by the hub
(TR056) instead of being applied twice.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from berichten.codec.codec import Codec
from berichten.domain import model
from berichten.domain.berichtsoorten import Standaard
from berichten.domain.retour import Kop, retourbericht

IDENTIFICATIE_LENGTE = 12  # LDT_Identificatie: at most 12 characters
VERWIJZER_GEMEENTE = "01"  # COD327 Type verwijzer: Gemeente


@functools.cache
def codec() -> Codec:
    return Codec()


def nieuwe_identificatie() -> str:
    """A fresh BerichtIdentificatie (TR056), at most 12 characters."""
    return uuid.uuid4().hex[:IDENTIFICATIE_LENGTE]


def afgeleide_identificatie(*sleutel: object) -> str:
    """A BerichtIdentificatie derived from a key (12 hex characters): the same key gives the same one."""
    return hashlib.sha256("/".join(str(s) for s in sleutel).encode()).hexdigest()[:IDENTIFICATIE_LENGTE]


def standaard_van(bericht: model.Bericht) -> Standaard:
    """iWmo or iJw, from the message's BerichtCode."""
    return codec().schemas.type_for_code(bericht.header.bericht_code).standaard


def xsd_versie(soort: str, standaard: Standaard = Standaard.IJW) -> model.XsdVersie:
    t = codec().schemas.type_for(standaard, soort)
    return model.XsdVersie(basisschema_xsd_versie=t.basisschema_xsd_versie, bericht_xsd_versie=t.bericht_xsd_versie)


def retour_302(heen: model.ToewijzingBericht, identificatie: str | None = None, dagtekening: date | None = None) -> bytes:
    """The aanbieder's accepting 302 on a 301 (IV028): the 301's header with the retour's fields, nothing else."""
    standaard = standaard_van(heen)
    kop = Kop(
        bericht_code=codec().schemas.type_for(standaard, "302").berichtcode,
        identificatie=identificatie or nieuwe_identificatie(),
        dagtekening=dagtekening or date.today(),
        xsd_versie=xsd_versie("302", standaard),
    )
    return codec().encode(retourbericht(heen, kop, []))


def _header(
    soort: str,
    standaard: Standaard,
    afzender: str,
    ontvanger: str,
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> model.Header:
    return model.Header(
        bericht_code=codec().schemas.type_for(standaard, soort).berichtcode,
        bericht_versie=3,
        bericht_subversie=2,
        afzender=afzender,
        ontvanger=ontvanger,
        bericht_identificatie=model.BerichtIdentificatie(
            identificatie=identificatie or nieuwe_identificatie(), dagtekening=dagtekening or date.today()
        ),
        xsd_versie=xsd_versie(soort, standaard),
    )


def _header_op(soort: str, toewijzing: model.ToewijzingBericht, identificatie: str | None, dagtekening: date | None) -> model.Header:
    """The header of a message about a received 301: from the aanbieder (its Ontvanger) to the gemeente."""
    heen = toewijzing.header
    return _header(soort, standaard_van(toewijzing), heen.ontvanger, heen.afzender, identificatie, dagtekening)


def _naam(toewijzing: model.ToewijzingBericht) -> model.VerkorteNaam:
    assert toewijzing.client is not None
    naam = toewijzing.client.naam
    return model.VerkorteNaam(geslachtsnaam=naam.geslachtsnaam, voorletters=naam.voorletters)


def _toegewezen(toewijzing: model.ToewijzingBericht, nummer: int | None) -> model.ToegewezenProduct:
    assert toewijzing.client is not None
    return next(p for p in toewijzing.client.toegewezen_producten if nummer is None or p.toewijzing_nummer == nummer)


def start_305(
    toewijzing: model.ToewijzingBericht,
    begindatum: date,
    nummer: int | None = None,
    status: str = "1",
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> bytes:
    """A 305 for the cliënt of a received 301, for its toegewezen product `nummer` (the 301's first when None);
    a ToewijzingNummer not in the 301 starts an unknown toewijzing with the first product's data."""
    client = toewijzing.client
    assert client is not None
    tp = _toegewezen(toewijzing, None if nummer is None or nummer not in {p.toewijzing_nummer for p in client.toegewezen_producten} else nummer)
    product = model.StartProduct(
        toewijzing_nummer=nummer if nummer is not None else tp.toewijzing_nummer,
        product=tp.product,
        toewijzing_ingangsdatum=tp.ingangsdatum,
        begindatum=begindatum,
        status_aanlevering=status,
    )
    bericht = model.StartBericht(
        header=_header_op("305", toewijzing, identificatie, dagtekening),
        client=model.StartClient(bsn=client.bsn, geboortedatum=client.geboortedatum, geslacht=client.geslacht, naam=_naam(toewijzing), start_producten=[product]),
    )
    return codec().encode(bericht)


def stop_307(
    toewijzing: model.ToewijzingBericht,
    begindatum: date,
    einddatum: date,
    reden: str,
    nummer: int | None = None,
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> bytes:
    """A 307 for the cliënt of a received 301: the stop of the start with this Begindatum (TR382).
    `reden` is the RedenBeeindiging of the wet's list: 20 tijdelijk; volgens plan is 19 in iWmo (WMO588)
    and 31 in iJw (JZ588) — see `reden_volgens_plan`."""
    client = toewijzing.client
    assert client is not None
    tp = _toegewezen(toewijzing, nummer)
    product = model.StopProduct(
        toewijzing_nummer=tp.toewijzing_nummer,
        product=tp.product,
        toewijzing_ingangsdatum=tp.ingangsdatum,
        begindatum=begindatum,
        reden_beeindiging=reden,
        einddatum=einddatum,
        status_aanlevering="1",
    )
    bericht = model.StopBericht(
        header=_header_op("307", toewijzing, identificatie, dagtekening),
        client=model.StopClient(bsn=client.bsn, geboortedatum=client.geboortedatum, geslacht=client.geslacht, naam=_naam(toewijzing), stop_producten=[product]),
    )
    return codec().encode(bericht)


REDEN_TIJDELIJK = "20"  # WMO588 and JZ588: levering is tijdelijk beëindigd
_VOLGENS_PLAN = {Standaard.IWMO: "19", Standaard.IJW: "31"}  # WMO588 19, JZ588 31 (in iWmo 31 is a verhuizing)


def reden_volgens_plan(standaard: Standaard) -> str:
    """RedenBeeindiging 'levering volgens plan beëindigd' of the wet's list."""
    return _VOLGENS_PLAN[standaard]


def aangevraagd_product(
    referentie_aanbieder: str,
    product: model.Product,
    toewijzing_ingangsdatum: date,
    toewijzing_einddatum: date | None = None,
    omvang: model.Omvang | None = None,
    beschikking_nummer: str | None = None,
    beschikking_ingangsdatum: date | None = None,
    verwijzer: model.Verwijzer | None = None,
    commentaar: str | None = None,
) -> model.AangevraagdProduct:
    """One AangevraagdProduct of a 315. ReferentieAanbieder must be new for this aanbieder in this wet
    (TR347); BeschikkingIngangsdatum goes with BeschikkingNummer (CD043); the Verwijzer is required
    (the gemeente, Type 01, when not given)."""
    return model.AangevraagdProduct(
        referentie_aanbieder=referentie_aanbieder,
        beschikking_nummer=beschikking_nummer,
        product=product,
        beschikking_ingangsdatum=beschikking_ingangsdatum if beschikking_nummer else None,
        toewijzing_ingangsdatum=toewijzing_ingangsdatum,
        toewijzing_einddatum=toewijzing_einddatum,
        omvang=omvang,
        verwijzer=verwijzer or model.Verwijzer(type=VERWIJZER_GEMEENTE),
        commentaar=commentaar,
    )


def verzoek_315(
    standaard: Standaard,
    agb: str,
    gemeentecode: str,
    bsn: str,
    geboortedatum: date,
    geslacht: str,
    naam: model.VerkorteNaam,
    producten: Sequence[model.AangevraagdProduct],
    gezagsdrager_bekend: str | None = None,
    commentaar: str | None = None,
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> bytes:
    """A 315 verzoek om toewijzing from aanbieder `agb` to gemeente `gemeentecode` for a cliënt: one
    AangevraagdProduct per product asked for (`aangevraagd_product`). GezagsdragerBekend exists in iJw only."""
    if not producten:
        raise ValueError("a 315 asks for at least one product")
    bericht = model.VerzoekOmToewijzingBericht(
        header=_header("315", standaard, agb, gemeentecode, identificatie, dagtekening),
        client=model.VerzoekOmToewijzingClient(
            bsn=bsn,
            geboortedatum=model.Geboortedatum(datum=geboortedatum),
            geslacht=geslacht,
            naam=naam,
            gezagsdrager_bekend=gezagsdrager_bekend if standaard is Standaard.IJW else None,
            commentaar=commentaar,
            aangevraagde_producten=list(producten),
        ),
    )
    return codec().encode(bericht)


@dataclass(frozen=True)
class Prestatieregel:
    """One prestatie to declare on a toewijzing. `declaratie_323` takes product and eenheid from the
    received 301; `declaratie_323_clienten` needs them here (`product`, `eenheid`)."""

    referentie_nummer: str
    toewijzing_nummer: int
    begindatum: date
    einddatum: date
    geleverd_volume: int
    bedrag: int  # eurocent
    product_tarief: int | None = None
    debet_credit: str = "D"
    vorig_referentie_nummer: str | None = None
    product: model.Product | None = None
    eenheid: str | None = None


def declaratie_323(
    toewijzing: model.ToewijzingBericht,
    declaratie_nummer: str,
    periode: tuple[date, date],
    prestaties: Sequence[Prestatieregel],
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> bytes:
    """A 323 for the cliënt of a received 301; TotaalIngediendBedrag is Σdebet − Σcredit (TR358)."""
    client = toewijzing.client
    assert client is not None
    regels = []
    for p in prestaties:
        tp = next((t for t in client.toegewezen_producten if t.toewijzing_nummer == p.toewijzing_nummer), client.toegewezen_producten[0])
        assert tp.product is not None and tp.product.code is not None and tp.omvang is not None
        regels.append(dataclasses.replace(p, product=tp.product, eenheid=tp.omvang.eenheid))
    heen = toewijzing.header
    return declaratie_323_clienten(
        standaard_van(toewijzing), heen.ontvanger, heen.afzender, declaratie_nummer, periode, [(client.bsn, regels)], identificatie, dagtekening
    )


def declaratie_323_clienten(
    standaard: Standaard,
    agb: str,
    gemeentecode: str,
    declaratie_nummer: str,
    periode: tuple[date, date],
    clienten: Sequence[tuple[str, Sequence[Prestatieregel]]],
    identificatie: str | None = None,
    dagtekening: date | None = None,
) -> bytes:
    """A 323 from aanbieder `agb` to gemeente `gemeentecode` for several cliënten (Bsn, their prestaties,
    each with its product and eenheid), without the 301s; TotaalIngediendBedrag is Σdebet − Σcredit (TR358)."""
    if not clienten or not all(prestaties for _, prestaties in clienten):
        raise ValueError("a 323 declares at least one prestatie per cliënt")
    declaratie_clienten = []
    totaal = 0
    for bsn, prestaties in clienten:
        regels = []
        for p in prestaties:
            if p.product is None or p.eenheid is None:
                raise ValueError(f"prestatie {p.referentie_nummer} needs its product and eenheid")
            regels.append(
                model.Prestatie(
                    product_referentie=model.Referentie(referentie_nummer=p.referentie_nummer, vorig_referentie_nummer=p.vorig_referentie_nummer),
                    toewijzing_nummer=p.toewijzing_nummer,
                    product_categorie=p.product.categorie,
                    product_code=p.product.code,
                    product_periode=model.GeslotenPeriode(begindatum=p.begindatum, einddatum=p.einddatum),
                    geleverd_volume=p.geleverd_volume,
                    eenheid=p.eenheid,
                    product_tarief=p.product_tarief,
                    ingediend_bedrag=model.BedragMetDC(bedrag=p.bedrag, debet_credit=p.debet_credit),
                )
            )
            totaal += p.bedrag if p.debet_credit == "D" else -p.bedrag
        declaratie_clienten.append(model.DeclaratieClient(bsn=bsn, prestaties=regels))
    header = _header("323", standaard, agb, gemeentecode, identificatie, dagtekening)
    bericht = model.DeclaratieBericht(
        header=header,
        declaratie=model.Declaratie(
            declaratie_nummer=declaratie_nummer,
            declaratie_periode=model.GeslotenPeriode(begindatum=periode[0], einddatum=periode[1]),
            declaratie_dagtekening=header.bericht_identificatie.dagtekening,
            totaal_ingediend_bedrag=model.TotaalBedragMetDC(totaal_bedrag=abs(totaal), debet_credit="C" if totaal < 0 else "D"),
            clienten=declaratie_clienten,
        ),
    )
    return codec().encode(bericht)
