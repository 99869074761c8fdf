"""The indicatie service's refusals of work in a samenwerkingstraject, in Dutch for the portal user.

The service says why it refuses (its DomainError message, in English, as the gRPC status details);
the portal shows that reason in Dutch. Only words: which refusal happens, and when, is the
service's. A message this table does not know is still shown, after a Dutch lead-in, so a refusal
is never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from edge.portal.weergave import datum

# field names the service's generic messages use (protobuf field paths)
VELDEN = {
    "einddatum": "de einddatum",
    "status": "de status",
    "soort": "de soort",
    "prioriteit": "de prioriteit",
    "bestemd_voor.soort": "voor wie de taak is",
    "meldingsdatum": "de meldingsdatum",
    "ondertekend_op": "de datum van ondertekening",
    "beschikking_einddatum": "de einddatum van de beschikking",
    "uiterlijk": "de datum waarop de evaluatie uiterlijk klaar is",
    "uitgevoerd_op": "de datum van de evaluatie",
    "advies": "het advies",
    "doelrealisatie.mate": "de mate waarin het doel is behaald",
}
ONBEKEND = "De indicatiedienst heeft dit geweigerd met de melding: "
# what the service says it cannot do any more with a taak or an evaluatie, as the Dutch participle
HANDELING = {"planned": "gepland", "recorded": "vastgelegd", "made": "aangemaakt", "changed": "gewijzigd"}


def _woord(value: str) -> str:
    """A date as dd-mm-jjjj, a state or domain (snake_case) as words."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datum(value)
    if re.fullmatch(r"[a-z_]+", value):
        return value.replace("_", " ").replace("beeindig", "beëindig")
    return value


def _veld(value: str) -> str:
    return VELDEN.get(value, value.replace("_", " "))


# (the service's message as a pattern, the Dutch text with {0}, {1} … for what the pattern caught —
# dates and states in words — or a function of the caught parts as they are)
_TABEL: tuple[tuple[str, str | Callable[..., str]], ...] = (
    # the traject
    (r"a samenwerkingstraject needs an onderwerp", "Vul het onderwerp van het samenwerkingstraject in."),
    (r"a samenwerkingstraject needs a participatieadviseur", "Een samenwerkingstraject heeft een participatieadviseur nodig."),
    (r"meldingsdatum (\S+) lies in the future", "De meldingsdatum {0} ligt in de toekomst."),
    (r"startdatum (\S+) lies before the meldingsdatum (\S+)", "De startdatum {0} ligt vóór de meldingsdatum {1}."),
    (r"einddatum (\S+) lies before the startdatum (\S+)", "De einddatum {0} ligt vóór de startdatum {1} van het traject."),
    (r"samenwerkingstraject (\S+) is (\w+): no more changes", "Samenwerkingstraject {0} is {1}: er kan niets meer veranderen."),
    (r"nothing to change: give onderwerp, einddatum, doelen or acties", "Er is niets te wijzigen: vul het onderwerp, de einddatum, de doelen of de acties in."),
    (r"a samenwerkingstraject cannot go from (\w+) to (\w+)", "Een samenwerkingstraject kan niet van {0} naar {1}."),
    (r"a traject is closed as afgesloten or gestopt", "Kies of het traject wordt afgesloten of gestopt."),
    (r"a doel needs an omschrijving", "Elk doel heeft een omschrijving nodig."),
    (r"an actie needs an omschrijving", "Elke actie heeft een omschrijving nodig."),
    (r"gemeentecode '(.*)' is not 4 digits", "De gemeentecode '{0}' bestaat niet uit 4 cijfers."),
    (r"AGB code '(.*)' is not 8 digits", "De AGB-code '{0}' bestaat niet uit 8 cijfers."),
    (r"BSN '(.*)' is not 9 digits passing the 11-proef", "Het BSN '{0}' bestaat niet uit 9 cijfers die de 11-proef doorstaan."),
    (r"the aanvraag of samenwerkingstraject (\S+) awaits its besluit: decide first", "De aanvraag van samenwerkingstraject {0} wacht op een besluit: neem eerst het besluit."),
    (r"a signaal is about a samenwerkingstraject or about a beschikking, and not both", "Een signaal hoort bij een samenwerkingstraject of bij een beschikking, niet bij allebei."),
    # taken
    (r"a taak in this traject can be for gemeente (\S+), not (\S+)", "Een taak in dit traject kan voor gemeente {0} zijn, niet voor {1}."),
    (r"aanbieder (\S+) does not have this traject open: a taak cannot be for it", "Aanbieder {0} heeft dit traject niet open: een taak kan niet voor deze aanbieder zijn."),
    (r"a taak needs a naam", "Vul de naam van de taak in."),
    (r"a taak needs a soort \(e\.g\. 'POP aanvullen'\)", "Vul de soort taak in (bijvoorbeeld 'POP aanvullen')."),
    (r"a taak records who made it \(aangemaakt_door\)", "Een taak legt vast wie haar aanmaakte."),
    (r"einddatum (\S+) of a new taak lies in the past", "De einddatum {0} van een nieuwe taak ligt in het verleden."),
    (r"taak '(.*)' is vervallen: no more changes", "Taak '{0}' is vervallen: er kan niets meer veranderen."),
    (r"a taak cannot go from (\w+) to (\w+)", "Een taak kan niet van {0} naar {1}."),
    (r"a taak vervalt with a reden", "Een taak vervalt altijd met een reden."),
    (
        r"samenwerkingstraject (\S+) is lopend: its taken vervallen only when it is closed",
        "Samenwerkingstraject {0} loopt nog: de taken vervallen pas als het traject wordt gesloten.",
    ),
    (r"nothing to change: the taak already has these values", "Er is niets gewijzigd: de taak heeft deze waarden al."),
    # the POP
    (r"samenwerkingstraject (\S+) has no active POP", "Samenwerkingstraject {0} heeft geen lopend POP."),
    (r"'(.*)' is not a zelfredzaamheidsmatrix domain \(.*\)", "'{0}' is geen domein van de zelfredzaamheidsmatrix."),
    (r"the score for (\S+) is (-?\d+); the zelfredzaamheidsmatrix scores 1 to 5", "De score voor {0} is {1}; de zelfredzaamheidsmatrix scoort van 1 tot en met 5."),
    (r"the zelfredzaamheidsmatrix scores each domain once; twice: (.*)", "De zelfredzaamheidsmatrix scoort elk domein één keer; twee keer: {0}."),
    (r"a POP cannot go from (\w+) to (\w+)", "Het POP kan niet van {0} naar {1}."),
    (
        r"the POP is (\w+): the participatieadviseur's part can change only in a concept or a POP teruggegeven by the aanbieder",
        "Het POP is {0}: het deel van de participatieadviseur kan alleen veranderen in een concept of in een POP dat de aanbieder heeft teruggegeven.",
    ),
    (r"the POP cannot go to the aanbieder without: (.*)", "Het POP kan niet naar de aanbieder zonder: {0}."),
    (r"overdracht \((\S+)\) cannot lie before the melding \((\S+)\)", "De overdracht ({0}) kan niet vóór de melding ({1}) liggen."),
    (r"overdracht \((\S+)\) cannot lie before the POP was teruggegeven \((\S+)\)", "De overdracht ({0}) kan niet vóór de teruggave van het POP ({1}) liggen."),
    (r"the aanbieder returns the POP with a reden \(what the participatieadviseur should adjust\)", "Vul de reden in: wat de participatieadviseur moet aanpassen."),
    (r"the reden of the teruggave is longer than 2000 characters", "De reden van de teruggave is langer dan 2000 tekens."),
    (r"the POP cannot be teruggegeven \((\S+)\) before it was handed over \((\S+)\)", "Het POP kan niet teruggegeven zijn ({0}) vóórdat het werd overgedragen ({1})."),
    (r"the aanbieder completes the POP with its inzet", "Vul de inzet van de aanbieder in."),
    (r"the aanbieder completes the POP with at least one activiteit", "Vul ten minste één activiteit in."),
    (r"a signature records who signed \(the cliënt or the wettelijk vertegenwoordiger\)", "Vul in wie ondertekende: de cliënt of de wettelijk vertegenwoordiger."),
    (r"the signature's date (\S+) lies in the future", "De datum van ondertekening {0} ligt in de toekomst."),
    (r"the POP cannot be signed \((\S+)\) before the aanbieder completed it \((\S+)\)", "Het POP kan niet ondertekend zijn ({0}) vóórdat de aanbieder het aanvulde ({1})."),
    (r"an afwijzing needs its motivering \(toelichting\)", "Een afwijzing wordt altijd gemotiveerd: vul de toelichting in."),
    (r"the besluit \((\S+)\) cannot lie before the aanvraag \((\S+)\)", "Het besluit ({0}) kan niet vóór de aanvraag ({1}) liggen."),
    (
        r"the traject already has an active POP \((\w+)(?:, profiel '(.*)')?\): no stacking of profielen; end it before starting another",
        lambda status, profiel: f"Het traject heeft al een lopend POP ({_woord(status)}{', profiel ' + repr(profiel) if profiel else ''}): profielen stapelen kan niet; beëindig het eerst.",
    ),
    # evaluaties
    (r"no aanbieder has samenwerkingstraject (\S+) open: there is no ondersteuning to evaluate", "Geen aanbieder heeft samenwerkingstraject {0} open: er is geen ondersteuning om te evalueren."),
    (r"an interim evaluatie needs the date it is wanted by \(uiterlijk\)", "Vul in wanneer de tussentijdse evaluatie uiterlijk klaar moet zijn."),
    (r"a regular evaluatie needs the einddatum of the beschikking", "Vul de einddatum van de beschikking in."),
    (
        r"the product is marked as the cliënt's own responsibility for herindicatie: the aanbieder plans no evaluatie",
        "Het product valt onder de eigen verantwoordelijkheid van de cliënt voor de herindicatie: de aanbieder plant geen evaluatie.",
    ),
    (r"an interim evaluatie needs the wijkteam's reason \(reden\)", "Vul de reden van het wijkteam voor de tussentijdse evaluatie in."),
    (r"the interim evaluatie cannot be due in the past \((\S+)\)", "Een tussentijdse evaluatie kan niet in het verleden ({0}) klaar moeten zijn."),
    (r"an evaluatie cannot go from (\w+) to (\w+)", "Een evaluatie kan niet van {0} naar {1}."),
    (r"the evaluatie's date (\S+) lies in the future", "De datum van de evaluatie {0} ligt in de toekomst."),
    (r"the traject has no doelen to evaluate; record them in the traject first", "Het traject heeft geen doelen om te evalueren; leg ze eerst vast bij het traject."),
    (r"not a doel of this traject: (.*)", "Geen doel van dit traject: {0}."),
    (r"each doel is evaluated once; twice: (.*)", "Elk doel wordt één keer beoordeeld; twee keer: {0}."),
    (r"the evaluatie records every doel; missing: (.*)", "De evaluatie beoordeelt elk doel van het traject; er ontbreekt: {0}."),
    (
        r"samenwerkingstraject (\S+) is (\w+): no (\w+) can be (\w+) in it any more",
        lambda nummer, status, wat, handeling: f"Samenwerkingstraject {nummer} is {_woord(status)}: er kan geen {wat} meer worden {HANDELING.get(handeling, handeling)}.",
    ),
    (r"an evaluatie vervalt with a reden", "Een evaluatie vervalt altijd met een reden."),
    (
        r"samenwerkingstraject (\S+) is lopend: its evaluaties vervallen only when it is closed",
        "Samenwerkingstraject {0} loopt nog: de evaluaties vervallen pas als het traject wordt gesloten.",
    ),
    # the API's own checks
    (r"traject_id '(.*)' is not the id of a samenwerkingstraject", "'{0}' is geen kenmerk van een samenwerkingstraject."),
    (r"filter on a cliënt with both bsn and gemeente, or neither", "Zoek op een cliënt met zowel BSN als gemeente, of met geen van beide."),
    (r"(\S+) '(.*)' is not a date \(YYYY-MM-DD\)", lambda veld, waarde: f"{_veld(veld).capitalize()}: '{waarde}' is geen datum (jjjj-mm-dd)."),
    (r"(\S+) is required", lambda veld: f"Vul {_veld(veld)} in."),
    (r"(\S+) (-?\d+) is not a known value", lambda veld, _: f"Kies {_veld(veld)} uit de lijst."),
)
TABEL = tuple((re.compile(patroon), tekst) for patroon, tekst in _TABEL)


def in_het_nederlands(melding: str) -> str:
    """The service's refusal in Dutch."""
    for patroon, tekst in TABEL:
        gevonden = patroon.fullmatch(melding.strip())
        if gevonden:
            delen = [g or "" for g in gevonden.groups()]
            return tekst(*delen) if callable(tekst) else tekst.format(*(_woord(d) for d in delen))
    return ONBEKEND + melding
