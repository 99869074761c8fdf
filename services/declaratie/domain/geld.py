"""Money: integer eurocent everywhere, and one rounding rule.

Amounts are computed exactly (Fraction) and rounded to whole eurocent once, half up (ROUND_HALF_UP,
away from zero for negatives: −0.5 ct → −1 ct), as Dutch government bodies round cents and as IV081 /
TR346 round an IngediendBedrag. Where amounts are rounded is said where it happens: per toewijzing per
period (benutting, voorschot), per prestatie share of a period (`periode.aandeel`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENTEN_PER_EURO = 100


def rond_af(waarde: Fraction | Decimal | int) -> int:
    """Whole units, half up (away from zero)."""
    if isinstance(waarde, int):
        return waarde
    if isinstance(waarde, Fraction):
        # Decimal(numerator) / Decimal(denominator) could lose digits; compare exactly instead.
        teken = -1 if waarde < 0 else 1
        geheel, rest = divmod(abs(waarde.numerator), waarde.denominator)
        return teken * (geheel + (1 if 2 * rest >= waarde.denominator else 0))
    return int(waarde.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rond_af_decimalen(waarde: Fraction, decimalen: int = 2) -> Decimal:
    """A volume to show, half up to `decimalen` places (volumes are not money; they are never summed after rounding)."""
    schaal = 10**decimalen
    return Decimal(rond_af(waarde * schaal)) / Decimal(schaal)


def euro(eurocent: int) -> str:
    """`123456` → `1234.56`, `-5` → `-0.05`: the amount in euro with 2 decimals and a point."""
    teken = "-" if eurocent < 0 else ""
    euros, centen = divmod(abs(eurocent), CENTEN_PER_EURO)
    return f"{teken}{euros}.{centen:02d}"
