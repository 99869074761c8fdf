"""The facts the toewijzing service consumes and publishes (its own: subjects of the TOEWIJZING stream).

Published events carry what the declaratie service needs to check a 323 against the toewijzing and
the regie (number, cliënt, aanbieder, product, period, omvang or budget, variant, status; starts and
stops with their dates) and never a name or address.
"""

from __future__ import annotations

from typing import Any

from runtime.domein import Wet
from toewijzing.domain.levering import Start, Stop
from toewijzing.domain.toewijslijst import Inschrijving
from toewijzing.domain.toewijzing import Omvang, Toewijzing
from toewijzing.domain.verzoek import Verzoek

# consumed
BESCHIKKING_AFGEGEVEN = "indicatie.beschikking.afgegeven"
BESCHIKKING_GEWIJZIGD = "indicatie.beschikking.gewijzigd"
BESCHIKKING_INGETROKKEN = "indicatie.beschikking.ingetrokken"
BESCHIKKINGEN = "indicatie.beschikking.*"
CLIENT_OVERLEDEN = "indicatie.client.overleden"
CLIENT_VERHUISD = "indicatie.client.verhuisd"
CONTRACT_GEREGISTREERD = "declaratie.contract.geregistreerd"
PRESTATIESTAND_GEWIJZIGD = "declaratie.toewijzing.prestatiestand"  # approved, non-credited prestaties exist or not (TR385)
BERICHT_ONTVANGEN = "bericht.ontvangen.{soort}"
BEOORDEELDE_SOORTEN = ("302", "305", "307", "315", "317")

# published
TOEWIJZING_GEWIJZIGD = "toewijzing.toewijzing.gewijzigd"  # every new version
TOEWIJZINGBERICHT_KLAARGEZET = "toewijzing.bericht.klaargezet"  # a 301 or 319 queued for the hub
TOEWIJZINGBERICHT_GEACCEPTEERD = "toewijzing.bericht.geaccepteerd"  # a 302 without RetourCodes
TOEWIJZINGBERICHT_AFGEWEZEN = "toewijzing.bericht.afgewezen"  # a 302 with RetourCodes: the gemeente corrects
INSCHRIJVING_GEWIJZIGD = "toewijzing.toewijslijst.gewijzigd"  # every new state of an entry; bevestigd: the claim confirmed
VERZOEK_ONTVANGEN = "toewijzing.verzoek.ontvangen"
VERZOEK_BEANTWOORD = "toewijzing.verzoek.beantwoord"


def levering_subject(item: Start | Stop, verwijderd: bool) -> str:
    soort = "stop" if isinstance(item, Stop) else "start"
    return f"toewijzing.{soort}.{'verwijderd' if verwijderd else 'ontvangen'}"


def _omvang(omvang: Omvang | None) -> dict[str, Any] | None:
    return {"volume": omvang.volume, "eenheid": omvang.eenheid, "frequentie": omvang.frequentie} if omvang else None


def toewijzing(t: Toewijzing) -> dict[str, Any]:
    return {
        "gemeentecode": t.gemeentecode,
        "wet": t.wet.value,
        "toewijzing_nummer": t.toewijzing_nummer,
        "versie": t.versie,
        "bsn": t.bsn,
        "agb": t.agb,
        "categorie": t.product.categorie,
        "code": t.product.code,
        "ingangsdatum": t.ingangsdatum.isoformat(),
        "einddatum": t.einddatum.isoformat() if t.einddatum else None,
        "omvang": _omvang(t.omvang),
        "budget": t.budget,
        "uitvoeringsvariant": t.uitvoeringsvariant.value,
        "toewijzingsmoment": t.toewijzingsmoment.isoformat(),
        "reden_wijziging": t.reden_wijziging,
        "verwijderd": t.is_verwijderd,
        "beschikkingnummer": t.beschikkingnummer,
    }


def toewijzingbericht(
    uitgaand_id: str, berichtsoort: str, gemeentecode: str, wet: Wet, agb: str, bsn: str, nummers: list[int], retour_codes: list[str] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": uitgaand_id,
        "berichtsoort": berichtsoort,
        "gemeentecode": gemeentecode,
        "wet": wet.value,
        "agb": agb,
        "bsn": bsn,
        "toewijzing_nummers": nummers,
    }
    if retour_codes is not None:
        data["retour_codes"] = retour_codes
    return data


def levering(item: Start | Stop) -> dict[str, Any]:
    data: dict[str, Any] = {
        "gemeentecode": item.gemeentecode,
        "wet": item.wet.value,
        "agb": item.agb,
        "bsn": item.bsn,
        "toewijzing_nummer": item.toewijzing_nummer,
        "categorie": item.product.categorie,
        "code": item.product.code,
        "begindatum": item.begindatum.isoformat(),
        "bericht_id": item.bericht_id,
    }
    if isinstance(item, Stop):
        data.update(reden_beeindiging=item.reden_beeindiging, einddatum=item.einddatum.isoformat())
    return data


def inschrijving(i: Inschrijving) -> dict[str, Any]:
    return {
        "id": i.id,
        "gemeentecode": i.gemeentecode,
        "wet": i.wet.value,
        "beschikkingnummer": i.beschikkingnummer,
        "categorie": i.product.categorie,
        "code": i.product.code,
        # the beschikt product's period: with categorie and code it names the product of the
        # beschikking (the indicatie service moves its herindicatie signal on `bevestigd`)
        "ingangsdatum": i.ingangsdatum.isoformat(),
        "einddatum": i.einddatum.isoformat() if i.einddatum else None,
        "status": i.status.value,
        "geclaimd_door": i.geclaimd_door,
        "sinds": i.sinds.isoformat(),
    }


def verzoek(v: Verzoek) -> dict[str, Any]:
    return {
        "id": v.id,
        "soort": v.soort,
        "gemeentecode": v.gemeentecode,
        "wet": v.wet.value,
        "agb": v.agb,
        "bsn": v.bsn,
        "referentie_aanbieder": v.referentie_aanbieder,
        "status": v.status.value,
        "ontvangen_op": v.ontvangen_op.isoformat(),
    }
