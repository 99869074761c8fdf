"""The i-Standaard rules, each in one place, named by its official id.

A rule's title, retourcode and controleniveau are the official ones, read from the rule export
(data); the code here holds only what the rule checks. `BERICHTINHOUD` lists the rules of
controleniveau 2 (checkable inside one message); `HUB` the rules of levels 3 and 4 the message hub
checks itself.
"""

from berichten.domain.regels import condities, constraints, hub, technisch
from berichten.domain.regels.regel import Regel

BERICHTINHOUD: tuple[Regel, ...] = (*technisch.REGELS, *condities.REGELS, *constraints.REGELS)
HUB: tuple[Regel, ...] = hub.REGELS
