"""The public pages' titles, filter labels and file sizes read as French written with care."""

import re

from django.core.files.base import ContentFile
from django.template import Context, Template

from wagtail.documents import get_document_model

import pytest

from cress_site import typography
from cress_site.models import Territory
from projects_showcase.models import ProjectPage
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

SITE = "CRESS Normandie"


def title_of(client, url):
    content = client.get(url).content.decode()
    return re.search(r"<title>(.*?)</title>", content, re.S).group(1)


def test_the_home_page_title_ends_with_the_site_name_once(client, home_page):
    assert home_page.seo_title.startswith(SITE)
    title = title_of(client, "/")
    assert title == "Soutenir l&#x27;entrepreneuriat d&#x27;ESS – CRESS Normandie"


@pytest.mark.parametrize("model", [PublicationPage, ProjectPage])
def test_every_title_ends_with_the_site_name_once(client, model):
    page = model.objects.live().first()
    for url in ("/", page.url, page.get_parent().url, "/agenda/", "/recherche/?q=emploi"):
        title = title_of(client, url)
        assert title.endswith(SITE), (url, title)
        assert title.count(SITE) == 1, (url, title)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("CRESS Normandie – Accueil", "Accueil – CRESS Normandie"),
        ("CRESS Normandie - Accueil", "Accueil – CRESS Normandie"),
        ("Agenda de la CRESS Normandie", "Agenda de la CRESS Normandie"),
        ("Page introuvable", "Page introuvable – CRESS Normandie"),
        ("CRESS Normandie", "CRESS Normandie"),
        ("", "CRESS Normandie"),
    ],
)
def test_with_site_name(title, expected):
    template = Template("{% load site_tags %}{{ title|with_site_name:name }}")
    assert template.render(Context({"title": title, "name": SITE})) == expected


def test_the_whole_region_option_has_one_pair_of_parentheses(client):
    region = Territory.objects.get(kind=Territory.Kind.REGION)
    content = client.get(ProjectPage.objects.live().first().get_parent().url).content.decode()
    option = re.search(rf'<option value="{region.slug}"[^>]*>([^<]*)</option>', content).group(1)
    assert re.fullmatch(r"Toute la Normandie \(\d+\)", option), option
    assert "toute la région" not in content


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0\u00a0octet"),
        (820, "820\u00a0octets"),
        (2048, "2\u00a0Ko"),
        (250_000, "244\u00a0Ko"),
        (1_250_000, "1,2\u00a0Mo"),
        (3 * 1024**3, "3\u00a0Go"),
        (None, ""),
    ],
)
def test_file_sizes_in_french_units(size, expected):
    assert typography.file_size(size) == expected
    template = Template("{% load typography %}{{ size|file_size }}")
    assert template.render(Context({"size": size})) == expected


def test_the_publication_page_shows_sizes_in_ko_and_mo(client):
    page = PublicationPage.objects.live().exclude(document=None).first()
    page.document.file.save("etude.pdf", ContentFile(b"%PDF-1.4\n" + b"0" * 300_000))
    get_document_model().objects.filter(pk=page.document.pk).update(file_size=None)
    content = client.get(page.url).content.decode()
    assert re.search(r"\(PDF, 293\u00a0Ko", content), content
    assert "Kio" not in content and "Mio" not in content
