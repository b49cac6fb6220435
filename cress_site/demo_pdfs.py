"""PDFs for the demo content, the tests and the benchmark, laid out by ReportLab.

`make_pdf` writes an A4 document: an optional cover page (a coloured band with the title and the
author), then pages of paragraphs, each numbered at its foot. `make_study_pdf` writes one of the
observatory's studies: a cover with the title, territory, summary, a bar chart drawn by
ReportLab's chart library, the observatory's name and the month, then a heading per section.
`make_image_only_pdf` imitates a scanned document.

Text uses ReportLab's standard fonts Helvetica and Helvetica-Bold (WinAnsiEncoding, that is
cp1252), so French text needs no embedded font and the files stay small and quick to write;
characters outside cp1252 are approximated first (ﬁ → fi, Ł → L, U+202F → no-break space,
others → "?"). PDFium, which reads the text for the search index, reads it back as written.

The document information is set through ReportLab's public API (`setTitle`, `setAuthor`,
`setSubject`, `setKeywords`, `setCreator`, `setProducer`, through `BaseDocTemplate` or the
canvas): every entry holds what is known, so that a document viewer shows no placeholder
("anonymous", "unspecified"); `_Canvas.setDateFormatter` writes the `created` date, so that a
fixed date gives reproducible bytes.
"""

import io
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.formats import date_format

from PIL import Image, ImageDraw
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

# ReportLab wraps compressed streams in ASCII85 by default (for 7-bit channels): a quarter bigger
# and slower to write. This setting is process-wide; nothing else in the site uses ReportLab.
rl_config.useA85 = 0

PAGE_WIDTH = 595  # A4 in whole points, as most PDF producers round it
PAGE_HEIGHT = 842
MARGIN_X = 64
MARGIN_Y = 64
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

PRODUCER = "CRESS Normandie"
CREATOR = "Site de la CRESS Normandie (contenu de démonstration)"
OBSERVATORY = "Observatoire régional de l'ESS — CRESS Normandie"
BRAND_GREEN = (0, 89, 79)
COVER_BAND_HEIGHT = 300

BODY = ParagraphStyle(
    "body",
    fontName="Helvetica",
    fontSize=10.5,
    leading=14.5,
    spaceAfter=6,
    textColor=Color(0.13, 0.13, 0.13),
)
HEADING = ParagraphStyle(
    "heading",
    fontName="Helvetica-Bold",
    fontSize=15,
    leading=19,
    spaceBefore=4,
    spaceAfter=10,
    keepWithNext=True,
)

# Replacements made before encoding: characters outside cp1252 with a close equivalent, tabs.
_SUBSTITUTES = {
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2212": "-",  # minus sign
    "\u202f": "\xa0",  # narrow no-break space (French punctuation)
    "\u2009": " ",  # thin space
    "Ł": "L",
    "ł": "l",
    "\t": " ",
}
# Control characters are dropped.
_TRANSLATION = str.maketrans({chr(code): None for code in (*range(32), 127)} | _SUBSTITUTES)


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart for a study's cover: labelled values in one unit, and a source."""

    title: str
    rows: Sequence[tuple[str, float]]
    unit: str = ""
    source: str = ""


def make_pdf(
    title: str,
    pages: list[list[str]],
    *,
    author: str = "",
    cover_colour: tuple[int, int, int] | None = BRAND_GREEN,
    created: datetime | None = None,
) -> bytes:
    """Return an A4 PDF: an optional cover page, then one page per item of `pages`.

    Each item of `pages` holds the paragraphs of one page ("" is a blank line); long paragraphs
    are wrapped, and a page whose text does not fit continues on an extra page. The cover shows
    the title and author on a band of `cover_colour`. `created` (default: now) is the
    /CreationDate, so that a fixed date gives reproducible bytes.
    """
    story = [
        [Spacer(0, BODY.leading) if not text else _paragraph(text, BODY) for text in paragraphs]
        for paragraphs in pages
    ]
    cover = None
    if cover_colour is not None:
        cover = _Cover(title, author, _colour(cover_colour))
    return _build(title, author, cover, story, created, subject=title)


def make_study_pdf(
    title: str,
    sections: list[tuple[str, list[str]]],
    *,
    territory: str = "",
    summary: str = "",
    chart: BarChart | None = None,
    published: date | None = None,
    created: datetime | None = None,
) -> bytes:
    """Return an observatory study: its cover, then one page per (heading, paragraphs) section.

    The cover shows `summary` under the band, above the chart.
    """
    story = [
        [_paragraph(heading, HEADING), *(_paragraph(text, BODY) for text in paragraphs)]
        for heading, paragraphs in sections
    ]
    cover = _Cover(
        title,
        OBSERVATORY,
        _colour(BRAND_GREEN),
        territory=territory,
        summary=summary,
        chart=chart,
        published=published,
    )
    keywords = ", ".join(
        word for word in ("économie sociale et solidaire", "Normandie", territory) if word
    )
    return _build(
        title,
        OBSERVATORY,
        cover,
        story,
        created,
        subject=summary or title,
        keywords=keywords,
    )


def make_image_only_pdf(width_px: int = 800, height_px: int = 1100) -> bytes:
    """Return a two-page PDF whose pages are JPEG images only, like a scanned document."""
    if width_px < 1 or height_px < 1:
        raise ValueError("The image needs a positive width and height.")
    buffer = io.BytesIO()
    canvas = _Canvas(buffer, created=None, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    _describe(canvas, "Document numérisé", PRODUCER, subject="Document numérisé", keywords="")
    rng = random.Random(1)
    scale = min(PAGE_WIDTH / width_px, PAGE_HEIGHT / height_px)
    width, height = width_px * scale, height_px * scale
    for page_number in (1, 2):
        jpeg = _scanned_page_jpeg(width_px, height_px, page_number, rng)
        canvas.drawImage(
            ImageReader(io.BytesIO(jpeg)),
            (PAGE_WIDTH - width) / 2,
            (PAGE_HEIGHT - height) / 2,
            width,
            height,
        )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _build(title, author, cover, pages, created, *, subject, keywords="") -> bytes:
    story = [cover, NextPageTemplate("text"), PageBreak()] if cover is not None else []
    for number, flowables in enumerate(pages):
        if number:
            story.append(PageBreak())
        story += flowables or [Spacer(0, 0)]
    if cover is not None and not pages:
        story = [cover]
    if not story:
        raise ValueError("A PDF needs at least one page: give a cover colour or some pages.")

    buffer = io.BytesIO()
    full_page = Frame(0, 0, PAGE_WIDTH, PAGE_HEIGHT, 0, 0, 0, 0, id="cover")
    text_frame = Frame(
        MARGIN_X, MARGIN_Y, TEXT_WIDTH, PAGE_HEIGHT - 2 * MARGIN_Y, 0, 0, 0, 0, id="text"
    )
    templates = [PageTemplate("text", [text_frame], onPageEnd=_page_footer)]
    if cover is not None:
        templates.insert(0, PageTemplate("cover", [full_page]))
    document = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageTemplates=templates,
        title=title,
        author=author or PRODUCER,
        subject=subject,
        keywords=keywords,
        creator=CREATOR,
        producer=PRODUCER,
        invariant=created is not None,
    )
    document.build(
        story, canvasmaker=lambda *args, **kwargs: _Canvas(*args, created=created, **kwargs)
    )
    return buffer.getvalue()


class _Cover(Flowable):
    """A cover drawn on a whole page: a band with the title, the author and the territory, then
    the summary and the chart below it.

    Given `published`, the author and the month go to the foot of the page as a signature.
    """

    def __init__(
        self, title, author, colour, *, territory="", summary="", chart=None, published=None
    ):
        super().__init__()
        self.title, self.author, self.colour = _clean(title), _clean(author), colour
        self.territory, self.chart, self.published = _clean(territory), chart, published
        self.summary = _clean(summary)

    def wrap(self, available_width, available_height):
        return PAGE_WIDTH, PAGE_HEIGHT

    def draw(self):
        canvas = self.canv
        band_author = "" if self.published else self.author
        title_lines = simpleSplit(self.title, "Helvetica-Bold", 28, TEXT_WIDTH)
        author_lines = simpleSplit(band_author, "Helvetica", 14, TEXT_WIDTH)
        territory_lines = simpleSplit(self.territory, "Helvetica", 16, TEXT_WIDTH)
        height = 110 + 34 * len(title_lines) + 20 * len(author_lines) + 22 * len(territory_lines)
        band_bottom = PAGE_HEIGHT - max(COVER_BAND_HEIGHT, height + 40)
        canvas.setFillColor(self.colour)
        canvas.rect(0, band_bottom, PAGE_WIDTH, PAGE_HEIGHT - band_bottom, stroke=0, fill=1)
        canvas.setFillColor(_tint(self.colour, 0.55))
        canvas.rect(0, band_bottom - 8, PAGE_WIDTH, 8, stroke=0, fill=1)

        if self.published is not None:
            self._identity(canvas)
        canvas.setFillColorRGB(1, 1, 1)
        y = _lines(canvas, title_lines, "Helvetica-Bold", 28, 34, PAGE_HEIGHT - 110) - 8
        y = _lines(canvas, author_lines, "Helvetica", 14, 20, y) - 4
        if territory_lines:
            canvas.setFillColor(_tint(self.colour, 0.8))
            canvas.rect(MARGIN_X, y + 2, 40, 3, stroke=0, fill=1)
            canvas.setFillColorRGB(1, 1, 1)
            _lines(canvas, territory_lines, "Helvetica", 16, 22, y - 20)

        y = band_bottom - 50
        if self.summary:
            canvas.setFillColorRGB(0.2, 0.2, 0.2)
            summary_lines = simpleSplit(self.summary, "Helvetica", 12.5, TEXT_WIDTH)
            y = _lines(canvas, summary_lines, "Helvetica", 12.5, 18, y) - 28
        if self.chart is not None and self.chart.rows:
            _draw_chart(canvas, self.chart, self.colour, y)
        if self.published is not None:
            with translation.override("fr"):
                month = date_format(self.published, "F Y").capitalize()
            canvas.setStrokeColor(self.colour)
            canvas.setLineWidth(1.5)
            canvas.line(MARGIN_X, 132, PAGE_WIDTH - MARGIN_X, 132)
            canvas.setFillColor(self.colour)
            author_lines = simpleSplit(self.author, "Helvetica-Bold", 11, TEXT_WIDTH)
            y = _lines(canvas, author_lines, "Helvetica-Bold", 11, 15, 110)
            canvas.setFillColorRGB(0.3, 0.3, 0.3)
            _lines(canvas, [_clean(month)], "Helvetica", 11, 15, y - 2)

    def _identity(self, canvas):
        """The observatory's mark at the top of a study's band: three linked discs (the
        chamber's logo's idea) and its name in capitals."""
        y = PAGE_HEIGHT - 58
        for index, whiteness in enumerate((0.0, 0.45, 0.8)):
            canvas.setFillColor(
                Color(*(0.95, 0.72, 0.29)) if index == 0 else _tint(self.colour, whiteness)
            )
            canvas.circle(MARGIN_X + 7 + index * 11, y + 4, 7, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont("Helvetica-Bold", 9.5)
        canvas.drawString(MARGIN_X + 42, y + 6, _clean("OBSERVATOIRE RÉGIONAL DE L'ESS"))
        canvas.setFont("Helvetica", 9.5)
        canvas.drawString(MARGIN_X + 42, y - 6, _clean("CRESS Normandie · Étude"))


def _draw_chart(canvas, chart: BarChart, colour: Color, top: float) -> None:
    """Draw `chart`, its title above and its source below, from `top` down across the page."""
    rows = [(_clean(label), value) for label, value in chart.rows]
    bar_step = 26
    chart_height = bar_step * len(rows)
    label_width = max(stringWidth(label, "Helvetica", 10.5) for label, _value in rows) + 10
    canvas.setFillColorRGB(0.13, 0.13, 0.13)
    title_lines = simpleSplit(_clean(chart.title), "Helvetica-Bold", 13, TEXT_WIDTH)
    top = _lines(canvas, title_lines, "Helvetica-Bold", 13, 17, top) - 14

    bars = HorizontalBarChart()
    bars.x, bars.y = label_width, 0
    bars.width, bars.height = TEXT_WIDTH - label_width - 70, chart_height
    bars.data = [[value for _label, value in reversed(rows)]]
    bars.categoryAxis.categoryNames = [label for label, _value in reversed(rows)]
    bars.categoryAxis.labels.fontName = "Helvetica"
    bars.categoryAxis.labels.fontSize = 10.5
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.labels.dx = -8
    bars.categoryAxis.strokeColor = _tint(colour, 0.4)
    bars.categoryAxis.tickLeft = 0
    bars.valueAxis.visible = False
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max(value for _label, value in rows) or 1
    bars.bars[0].fillColor = colour
    bars.bars[0].strokeColor = None
    bars.barWidth = bar_step * 0.7
    bars.groupSpacing = bar_step * 0.3
    bars.barLabelFormat = lambda value: _clean(_number(value, chart.unit))
    bars.barLabels.fontName = "Helvetica-Bold"
    bars.barLabels.fontSize = 10
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 5
    drawing = Drawing(TEXT_WIDTH, chart_height)
    drawing.add(bars)
    renderPDF.draw(drawing, canvas, MARGIN_X, top - chart_height)

    notes = [
        f"Unité : {chart.unit}" if chart.unit and chart.unit != "%" else "",
        f"Source : {chart.source}" if chart.source else "",
    ]
    canvas.setFillColorRGB(0.4, 0.4, 0.4)
    note_lines = simpleSplit(_clean(". ".join(n for n in notes if n)), "Helvetica", 9, TEXT_WIDTH)
    _lines(canvas, note_lines, "Helvetica", 9, 12, top - chart_height - 22)


def _number(value: float, unit: str) -> str:
    text = f"{value:,}".replace(",", "\u202f").replace(".", ",")
    if unit == "%":
        return f"{text}\u202f%"
    return text


def _lines(canvas, lines, font, size, leading, y) -> float:
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawString(MARGIN_X, y, line)
        y -= leading
    return y


def _page_footer(canvas, document):
    canvas.saveState()
    canvas.setFont("Helvetica", 8.5)
    canvas.setFillGray(0.4)
    canvas.drawCentredString(PAGE_WIDTH / 2, 40, f"page {canvas.getPageNumber()}")
    canvas.restoreState()


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    lines = (escape(_clean(line)) for line in text.splitlines())
    return Paragraph("<br/>".join(lines), style)


class _Canvas(Canvas):
    """A canvas that writes `created` (default: now) as the document's creation date."""

    def __init__(self, *args, created: datetime | None, **kwargs):
        super().__init__(*args, **kwargs)
        created = created or datetime.now(UTC)
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        stamp = created.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
        self.setDateFormatter(lambda *_date: stamp)


def _describe(canvas, title, author, *, subject, keywords):
    """Fill the document information of `canvas` through ReportLab's public API."""
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setKeywords(keywords)
    canvas.setCreator(CREATOR)
    canvas.setProducer(PRODUCER)


def _clean(text: str) -> str:
    """Text that the standard fonts can show: cp1252, approximated where needed, else '?'."""
    text = text.translate(_TRANSLATION)
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return "".join(_approximate(char) for char in text)
    return text


def _approximate(char: str) -> str:
    try:
        char.encode("cp1252")
        return char
    except UnicodeEncodeError:
        pass
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    try:
        base.encode("cp1252")
    except UnicodeEncodeError:
        return "?"
    return base if base and base != char else "?"


def _tint(colour: Color, whiteness: float) -> Color:
    """`colour` mixed with white, `whiteness` being the share of white."""
    return Color(*(c + (1 - c) * whiteness for c in (colour.red, colour.green, colour.blue)))


def _colour(rgb: tuple[int, int, int]) -> Color:
    if len(rgb) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in rgb):
        raise ValueError(f"A colour is three integers from 0 to 255, not {rgb!r}.")
    return Color(*(c / 255 for c in rgb))


def _scanned_page_jpeg(width: int, height: int, page_number: int, rng: random.Random) -> bytes:
    """Draw a page that looks like a scan: a header block and grey bars standing for lines."""
    image = Image.new("RGB", (width, height), (246, 244, 236))
    draw = ImageDraw.Draw(image)
    unit = max(width // 40, 1)
    left, right = 3 * unit, width - 3 * unit
    top = 3 * unit
    if page_number == 1:
        draw.rectangle((left, top, right, top + 5 * unit), fill=(60, 60, 60))
        top += 8 * unit
    y = top
    while y < height - 4 * unit:
        end = right if rng.random() > 0.15 else left + int((right - left) * rng.uniform(0.3, 0.8))
        draw.rectangle((left, y, end, y + unit // 2), fill=(110, 110, 105))
        y += int(unit * 1.4)
        if rng.random() < 0.12:
            y += unit
    draw.text((width // 2, height - 2 * unit), str(page_number), fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
