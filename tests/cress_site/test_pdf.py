"""Reading PDFs (text, status, cover), and the demo PDFs written with ReportLab to test it."""

import io
import logging
import time
import warnings
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from django.core.files.base import ContentFile

import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from cress_site import demo_pdfs, pdf
from cress_site.demo_pdfs import BarChart, make_image_only_pdf, make_pdf, make_study_pdf
from cress_site.pdf import PdfInfo, PdfStatus, looks_like_pdf, read_pdf, render_cover

TITLE = "L’économie sociale et solidaire en Normandie : état des lieux « 2025 »"
AUTHOR = "Observatoire régional de l’ESS – CRESS Normandie"
LAST_PAGE_WORD = "ornithorynque"
PAGES = [
    [
        "Les coopératives et les associations représentent près d’un emploi privé sur huit.",
        "Chaque été, les élus de Caen, d’Évreux et de Saint-Lô présentent leurs œuvres communes.",
    ],
    [
        "Le maître d’ouvrage côtoie l’entrepreneur naïf ; la forêt brûle (hélas) à 100 % – "
        "ça arrive… Ne pas confondre « sûr » et « sur », ni \\ avec /.",
    ],
    ["Conclusion : créer des Pôles territoriaux de coopération économique."],
    [f"Annexe : un {LAST_PAGE_WORD} n’apparaît qu’ici."],
]


@pytest.fixture(scope="module")
def study_pdf():
    return make_pdf(TITLE, PAGES, author=AUTHOR)


@pytest.fixture(scope="module")
def encrypted_pdf(study_pdf):
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(study_pdf))
    writer.encrypt(user_password="secret", owner_password="proprietaire")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#00594f").save(buffer, format="PNG")
    return buffer.getvalue()


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("etude.txt", "Étude sur l’ESS en Normandie")
    return buffer.getvalue()


def test_a_french_study_is_read_back_page_by_page(study_pdf):
    info = read_pdf(study_pdf)

    assert info.status == PdfStatus.OK
    assert info.page_count == 1 + len(PAGES)
    assert info.message == ""
    flat_text = " ".join(info.text.split())
    for words in (TITLE, AUTHOR, "œuvres communes", "côtoie l’entrepreneur naïf", "ça arrive…"):
        assert words in flat_text
    assert "« sûr » et « sur », ni \\ avec /" in flat_text
    assert "forêt brûle (hélas) à 100 % –" in flat_text
    page_texts = info.text.split("\n\n")
    assert len(page_texts) == 1 + len(PAGES)
    assert [LAST_PAGE_WORD in text for text in page_texts] == [False] * len(PAGES) + [True]
    assert page_texts[-1].endswith(f"page {1 + len(PAGES)}")


@pytest.mark.parametrize("kind", ["path", "str", "bytes", "file", "django file"])
def test_every_kind_of_source_is_read_and_files_are_rewound(study_pdf, tmp_path, kind):
    path = tmp_path / "etude.pdf"
    path.write_bytes(study_pdf)
    source = {
        "path": path,
        "str": str(path),
        "bytes": study_pdf,
        "file": io.BytesIO(study_pdf),
        "django file": ContentFile(study_pdf, name="etude.pdf"),
    }[kind]
    if hasattr(source, "seek"):
        source.seek(10)

    assert read_pdf(source).page_count == 1 + len(PAGES)
    assert render_cover(source, width=100).width == 100
    if hasattr(source, "tell"):
        assert source.tell() == 0


def test_pypdf_opens_the_pdf_without_warnings_and_agrees(study_pdf, caplog):
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        reader = pypdf.PdfReader(io.BytesIO(study_pdf), strict=True)
        page_count = len(reader.pages)
        metadata = reader.metadata
        last_page_text = reader.pages[-1].extract_text()

    assert caplog.records == []
    assert page_count == read_pdf(study_pdf).page_count
    assert metadata.title == TITLE
    assert metadata.author == AUTHOR
    assert metadata.producer == "CRESS Normandie"
    assert metadata.creation_date.year >= 2025
    assert LAST_PAGE_WORD in last_page_text


def test_the_writer_is_reproducible_and_without_cover_when_asked():
    created = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    pages = [["Première page."], ["Seconde page."]]
    without_cover = make_pdf("Sans couverture", pages, cover_colour=None, created=created)

    assert without_cover == make_pdf("Sans couverture", pages, cover_colour=None, created=created)
    info = read_pdf(without_cover)
    assert info.page_count == 2
    assert info.text == "Première page.\npage 1\n\nSeconde page.\npage 2"
    # No author given: the chamber, never ReportLab's "anonymous".
    assert pypdf.PdfReader(io.BytesIO(without_cover)).metadata.author == "CRESS Normandie"


def test_study_metadata_is_set_through_reportlabs_public_api(monkeypatch):
    """Every entry of the document information holds what is known, set by the canvas's public
    setters (no placeholder, no private `_doc.info`), and the creation date is the one given."""
    calls = []
    for setter in ("setTitle", "setAuthor", "setSubject", "setKeywords", "setCreator"):
        original = getattr(Canvas, setter)

        def spy(canvas, value, _setter=setter, _original=original):
            calls.append(_setter)
            return _original(canvas, value)

        monkeypatch.setattr(Canvas, setter, spy)
    created = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    study = make_study_pdf(
        "L'ESS dans l'Orne",
        [("Introduction", ["Texte."])],
        territory="Orne",
        summary="Le poids de l'économie sociale et solidaire dans l'Orne.",
        created=created,
    )
    assert {"setTitle", "setAuthor", "setSubject", "setKeywords", "setCreator"} <= set(calls)
    metadata = pypdf.PdfReader(io.BytesIO(study)).metadata
    assert metadata.title == "L'ESS dans l'Orne"
    assert metadata.author == "Observatoire régional de l'ESS — CRESS Normandie"
    assert metadata.subject == "Le poids de l'économie sociale et solidaire dans l'Orne."
    assert metadata["/Keywords"] == "économie sociale et solidaire, Normandie, Orne"
    assert metadata.creator == "Site de la CRESS Normandie (contenu de démonstration)"
    assert metadata.creation_date == created
    assert b"anonymous" not in study and b"unspecified" not in study
    assert "_doc.info" not in Path(demo_pdfs.__file__).read_text()


def test_long_paragraphs_are_wrapped_and_a_full_page_continues_on_the_next():
    sentence = "L’entrepreneuriat coopératif se développe dans les territoires ruraux normands. "
    words = make_pdf("Mots", [[sentence * 4, "x" * 300]], cover_colour=None)
    lines = read_pdf(words).text.splitlines()
    assert len(lines) > 5
    assert all(len(line) <= 100 for line in lines)
    assert "x" * 300 in "".join(lines)

    overflowing = make_pdf("Long", [[f"Paragraphe {n}." for n in range(120)]], cover_colour=None)
    info = read_pdf(overflowing)
    assert info.page_count == 4
    assert info.text.endswith("Paragraphe 119.\npage 4")


def test_characters_outside_windows_1252_are_approximated_or_replaced():
    text = read_pdf(make_pdf("", [["Łódź, ﬁn, 10\u202f€, ✓, −3, tab\there"]])).text
    assert "Lódz, fin, 10 €, ?, -3, tab here" in text


def test_an_encrypted_pdf_is_reported(encrypted_pdf):
    info = read_pdf(encrypted_pdf)

    assert info == PdfInfo(
        status="encrypted",
        page_count=None,
        text="",
        message=(
            "Ce PDF est protégé par un mot de passe : son texte ne peut pas être lu, il ne sera "
            "pas trouvé par la recherche sur son contenu. Déposez une version sans mot de passe "
            "si possible."
        ),
    )
    assert render_cover(encrypted_pdf) is None
    assert looks_like_pdf(io.BytesIO(encrypted_pdf))


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda pdf_bytes: pdf_bytes[: len(pdf_bytes) // 2], id="truncated"),
        pytest.param(lambda pdf_bytes: pdf_bytes[:-40], id="trailer cut"),
        pytest.param(lambda pdf_bytes: "Compte rendu de réunion\n".encode() * 50, id="text"),
        pytest.param(lambda pdf_bytes: b"", id="empty"),
        pytest.param(lambda pdf_bytes: png_bytes(), id="png"),
    ],
)
def test_a_damaged_file_or_not_a_pdf_is_invalid(study_pdf, tmp_path, content):
    path = tmp_path / "etude.pdf"
    path.write_bytes(content(study_pdf))

    info = read_pdf(path)

    assert info == PdfInfo(
        status="invalid",
        page_count=None,
        text="",
        message="Ce fichier n'est pas un PDF lisible (fichier endommagé ou incomplet).",
    )
    assert render_cover(path) is None


def test_a_scanned_pdf_has_pages_but_no_text():
    scanned = make_image_only_pdf()

    info = read_pdf(scanned)

    assert info == PdfInfo(
        status="no_text",
        page_count=2,
        text="",
        message=(
            "Ce PDF ne contient pas de texte lisible (document numérisé ?) : il ne sera pas "
            "trouvé par la recherche sur son contenu."
        ),
    )
    cover = render_cover(scanned, width=400)
    assert cover.width == 400
    assert cover.getpixel((200, 200)) != (255, 255, 255)


@pytest.mark.parametrize(("colour", "width"), [((0, 89, 79), 800), ((200, 30, 40), 333)])
def test_the_cover_is_rendered_at_the_requested_width_with_its_colour_band(colour, width):
    cover = render_cover(make_pdf("Étude", [["Texte."]], cover_colour=colour), width=width)

    assert cover.mode == "RGB"
    assert cover.width == width
    assert abs(cover.height - width * 842 / 595) <= 1
    assert cover.getpixel((5, 5)) == colour
    assert cover.getpixel((width // 2, cover.height - 20)) == (255, 255, 255)


def test_a_study_has_a_cover_with_territory_summary_chart_signature_and_month_then_sections():
    study = make_study_pdf(
        "Les œuvres de l’ESS dans l’Orne",
        [
            ("Introduction", ["Un budget de 10\u00a0000\u00a0€ – « solidaire » ; l’élan naît."]),
            ("Méthode", ["Une enquête auprès des cœurs de bourg."]),
        ],
        territory="Orne",
        summary="Ce que l’ESS emploie dans l’Orne.",
        chart=BarChart(
            "Emplois de l’ESS par famille",
            [("Associations", 5840), ("Coopératives", 1210)],
            unit="emplois",
            source="Données de démonstration",
        ),
        published=date(2022, 11, 4),
    )

    info = read_pdf(study)
    assert info.page_count == 3
    cover, introduction, method = info.text.split("\n\n")
    flat_cover = " ".join(cover.split())
    for words in (
        "Les œuvres de l’ESS dans l’Orne",
        "Orne Ce que l’ESS emploie dans l’Orne. Emplois de l’ESS par famille",
        "Associations",
        "5 840",
        "Unité : emplois. Source : Données de démonstration",
        "Observatoire régional de l'ESS — CRESS Normandie",
        "Novembre 2022",
    ):
        assert words in flat_cover
    assert introduction.startswith("Introduction\nUn budget de 10 000 € – « solidaire » ; l’élan")
    assert method == "Méthode\nUne enquête auprès des cœurs de bourg.\npage 3"
    assert pypdf.PdfReader(io.BytesIO(study)).metadata.author == (
        "Observatoire régional de l'ESS — CRESS Normandie"
    )

    image = render_cover(study, width=595)
    assert image.getpixel((5, 5)) == (0, 89, 79)
    below_the_band = [image.getpixel((300, y)) for y in range(330, 600)]
    assert (0, 89, 79) in below_the_band  # the longest bar of the chart


def test_a_study_without_figures_or_date_has_no_chart_and_its_author_under_the_title():
    study = make_study_pdf("Guide", [("Étapes", ["Texte."])], territory="Calvados")

    cover = read_pdf(study).text.split("\n\n")[0]
    assert cover == "Guide\nObservatoire régional de l'ESS — CRESS Normandie\nCalvados"


def test_only_the_top_of_a_very_tall_first_page_is_rendered():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=50, height=20_000)
    buffer = io.BytesIO()
    writer.write(buffer)

    assert render_cover(buffer.getvalue(), width=100).size == (100, 400)


def test_pdfium_documents_are_closed_explicitly(study_pdf, monkeypatch):
    opened = []

    class TrackedDocument(pdfium.PdfDocument):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(pdf.pdfium, "PdfDocument", TrackedDocument)
    read_pdf(study_pdf)
    read_pdf(make_image_only_pdf())
    render_cover(study_pdf)

    assert len(opened) == 3
    assert all(document.raw is None for document in opened)


def test_the_text_is_capped(study_pdf, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_TEXT_CHARS", 100)
    info = read_pdf(study_pdf)
    assert info.status == PdfStatus.OK
    assert len(info.text) == 100


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(make_pdf("Étude", [["Texte."]]), True, id="pdf"),
        pytest.param(b"\xef\xbb\xbf" + b" " * 900 + b"%PDF-1.7\n", True, id="pdf after junk"),
        pytest.param(b" " * 1024 + b"%PDF-1.7\n", False, id="magic too far"),
        pytest.param(png_bytes(), False, id="png"),
        pytest.param(zip_bytes(), False, id="zip"),
        pytest.param("Compte rendu de réunion\n".encode(), False, id="text"),
    ],
)
def test_looks_like_pdf_checks_the_magic_bytes_and_rewinds(content, expected):
    for file_obj in (io.BytesIO(content), ContentFile(content, name="fichier.pdf")):
        file_obj.seek(5)
        assert looks_like_pdf(file_obj) is expected
        assert file_obj.tell() == 0


def test_reading_a_fifty_page_study_takes(capsys):
    paragraph = (
        "Les structures de l’économie sociale et solidaire emploient des salariés dans "
        "tous les départements normands : coopératives, mutuelles, associations, fondations. "
    )
    study = make_pdf("Cinquante pages", [[paragraph * 3] * 6 for _ in range(50)])

    start = time.perf_counter()
    info = read_pdf(study)
    elapsed = time.perf_counter() - start

    assert info.page_count == 51
    with capsys.disabled():
        print(
            f"\nread_pdf: {info.page_count} pages, {len(study) // 1024} KiB, "
            f"{len(info.text)} characters in {elapsed * 1000:.1f} ms"
        )
