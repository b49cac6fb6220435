"""A minimal PDF writer for the demo site's study PDFs and the tests' PDFs.

Text uses the standard Type1 fonts Helvetica and Helvetica-Bold with WinAnsiEncoding (cp1252),
so French text needs no embedded font. Content streams are Flate-compressed.
"""

import hashlib
import io
import random
import unicodedata
import zlib
from datetime import UTC, datetime

from PIL import Image, ImageDraw

PAGE_WIDTH = 595
PAGE_HEIGHT = 842
MARGIN_X = 64
TOP_BASELINE = PAGE_HEIGHT - 72
BOTTOM_LIMIT = 72
FOOTER_BASELINE = 40

BODY_FONT_SIZE = 10.5
BODY_LEADING = 14.5
PARAGRAPH_GAP = 6
FOOTER_FONT_SIZE = 8.5
TITLE_FONT_SIZE = 28
TITLE_LEADING = 34
AUTHOR_FONT_SIZE = 14
COVER_BAND_HEIGHT = 300

PRODUCER = "CRESS Normandie"

# Glyph widths (1/1000 em) of cp1252 bytes 32 to 255, from Adobe's Core 14 AFM metrics.
# Bytes without a glyph (127, 129, 141, 143, 144, 157) are never written;
# 160 (no-break space) is as wide as a space, 173 (soft hyphen) as a hyphen.
# fmt: off
_HELVETICA_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
)
_HELVETICA_BOLD_WIDTHS = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
)
# fmt: on

_FONTS = {"F1": _HELVETICA_WIDTHS, "F2": _HELVETICA_BOLD_WIDTHS}

# Replacements made before encoding: tabs, and characters outside cp1252 with a close equivalent.
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


def make_pdf(
    title: str,
    pages: list[list[str]],
    *,
    author: str = "",
    cover_colour: tuple[int, int, int] | None = (0, 89, 79),
    created: datetime | None = None,
) -> bytes:
    """Return an A4 PDF: an optional cover page, then one page per item of `pages`.

    Each item of `pages` holds the paragraphs of one page ("" is a blank line); long paragraphs
    are wrapped, and a page whose text does not fit continues on an extra page. `created`
    (default: now) is the /CreationDate, so that a fixed date gives reproducible bytes.
    """
    if cover_colour is not None:
        _check_colour(cover_colour)
    writer = _Writer()
    contents: list[bytes] = []
    if cover_colour is not None:
        contents.append(_cover_content(title, author, cover_colour))
    for paragraphs in pages:
        for page_lines in _layout(paragraphs):
            number = len(contents) + 1
            contents.append(_text_content(page_lines, number))
    if not contents:
        raise ValueError("A PDF needs at least one page: give a cover colour or some pages.")
    fonts = {
        name: writer.add(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
        )
        for name, base in (("F1", "Helvetica"), ("F2", "Helvetica-Bold"))
    }
    resources = "<< /Font << " + " ".join(f"/{n} {r} 0 R" for n, r in fonts.items()) + " >> >>"
    writer.add_pages([(content, resources) for content in contents])
    return writer.finish(title=title, author=author, created=created)


def make_image_only_pdf(width_px: int = 800, height_px: int = 1100) -> bytes:
    """Return a two-page PDF whose pages are JPEG images only, like a scanned document."""
    if width_px < 1 or height_px < 1:
        raise ValueError("The image needs a positive width and height.")
    writer = _Writer()
    page_specs = []
    rng = random.Random(1)
    for page_number in (1, 2):
        jpeg = _scanned_page_jpeg(width_px, height_px, page_number, rng)
        image = writer.add_stream(
            jpeg,
            f"/Type /XObject /Subtype /Image /Width {width_px} /Height {height_px} "
            "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
            compress=False,
        )
        scale = min(PAGE_WIDTH / width_px, PAGE_HEIGHT / height_px)
        width, height = width_px * scale, height_px * scale
        x, y = (PAGE_WIDTH - width) / 2, (PAGE_HEIGHT - height) / 2
        content = f"q {_num(width)} 0 0 {_num(height)} {_num(x)} {_num(y)} cm /Im1 Do Q".encode()
        page_specs.append((content, f"<< /XObject << /Im1 {image} 0 R >> >>"))
    writer.add_pages(page_specs)
    return writer.finish(title="Document numérisé", author="", created=None)


class _Writer:
    """Numbers objects, then writes them with their xref table and trailer."""

    def __init__(self):
        self._objects: list[bytes] = []
        self._pages_ref = self._reserve()

    def _reserve(self) -> int:
        self._objects.append(b"")
        return len(self._objects)

    def add(self, body: str | bytes) -> int:
        self._objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(self._objects)

    def add_stream(self, data: bytes, entries: str = "", *, compress: bool = True) -> int:
        if compress:
            data = zlib.compress(data, 9)
            entries = f"{entries} /Filter /FlateDecode".strip()
        header = f"<< {entries} /Length {len(data)} >>\nstream\n".encode("latin-1")
        return self.add(header + data + b"\nendstream")

    def add_pages(self, pages: list[tuple[bytes, str]]) -> None:
        """Add pages given as (content stream, resources dictionary)."""
        kids = []
        for content, resources in pages:
            content_ref = self.add_stream(content)
            kids.append(
                self.add(
                    f"<< /Type /Page /Parent {self._pages_ref} 0 R "
                    f"/MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                    f"/Resources {resources} /Contents {content_ref} 0 R >>"
                )
            )
        kids_refs = " ".join(f"{kid} 0 R" for kid in kids)
        self._objects[self._pages_ref - 1] = (
            f"<< /Type /Pages /Kids [{kids_refs}] /Count {len(kids)} >>".encode("latin-1")
        )

    def finish(self, *, title: str, author: str, created: datetime | None) -> bytes:
        root = self.add(f"<< /Type /Catalog /Pages {self._pages_ref} 0 R >>")
        info = [f"/Title {_text_string(title)}"]
        if author:
            info.append(f"/Author {_text_string(author)}")
        info += [f"/Producer ({PRODUCER})", f"/CreationDate ({_pdf_date(created)})"]
        info_ref = self.add(f"<< {' '.join(info)} >>")

        out = io.BytesIO()
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self._objects, start=1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        file_id = hashlib.md5(out.getvalue(), usedforsecurity=False).hexdigest()
        xref_offset = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(
            (
                f"trailer\n<< /Size {len(offsets) + 1} /Root {root} 0 R /Info {info_ref} 0 R "
                f"/ID [<{file_id}> <{file_id}>] >>\nstartxref\n{xref_offset}\n%%EOF\n"
            ).encode("latin-1")
        )
        return out.getvalue()


def _cover_content(title: str, author: str, colour: tuple[int, int, int]) -> bytes:
    text_width = PAGE_WIDTH - 2 * MARGIN_X
    title_lines = _wrap(_encode(title), "F2", TITLE_FONT_SIZE, text_width)
    author_lines = _wrap(_encode(author), "F1", AUTHOR_FONT_SIZE, text_width) if author else []
    y = PAGE_HEIGHT - 110
    text = []
    for line in title_lines:
        text.append(_show("F2", TITLE_FONT_SIZE, MARGIN_X, y, line))
        y -= TITLE_LEADING
    y -= 8
    for line in author_lines:
        text.append(_show("F1", AUTHOR_FONT_SIZE, MARGIN_X, y, line))
        y -= AUTHOR_FONT_SIZE * 1.4
    band_bottom = min(PAGE_HEIGHT - COVER_BAND_HEIGHT, y - 30)
    r, g, b = (_num(c / 255) for c in colour)
    return b"\n".join(
        [
            f"{r} {g} {b} rg 0 {_num(band_bottom)} {PAGE_WIDTH} "
            f"{_num(PAGE_HEIGHT - band_bottom)} re f".encode(),
            b"BT 1 1 1 rg",
            *text,
            b"ET",
        ]
    )


def _layout(paragraphs: list[str]) -> list[list[tuple[float, bytes]]]:
    """Place the wrapped lines of one logical page: a list of pages of (baseline, line)."""
    text_width = PAGE_WIDTH - 2 * MARGIN_X
    pages: list[list[tuple[float, bytes]]] = [[]]
    y = TOP_BASELINE
    for paragraph in paragraphs:
        lines = [
            wrapped
            for line in paragraph.splitlines() or [""]
            for wrapped in _wrap(_encode(line), "F1", BODY_FONT_SIZE, text_width)
        ]
        for line in lines:
            if y < BOTTOM_LIMIT:
                pages.append([])
                y = TOP_BASELINE
            if line:
                pages[-1].append((y, line))
            y -= BODY_LEADING
        y -= PARAGRAPH_GAP
    return pages


def _text_content(lines: list[tuple[float, bytes]], page_number: int) -> bytes:
    footer = _encode(f"page {page_number}")
    footer_x = (PAGE_WIDTH - _width(footer, "F1", FOOTER_FONT_SIZE)) / 2
    return b"\n".join(
        [
            b"BT 0.13 g",
            *(_show("F1", BODY_FONT_SIZE, MARGIN_X, y, line) for y, line in lines),
            b"0.4 g",
            _show("F1", FOOTER_FONT_SIZE, footer_x, FOOTER_BASELINE, footer),
            b"ET",
        ]
    )


def _show(font: str, size: float, x: float, y: float, text: bytes) -> bytes:
    return b"/%s %s Tf 1 0 0 1 %s %s Tm (%s) Tj" % (
        font.encode(),
        _num(size).encode(),
        _num(x).encode(),
        _num(y).encode(),
        text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)"),
    )


def _encode(text: str) -> bytes:
    """Encode to cp1252: drop control characters, approximate or replace the rest by '?'."""
    text = text.translate(_TRANSLATION)
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return b"".join(_encode_char(char) for char in text)


def _encode_char(char: str) -> bytes:
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        pass
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    try:
        return base.encode("cp1252") if base and base != char else b"?"
    except UnicodeEncodeError:
        return b"?"


def _width(text: bytes, font: str, size: float) -> float:
    widths = _FONTS[font]
    return sum(widths[byte - 32] for byte in text) * size / 1000


def _wrap(text: bytes, font: str, size: float, max_width: float) -> list[bytes]:
    """Greedy word wrap; a word wider than the line is cut."""
    lines: list[bytes] = []
    current, current_width = b"", 0.0
    space = _width(b" ", font, size)
    for word in text.split(b" "):
        word_width = _width(word, font, size)
        if not current or current_width + space + word_width > max_width:
            if current:
                lines.append(current)
            while word_width > max_width:
                cut = len(word) - 1
                while cut > 1 and _width(word[:cut], font, size) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_width = _width(word, font, size)
            current, current_width = word, word_width
        else:
            current += b" " + word
            current_width += space + word_width
    lines.append(current)
    return lines


def _text_string(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _pdf_date(created: datetime | None) -> str:
    created = created or datetime.now(UTC)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _check_colour(colour: tuple[int, int, int]) -> None:
    if len(colour) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in colour):
        raise ValueError(f"A colour is three integers from 0 to 255, not {colour!r}.")


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
