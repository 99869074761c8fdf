"""The portal names every kind of signaal of the toewijzing service in Dutch (pure: the service's own
`SignaalSoort` against the portal's labels), so a new kind without Dutch words fails here."""

from __future__ import annotations

import pytest

from edge.portal.weergave import TERMIJN_SOORT
from toewijzing.domain.termijnen import SignaalSoort


@pytest.mark.parametrize("soort", list(SignaalSoort), ids=lambda s: s.value)
def test_every_signaal_soort_has_dutch_words(soort: SignaalSoort):
    assert TERMIJN_SOORT.get(soort.value, "").strip()


def test_a_deferred_deletion_names_tr385():
    assert TERMIJN_SOORT[SignaalSoort.VERWIJDERING_UITGESTELD.value] == "Verwijdering uitgesteld: goedgekeurde prestaties (TR385)"
