"""Reading uploaded PDFs with pypdfium2: text for the search index, a cover image, checks.

PDFium is not thread-safe, so every use of it goes through `_PDFIUM_LOCK`.
"""

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.db import models

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

MAX_TEXT_CHARS = 2_000_000
MAGIC_SEARCH_BYTES = 1024
MAX_COVER_RATIO = 4  # a taller first page is cut: only its top is rendered

_PDFIUM_LOCK = threading.Lock()
_ENCRYPTION_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class PdfStatus(models.TextChoices):
    OK = "ok", "lisible"
    NO_TEXT = "no_text", "sans texte lisible"
    ENCRYPTED = "encrypted", "protégé par un mot de passe"
    INVALID = "invalid", "illisible"


MESSAGES = {
    PdfStatus.OK: "",
    PdfStatus.NO_TEXT: (
        "Ce PDF ne contient pas de texte lisible (document numérisé ?) : "
        "il ne sera pas trouvé par la recherche sur son contenu."
    ),
    PdfStatus.ENCRYPTED: (
        "Ce PDF est protégé par un mot de passe : son texte ne peut pas être lu, "
        "il ne sera pas trouvé par la recherche sur son contenu. "
        "Déposez une version sans mot de passe si possible."
    ),
    PdfStatus.INVALID: "Ce fichier n'est pas un PDF lisible (fichier endommagé ou incomplet).",
}

Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO


@dataclass(frozen=True)
class PdfInfo:
    """What `read_pdf` found; `message` is for the editor and empty when all is well."""

    status: str
    page_count: int | None
    text: str
    message: str


class _Unreadable(Exception):
    def __init__(self, status: PdfStatus):
        super().__init__(status)
        self.status = status


def read_pdf(source: Source) -> PdfInfo:
    """Read a PDF's page count and text; never raises for a bad PDF (I/O errors propagate)."""
    data = _load(source)
    with _PDFIUM_LOCK:
        try:
            document = _open(data)
        except _Unreadable as unreadable:
            return _info(unreadable.status)
        try:
            page_count = len(document)
            text = _extract_text(document)
        except pdfium.PdfiumError:
            return _info(PdfStatus.INVALID)
        finally:
            document.close()
    if not text:
        return _info(PdfStatus.NO_TEXT, page_count)
    return _info(PdfStatus.OK, page_count, text)


def render_cover(source: Source, width: int = 800) -> Image.Image | None:
    """Render the first page to an RGB image `width` pixels wide; None if it can't be rendered.

    Of a page more than `MAX_COVER_RATIO` times as tall as it is wide, only the top is rendered.
    """
    if width < 1:
        raise ValueError("The cover width must be positive.")
    data = _load(source)
    with _PDFIUM_LOCK:
        try:
            document = _open(data)
        except _Unreadable:
            return None
        try:
            page = document[0]
            try:
                page_width, page_height = page.get_size()
                cut = max(page_height - MAX_COVER_RATIO * page_width, 0)
                bitmap = page.render(
                    scale=width / page_width, crop=(0, cut, 0, 0), rev_byteorder=True
                )
                try:
                    image = bitmap.to_pil().convert("RGB")
                finally:
                    bitmap.close()
            finally:
                page.close()
        except (pdfium.PdfiumError, ValueError):
            return None
        finally:
            document.close()
    if image.width != width:
        image = image.resize((width, max(round(image.height * width / image.width), 1)))
    return image


def looks_like_pdf(file_obj: BinaryIO) -> bool:
    """Whether `%PDF-` appears in the file's first 1024 bytes; the file is rewound."""
    _rewind(file_obj)
    head = file_obj.read(MAGIC_SEARCH_BYTES)
    _rewind(file_obj)
    return isinstance(head, bytes) and b"%PDF-" in head


def _load(source: Source) -> Path | bytes:
    """A path for PDFium to open, or the bytes of a file read from its start, then rewound."""
    if isinstance(source, (str, os.PathLike)):
        return Path(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    _rewind(source)
    data = source.read()
    _rewind(source)
    if not isinstance(data, bytes):
        raise TypeError("A PDF file must be opened in binary mode.")
    return data


def _open(data: Path | bytes) -> pdfium.PdfDocument:
    """Open a document, raising `_Unreadable` with the reason when PDFium can't."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code in _ENCRYPTION_ERRORS:
            raise _Unreadable(PdfStatus.ENCRYPTED) from error
        raise _Unreadable(PdfStatus.INVALID) from error


def _extract_text(document: pdfium.PdfDocument) -> str:
    texts: list[str] = []
    length = 0
    for index in range(len(document)):
        page = document[index]
        try:
            text_page = page.get_textpage()
            try:
                text = _normalise(text_page.get_text_range())
            finally:
                text_page.close()
        finally:
            page.close()
        if text:
            texts.append(text)
            length += len(text) + 2
            if length >= MAX_TEXT_CHARS:
                break
    return "\n\n".join(texts)[:MAX_TEXT_CHARS]


def _normalise(text: str) -> str:
    """Unix line breaks, no control characters, single spaces, at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def _info(status: PdfStatus, page_count: int | None = None, text: str = "") -> PdfInfo:
    return PdfInfo(status=status.value, page_count=page_count, text=text, message=MESSAGES[status])


def _rewind(file_obj) -> None:
    try:
        if file_obj.seekable():
            file_obj.seek(0)
    except (AttributeError, OSError, ValueError):
        pass
