"""Which cliënten a message is about: the BSNs of its Clients, in order, each once.

Kept with the message when it is stored (`bericht.bsns`), so a read of the message's content can be
audited per cliënt without reading the XML again."""

from __future__ import annotations

from berichten.domain import model


def bsns(bericht: model.Bericht) -> list[str]:
    """The BSNs of the message's Client(s): the one Client of a toewijzing, start, stop or verzoek
    message (and of its retour when not fully accepted), the Clients of a 323 or 325; none for a 319."""
    client = getattr(bericht, "client", None)
    if client is not None:
        return [client.bsn]
    for veld in ("declaratie", "declaratie_antwoord"):
        inhoud = getattr(bericht, veld, None)
        if inhoud is not None:
            return list(dict.fromkeys(c.bsn for c in inhoud.clienten))
    return []
