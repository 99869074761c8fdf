"""Checking a message at the standard's levels (IV028) and answering it.

Level 1 is the XSD, level 2 the rules inside one message (`regels.BERICHTINHOUD`), and of levels
3 and 4 the rules the hub checks itself (`regels.HUB`); the domain services add their own level-3
and -4 findings before the hub answers. This module holds no rules: it runs them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from berichten.adapters.codelijsten import load_codelijsten
from berichten.adapters.regels import load_regelinfo
from berichten.codec.codec import Codec, Decoded
from berichten.codec.schemas import BerichtType
from berichten.domain import model, regels
from berichten.domain.berichtsoorten import RETOUR_VAN
from berichten.domain.codelijsten import Codelijsten
from berichten.domain.regels.catalogus import Bevinding, Controleniveau, Regelset
from berichten.domain.regels.regel import Context, Index
from berichten.domain.retour import Kop, declaratie_antwoord, retourbericht
from runtime.gcpause import paused_gc

NIVEAU_2 = (Controleniveau.BERICHTINHOUD,)
NIVEAUS_HUB = (Controleniveau.BERICHTINHOUD, Controleniveau.BERICHTOVERSTIJGEND, Controleniveau.EXTERNE_BRON)
_HOGER = (Controleniveau.BERICHTOVERSTIJGEND, Controleniveau.EXTERNE_BRON)  # the hub's own rules (regels.HUB)


@dataclass
class Uitslag:
    """The outcome of checking one message."""

    decoded: Decoded
    bevindingen: list[Bevinding] = field(default_factory=list)
    index: Index | None = field(default=None, repr=False, compare=False)  # the rules' walk of the message, kept for the next levels

    @property
    def bericht_type(self) -> BerichtType:
        return self.decoded.bericht_type

    @property
    def geaccepteerd(self) -> bool:
        return self.decoded.xsd_valid and not self.bevindingen

    @property
    def technisch_afgekeurd(self) -> bool:
        return any(b.niveau is Controleniveau.BERICHTINHOUD for b in self.bevindingen)


class Controleur:
    def __init__(self, codec: Codec | None = None, codelijsten: Codelijsten | None = None):
        self.codec = codec or Codec()
        self._codelijsten = codelijsten
        info = load_regelinfo()
        self.regelset = Regelset((*regels.BERICHTINHOUD, *regels.HUB), info)
        self._contexten: dict[tuple[int, date, bool], Context] = {}  # a Context is immutable: made once per BerichtCode and day

    @property
    def codelijsten(self) -> Codelijsten:
        if self._codelijsten is None:
            self._codelijsten = load_codelijsten()
        return self._codelijsten

    def context(self, bericht_type: BerichtType, vandaag: date, identificatie_eerder_ontvangen: bool = False) -> Context:
        key = (bericht_type.berichtcode, vandaag, identificatie_eerder_ontvangen)
        context = self._contexten.get(key)
        if context is None:
            if len(self._contexten) >= 256:  # days go by: keep only the recent ones
                self._contexten.clear()
            gemeenten = self.codelijsten.get("LDT_Gemeente")
            context = self._contexten[key] = Context(
                standaard=str(bericht_type.standaard),
                soort=bericht_type.soort.soort,
                vandaag=vandaag,
                gemeente_bekend=gemeenten.geldig,
                identificatie_eerder_ontvangen=identificatie_eerder_ontvangen,
            )
        return context

    def controleer(
        self, data: bytes, vandaag: date, niveaus: Sequence[Controleniveau] = NIVEAU_2, identificatie_eerder_ontvangen: bool = False
    ) -> Uitslag:
        """Levels 1 and the given others. Raises XmlError / OnbekendBericht for what is not a message.

        The level-2 rules run first; when they find something, the others do not run (IV028: such a
        message counts as not sent and is answered with 0001 alone).
        """
        with paused_gc():  # the typed message, its index and the findings hold no reference cycles
            decoded = self.codec.decode(data, met_index=True)
            if decoded.bericht is None:
                return Uitslag(decoded)
            context = self.context(decoded.bericht_type, vandaag, identificatie_eerder_ontvangen)
            index = decoded.index
            uitslag = Uitslag(decoded, self.regelset.controleer(decoded.bericht, context, NIVEAU_2, index), index)
            if any(n is not Controleniveau.BERICHTINHOUD for n in niveaus):
                uitslag = self.hogere_niveaus(uitslag, vandaag, identificatie_eerder_ontvangen)
            return uitslag

    def hogere_niveaus(self, uitslag: Uitslag, vandaag: date, identificatie_eerder_ontvangen: bool) -> Uitslag:
        """Adds the hub's own level-3/4 findings (TR056, TR135, TR378) to a message that passed level 2."""
        if uitslag.decoded.bericht is None or uitslag.technisch_afgekeurd:
            return uitslag
        context = self.context(uitslag.bericht_type, vandaag, identificatie_eerder_ontvangen)
        hogere = self.regelset.controleer(uitslag.decoded.bericht, context, _HOGER, uitslag.index)
        return Uitslag(uitslag.decoded, [*uitslag.bevindingen, *hogere], uitslag.index)

    def beantwoordbaar(self, bericht_type: BerichtType) -> bool:
        """Whether a message of this type gets an answer (a retourbericht, or a 325 for a 323)."""
        return bericht_type.soort.soort == "323" or bericht_type.soort.soort in RETOUR_VAN

    def antwoord(self, uitslag: Uitslag, identificatie: str, vandaag: date, extra: Sequence[Bevinding] = ()) -> model.Bericht:
        """The retourbericht (or, for a 323, the 325) on a checked message; `extra` are the domain's findings."""
        bericht = uitslag.decoded.bericht
        if bericht is None:
            raise ValueError("an XSD-invalid message gets no retourbericht, only an error to its sender")
        heen_type = uitslag.bericht_type
        is_declaratie = isinstance(bericht, model.DeclaratieBericht)
        soort = "325" if is_declaratie else RETOUR_VAN.get(heen_type.soort.soort)
        if soort is None:
            raise ValueError(f"{heen_type.naam} is itself an answer and gets no retourbericht")
        retour_type = self.codec.schemas.type_for(heen_type.standaard, soort)
        kop = Kop(
            bericht_code=retour_type.berichtcode,
            identificatie=identificatie,
            dagtekening=vandaag,
            xsd_versie=model.XsdVersie(basisschema_xsd_versie=retour_type.basisschema_xsd_versie, bericht_xsd_versie=retour_type.bericht_xsd_versie),
        )
        bevindingen = [*uitslag.bevindingen, *extra]
        if is_declaratie:
            return declaratie_antwoord(bericht, kop, bevindingen)
        return retourbericht(bericht, kop, bevindingen)


def afgeleide_identificatie(data: bytes) -> str:
    """A 12-character Identificatie derived from the heenbericht's bytes (for answers made offline)."""
    return hashlib.sha256(data).hexdigest()[:12].upper()
