"""The beschikking letter (beschikkingsbrief) for the cliënt, as a PDF.

The wording is one template (`SJABLOON`, below) filled with the beschikking: the gemeente's name
(from the dated CBS gemeente list), the cliënt's name and postadres, and per product its
omschrijving, period and omvang or budget, and the right of objection: bezwaar within 6 weeks of
the date of the letter (Awb art. 6:7; the term starts the day after the letter, art. 6:8).

The PDF is written here without a library: PDF 1.4, A4, the standard Helvetica fonts with
WinAnsiEncoding (so é, ë and € print), one Flate-compressed content stream per page.
"""

from __future__ import annotations

import textwrap
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from string import Template

from indicatie.domain.beschikking import Beschikking, BeschikkingStatus, BeschiktProduct, PRODUCTCODE_LIJST, REDEN_LIJST, Wet
from indicatie.domain.client import Client, Codelijsten

BEZWAARTERMIJN = timedelta(weeks=6)
WETTEN = {Wet.WMO: "Wet maatschappelijke ondersteuning 2015", Wet.JEUGDWET: "Jeugdwet"}
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")

# The letter. Lines starting with "# " are headings; "$producten" expands to one block per product.
SJABLOON = Template(
    """\
# Gemeente $gemeente
$adresblok

Datum: $datum
Beschikkingnummer: $beschikkingnummer
Onderwerp: $onderwerp

Beste $aanhef,

$inleiding

$producten
$reden
# Bezwaar maken
Bent u het niet eens met dit besluit? Dan kunt u binnen 6 weken na de datum van deze brief bezwaar maken bij het college van burgemeester en wethouders van de gemeente $gemeente, dus uiterlijk op $bezwaar_uiterlijk. Zet in uw bezwaarschrift uw naam en adres, de datum, het beschikkingnummer $beschikkingnummer, waarom u het niet eens bent met het besluit, en uw handtekening. Bezwaar maken is gratis.

Met vriendelijke groet,

het college van burgemeester en wethouders van de gemeente $gemeente
"""
)

PRODUCT = Template(
    """\
# $omschrijving
Product: $categorie $code
Periode: $periode
$hoeveel
Uitvoering: $uitvoeringsvariant
"""
)


def datum_tekst(d: date) -> str:
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def bedrag_tekst(eurocent: int) -> str:
    euro, cent = divmod(eurocent, 100)
    return f"€ {euro:,}".replace(",", ".") + f",{cent:02d}"


@dataclass(frozen=True)
class BriefInhoud:
    titel: str
    regels: list[str]


def inhoud(beschikking: Beschikking, client: Client, codelijsten: Codelijsten) -> BriefInhoud:
    """The letter's text, line by line (headings start with "# ")."""
    gemeente = codelijsten.get("LDT_Gemeente").omschrijving(beschikking.gemeentecode, beschikking.beschikkingsdatum) or beschikking.gemeentecode
    adres = client.postadres
    adresblok = "\n".join([client.naam, *(adres.regels() if adres else [])])
    wet = WETTEN[beschikking.wet]
    if beschikking.status is BeschikkingStatus.INGETROKKEN:
        assert beschikking.ingetrokken_per is not None
        onderwerp = f"intrekking van uw beschikking ({wet})"
        inleiding = (
            f"Wij hebben besloten uw beschikking {beschikking.beschikkingnummer} in te trekken per "
            f"{datum_tekst(beschikking.ingetrokken_per)}. Vanaf die dag heeft u geen recht meer op de producten hieronder."
        )
    elif beschikking.status is BeschikkingStatus.GEWIJZIGD:
        onderwerp = f"wijziging van uw beschikking ({wet})"
        inleiding = f"Wij hebben uw beschikking gewijzigd. Op grond van de {wet} heeft u nu recht op:"
    else:
        onderwerp = f"besluit over uw aanvraag ({wet})"
        inleiding = f"Wij hebben besloten dat u op grond van de {wet} recht heeft op:"
    reden = ""
    if beschikking.reden is not None:
        omschrijving = codelijsten.get(REDEN_LIJST).omschrijving(beschikking.reden.code) or beschikking.reden.code
        reden = f"# Reden\n{omschrijving}." + (f" {beschikking.reden.toelichting}" if beschikking.reden.toelichting else "") + "\n"
    tekst = SJABLOON.substitute(
        gemeente=gemeente,
        adresblok=adresblok,
        datum=datum_tekst(beschikking.beschikkingsdatum),
        beschikkingnummer=beschikking.beschikkingnummer,
        onderwerp=onderwerp,
        aanhef=client.naam,
        inleiding=inleiding,
        producten="\n".join(_product(p, beschikking.wet, codelijsten) for p in beschikking.producten),
        reden=reden,
        bezwaar_uiterlijk=datum_tekst(beschikking.beschikkingsdatum + BEZWAARTERMIJN),
    )
    return BriefInhoud(titel=f"Beschikking {beschikking.beschikkingnummer} - gemeente {gemeente}", regels=tekst.splitlines())


def _product(p: BeschiktProduct, wet: Wet, codelijsten: Codelijsten) -> str:
    omschrijving = ""
    lijst = PRODUCTCODE_LIJST[wet]
    if lijst and p.code:
        omschrijving = codelijsten.get(lijst).omschrijving(p.code) or ""
    if not omschrijving:
        omschrijving = f"Product {p.code}" if p.code else f"Productcategorie {p.categorie}"
    periode = f"van {datum_tekst(p.ingangsdatum)} " + (f"tot en met {datum_tekst(p.einddatum)}" if p.einddatum else "voor onbepaalde tijd")
    if p.omvang is not None:
        eenheid = codelijsten.get("WJ756").omschrijving(p.omvang.eenheid) or p.omvang.eenheid
        frequentie = codelijsten.get("WMO757").omschrijving(p.omvang.frequentie) or p.omvang.frequentie
        hoeveel = f"Omvang: {p.omvang.volume} x {eenheid.lower()}, {frequentie.lower()}"
    else:
        hoeveel = f"Budget: {bedrag_tekst(p.budget_eurocent or 0)}"
    return PRODUCT.substitute(
        omschrijving=omschrijving,
        categorie=p.categorie,
        code=p.code,
        periode=periode,
        hoeveel=hoeveel,
        uitvoeringsvariant=p.uitvoeringsvariant.value,
    )


def beschikking_pdf(beschikking: Beschikking, client: Client, codelijsten: Codelijsten) -> bytes:
    brief = inhoud(beschikking, client, codelijsten)
    return pdf(brief.titel, brief.regels)


# ---- a small PDF writer --------------------------------------------------------------------------

_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = 595, 842, 56
_SIZE, _HEADING_SIZE, _LEADING = 10, 12, 14
_WRAP = 92  # characters per line at 10 pt Helvetica within the margins (average glyph width ~0.53 em)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pages(regels: list[str]) -> list[bytes]:
    """Content streams: each line wrapped and placed top-down, a new page when one is full."""
    pages: list[bytes] = []
    ops: list[bytes] = []
    y = _PAGE_HEIGHT - _MARGIN
    for regel in regels:
        heading = regel.startswith("# ")
        tekst = regel[2:] if heading else regel
        stukken = textwrap.wrap(tekst, _WRAP) or [""]
        if heading:
            y -= _LEADING // 2
        for stuk in stukken:
            if y < _MARGIN:
                pages.append(b"\n".join(ops))
                ops, y = [], _PAGE_HEIGHT - _MARGIN
            font, size = (b"/F2", _HEADING_SIZE) if heading else (b"/F1", _SIZE)
            if stuk:
                ops.append(b"BT %s %d Tf %d %d Td %s Tj ET" % (font, size, _MARGIN, y, _pdf_string(stuk)))
            y -= _LEADING
    pages.append(b"\n".join(ops))
    return pages


def pdf(titel: str, regels: list[str]) -> bytes:
    contents = _pages(regels)
    n_pages = len(contents)
    # objects: 1 catalog, 2 pages, 3 font, 4 bold font, 5 info, then per page: page, content
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(n_pages)), n_pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title %s /Producer (Zorgketen) >>" % _pdf_string(titel),
    ]
    for i, content in enumerate(contents):
        stream = zlib.compress(content)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (_PAGE_WIDTH, _PAGE_HEIGHT, 7 + 2 * i)
        )
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
