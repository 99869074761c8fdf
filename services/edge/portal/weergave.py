"""How the portal shows codes and states in words: template filters and the retourcode meanings.

Only presentation: the codes and states themselves come from the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jinja2 import Environment
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, trajecten_pb2

BERICHT_STATUS = {
    "ontvangen": "Ontvangen, nog niet gecontroleerd",
    "afgekeurd": "Afgekeurd",
    "geaccepteerd": "Geaccepteerd, wacht op verwerking",
    "verwerkt": "Verwerkt",
    "retour_verzonden": "Beantwoord met retourbericht",
    "verzonden": "Verzonden",
}
LEVERING = {"klaargezet": "Klaargezet, nog niet opgehaald", "opgehaald": "Opgehaald, ontvangst nog niet bevestigd", "bevestigd": "Ontvangst bevestigd"}
FOUT_REDEN = {
    "te_groot": "Het bestand is groter dan 25 MB.",
    "leeg": "Het bestand is leeg.",
    "geen_xml": "Het bestand is geen XML.",
    "onvolledig": "Het XML-bestand is onvolledig.",
    "dtd_niet_toegestaan": "Het bestand bevat een DTD of entiteiten; dat is niet toegestaan.",
    "te_diep": "Het XML-bestand is te diep genest.",
    "te_veel_elementen": "Het XML-bestand heeft te veel elementen.",
    "geen_bericht": "Het bestand is geen i-Standaard-bericht.",
    "onbekende_namespace": "De namespace van het bericht is onbekend.",
    "release_niet_ondersteund": "Deze release van de i-Standaard wordt niet ondersteund (alleen 3.2).",
    "onbekende_berichtsoort": "De berichtsoort is onbekend.",
    "xsd": "Het bericht voldoet niet aan het XSD-schema.",
}
WET = {common_pb2.WET_WMO: "Wmo 2015", common_pb2.WET_JEUGDWET: "Jeugdwet"}
CLIENT_STATUS = {indicatie_pb2.CLIENT_STATUS_ACTIEF: "Actief", indicatie_pb2.CLIENT_STATUS_VERHUISD: "Verhuisd", indicatie_pb2.CLIENT_STATUS_OVERLEDEN: "Overleden"}
GESLACHT = {"0": "Onbekend", "1": "Man", "2": "Vrouw"}
BESCHIKKING_STATUS = {
    indicatie_pb2.BESCHIKKING_STATUS_AFGEGEVEN: "Afgegeven",
    indicatie_pb2.BESCHIKKING_STATUS_GEWIJZIGD: "Gewijzigd",
    indicatie_pb2.BESCHIKKING_STATUS_INGETROKKEN: "Ingetrokken",
}
UITVOERINGSVARIANT = {
    indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT: "Inspanningsgericht",
    indicatie_pb2.UITVOERINGSVARIANT_OUTPUTGERICHT: "Outputgericht",
    indicatie_pb2.UITVOERINGSVARIANT_TAAKGERICHT: "Taakgericht",
}
TRAJECT_STATUS = {trajecten_pb2.TRAJECT_STATUS_LOPEND: "Lopend", trajecten_pb2.TRAJECT_STATUS_AFGESLOTEN: "Afgesloten", trajecten_pb2.TRAJECT_STATUS_GESTOPT: "Gestopt"}
TAAK_STATUS = {
    trajecten_pb2.TAAK_STATUS_OPEN: "Open",
    trajecten_pb2.TAAK_STATUS_IN_BEHANDELING: "In behandeling",
    trajecten_pb2.TAAK_STATUS_AFGEROND: "Afgerond",
    trajecten_pb2.TAAK_STATUS_VERVALLEN: "Vervallen",
}
PRIORITEIT = {trajecten_pb2.PRIORITEIT_LAAG: "Laag", trajecten_pb2.PRIORITEIT_GEMIDDELD: "Gemiddeld", trajecten_pb2.PRIORITEIT_HOOG: "Hoog"}
POP_STATUS = {
    trajecten_pb2.POP_STATUS_CONCEPT: "Concept",
    trajecten_pb2.POP_STATUS_BIJ_AANBIEDER: "Bij de aanbieder",
    trajecten_pb2.POP_STATUS_AANGEVULD: "Aangevuld door de aanbieder",
    trajecten_pb2.POP_STATUS_ONDERTEKEND: "Ondertekend (aanvraag)",
    trajecten_pb2.POP_STATUS_TOEGEKEND: "Toegekend",
    trajecten_pb2.POP_STATUS_AFGEWEZEN: "Afgewezen",
    trajecten_pb2.POP_STATUS_VERVALLEN: "Vervallen",
    trajecten_pb2.POP_STATUS_BEEINDIGD: "Beëindigd",
    trajecten_pb2.POP_STATUS_TERUGGEGEVEN: "Teruggegeven aan de participatieadviseur",
}
EVALUATIE_SOORT = {trajecten_pb2.EVALUATIE_SOORT_REGULIER: "Regulier", trajecten_pb2.EVALUATIE_SOORT_TUSSENTIJDS: "Tussentijds"}
EVALUATIE_STATUS = {trajecten_pb2.EVALUATIE_STATUS_GEPLAND: "Gepland", trajecten_pb2.EVALUATIE_STATUS_UITGEVOERD: "Uitgevoerd", trajecten_pb2.EVALUATIE_STATUS_VERVALLEN: "Vervallen"}
ADVIES = {trajecten_pb2.ADVIES_VOORTZETTEN: "Voortzetten", trajecten_pb2.ADVIES_AANPASSEN: "Aanpassen", trajecten_pb2.ADVIES_BEEINDIGEN: "Beëindigen"}
MATE = {trajecten_pb2.MATE_NIET_BEHAALD: "Niet behaald", trajecten_pb2.MATE_DEELS_BEHAALD: "Deels behaald", trajecten_pb2.MATE_BEHAALD: "Behaald"}
SIGNAAL_SOORT = {
    trajecten_pb2.SIGNAAL_SOORT_PARTICIPATIEADVISEUR: "POP opstellen (participatieadviseur)",
    trajecten_pb2.SIGNAAL_SOORT_AANBIEDER: "POP aanvullen (aanbieder)",
    trajecten_pb2.SIGNAAL_SOORT_BESLUIT: "Besluit op de aanvraag",
    trajecten_pb2.SIGNAAL_SOORT_EVALUATIE: "Evaluatie",
    trajecten_pb2.SIGNAAL_SOORT_TAAK: "Taak",
    trajecten_pb2.SIGNAAL_SOORT_HERINDICATIE: "Herindicatie (beschikking loopt af)",
}
PARTIJ_SOORT = {trajecten_pb2.PARTIJ_SOORT_GEMEENTE: "gemeente", trajecten_pb2.PARTIJ_SOORT_AANBIEDER: "aanbieder"}
# the zelfredzaamheidsmatrix domains in words (the domains themselves are the indicatie service's)
ZRM_DOMEIN = {
    "financien": "Financiën",
    "werk_en_opleiding": "Werk en opleiding",
    "tijdsbesteding": "Tijdsbesteding",
    "huisvesting": "Huisvesting",
    "huiselijke_relaties": "Huiselijke relaties",
    "geestelijke_gezondheid": "Geestelijke gezondheid",
    "lichamelijke_gezondheid": "Lichamelijke gezondheid",
    "middelengebruik": "Middelengebruik",
    "basale_adl": "Basale ADL",
    "instrumentele_adl": "Instrumentele ADL",
    "sociaal_netwerk": "Sociaal netwerk",
    "maatschappelijke_participatie": "Maatschappelijke participatie",
    "justitie": "Justitie",
}
# a taak's history names the changed field and its old and new value as the service keeps them
TAAK_VELD = {"status": "Status", "prioriteit": "Prioriteit", "einddatum": "Einddatum", "bestemd_voor": "Bestemd voor", "omschrijving": "Omschrijving"}
URGENTIE = {trajecten_pb2.URGENTIE_OP_TIJD: "Op tijd", trajecten_pb2.URGENTIE_BIJNA_VERLOPEN: "Bijna verlopen", trajecten_pb2.URGENTIE_VERLOPEN: "Verlopen"}
# the toewijzing service's states (strings in its API)
TOEWIJZING_STATUS = {"te_verzenden": "Nog te verzenden", "verzonden": "Verzonden (301), wacht op 302", "actief": "Actief", "afgewezen": "Afgewezen door de aanbieder (302)"}
INSCHRIJVING_STATUS = {"open": "Open", "geclaimd": "Geclaimd, wacht op bevestiging", "bevestigd": "Bevestigd", "vervallen": "Vervallen"}
VERZOEK_STATUS = {"open": "Open", "in_onderzoek": "In onderzoek", "gehonoreerd": "Gehonoreerd", "afgewezen": "Afgewezen"}
VERZOEK_SOORT = {"315": "Verzoek om toewijzing (315)", "317": "Verzoek om wijziging (317)"}
GEVRAAGD_SOORT = {"aangevraagd": "Aangevraagd", "ongewijzigd": "Ongewijzigd", "te_wijzigen": "Te wijzigen", "nieuw": "Nieuw"}
LEVERING_SOORT = {"start": "Start (305)", "stop": "Stop (307)"}
TERMIJN_STATUS = {"op_tijd": "Op tijd", "bijna": "Bijna verlopen", "verlopen": "Verlopen"}
TERMIJN_SOORT = {
    "start_te_laat": "Start zorg melden (305)",
    "stop_te_laat": "Stop zorg melden (307)",
    "stop_verwacht": "Stop zorg verwacht na de einddatum",
    "zorg_niet_gestart": "Zorg niet gestart",
    "antwoord_verzoek": "Verzoek beantwoorden",
    "definitief_antwoord": "Definitief antwoord op verzoek in onderzoek",
    "verwijdering_uitgesteld": "Verwijdering uitgesteld: goedgekeurde prestaties (TR385)",
}


def datum(value: Any) -> str:
    """'2026-11-23' (or a Datum) as 23-11-2026; '' when empty."""
    text = getattr(value, "value", value) or ""
    try:
        return date.fromisoformat(text).strftime("%d-%m-%Y")
    except ValueError:
        return text


def tijdstip(value: str) -> str:
    try:
        return datetime.fromisoformat(value).astimezone().strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return value


def naam(client: indicatie_pb2.Client) -> str:
    return " ".join(part for part in (client.voorletters, client.voorvoegsel, client.geslachtsnaam) if part)


def partij(value: Any) -> str:
    """A Partij (or its 'soort:code[:medewerker]' form in a taak's history) as 'gemeente 0356 (medewerker)'."""
    if isinstance(value, str):
        soort, _, rest = value.partition(":")
        code, _, medewerker = rest.partition(":")
    else:
        soort, code, medewerker = PARTIJ_SOORT.get(value.soort, ""), value.code, value.medewerker
    return f"{soort} {code}" + (f" ({medewerker})" if medewerker else "")


def taakwaarde(value: str, veld: str) -> str:
    """An old or new value in a taak's history, in words."""
    if not value:
        return "—"
    if veld == "einddatum":
        return datum(value)
    if veld == "bestemd_voor":
        return partij(value)
    if veld in ("status", "prioriteit"):
        return value.replace("_", " ").capitalize()
    return value


def label(table: dict[Any, str], value: Any) -> str:
    return table.get(value, str(value) if value not in (0, "") else "")


@dataclass(frozen=True)
class Retourcodes:
    """The meaning of each retourcode (WJ001 Retourcode of the i-Standaard), for the user."""

    betekenis: dict[str, str]

    @classmethod
    def load(cls) -> Retourcodes:
        # the code list the berichten service checks with: one source for the words of a retourcode
        from berichten.adapters.codelijsten import load_codelijsten

        lijst = load_codelijsten().get("WJ001")
        return cls({code: lijst.omschrijving(code) or "" for code in lijst})

    def uitleg(self, code: str) -> str:
        return self.betekenis.get(code, "")


def bedrag(value: Any) -> str:
    """A Bedrag (eurocent) as '€ 1.234,56'; '' when absent."""
    eurocent = getattr(value, "eurocent", None)
    if not eurocent:
        return ""
    euro, cent = divmod(abs(eurocent), 100)
    return f"{'-' if eurocent < 0 else ''}€ {euro:,}".replace(",", ".") + f",{cent:02d}"


@dataclass(frozen=True)
class Codes:
    """The codes a form offers, each with its meaning, read from the i-Standaard data the berichten
    service checks with: the code lists of the iJw export, and for iWmo-only lists the enumeration
    documentation of the iWmo basisschema (the export of the iWmo lists is not in the repository)."""

    reden_afwijzing_verzoek: tuple[tuple[str, str], ...]  # WJ759
    reden_beeindiging: dict[str, tuple[tuple[str, str], ...]]  # per wet: WMO588 (iWmo), JZ588 (iJw)

    @classmethod
    def load(cls, op: date | None = None) -> Codes:
        from berichten.adapters.codelijsten import load_codelijsten

        op = op or date.today()
        lijsten = load_codelijsten()

        def geldig(naam: str) -> tuple[tuple[str, str], ...]:
            lijst = lijsten.get(naam)
            return tuple((code, lijst.omschrijving(code, op) or "") for code in lijst if lijst.geldig(code, op))

        return cls(
            reden_afwijzing_verzoek=geldig("WJ759"),
            reden_beeindiging={"jeugdwet": geldig("JZ588"), "wmo": _xsd_enumeratie("iwmo", "LDT_RedenBeeindiging")},
        )

    def reden(self, wet: str | None, code: str) -> str:
        """The meaning of a RedenBeeindiging in the list of that wet ('' when unknown)."""
        return dict(self.reden_beeindiging.get(wet or "", ())).get(code, "")


def _xsd_enumeratie(standaard: str, xsd_type: str) -> tuple[tuple[str, str], ...]:
    """The values of an enumerated simple type of a basisschema with the documentation of each."""
    from lxml import etree

    from berichten.codec.schemas import STANDAARD_DIR

    xs = "{http://www.w3.org/2001/XMLSchema}"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.parse(str(STANDAARD_DIR / standaard / "3.2" / "xsd" / "basisschema.xsd"), parser)
    for simple in tree.iter(f"{xs}simpleType"):
        if simple.get("name") == xsd_type:
            return tuple(
                (e.get("value", ""), " ".join("".join(e.itertext()).split()))
                for e in simple.iter(f"{xs}enumeration")
            )
    raise ValueError(f"the {standaard} basisschema has no enumerated type {xsd_type}")


def install(env: Environment) -> None:
    env.filters.update(datum=datum, tijdstip=tijdstip, naam=naam, label=label, bedrag=bedrag, partij=partij, taakwaarde=taakwaarde)
    env.globals.update(
        BERICHT_STATUS=BERICHT_STATUS,
        LEVERING=LEVERING,
        FOUT_REDEN=FOUT_REDEN,
        WET=WET,
        CLIENT_STATUS=CLIENT_STATUS,
        GESLACHT=GESLACHT,
        BESCHIKKING_STATUS=BESCHIKKING_STATUS,
        UITVOERINGSVARIANT=UITVOERINGSVARIANT,
        TRAJECT_STATUS=TRAJECT_STATUS,
        TAAK_STATUS=TAAK_STATUS,
        PRIORITEIT=PRIORITEIT,
        POP_STATUS=POP_STATUS,
        EVALUATIE_SOORT=EVALUATIE_SOORT,
        EVALUATIE_STATUS=EVALUATIE_STATUS,
        ADVIES=ADVIES,
        MATE=MATE,
        SIGNAAL_SOORT=SIGNAAL_SOORT,
        URGENTIE=URGENTIE,
        PARTIJ_SOORT=PARTIJ_SOORT,
        ZRM_DOMEIN=ZRM_DOMEIN,
        TAAK_VELD=TAAK_VELD,
        TOEWIJZING_STATUS=TOEWIJZING_STATUS,
        INSCHRIJVING_STATUS=INSCHRIJVING_STATUS,
        VERZOEK_STATUS=VERZOEK_STATUS,
        VERZOEK_SOORT=VERZOEK_SOORT,
        GEVRAAGD_SOORT=GEVRAAGD_SOORT,
        LEVERING_SOORT=LEVERING_SOORT,
        TERMIJN_STATUS=TERMIJN_STATUS,
        TERMIJN_SOORT=TERMIJN_SOORT,
    )
