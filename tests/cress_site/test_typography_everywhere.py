"""French typography in everything the public reads: every public page type and every e-mail
the site sends.

What a reader sees is parsed with an HTML parser: the text of the page (not scripts, styles
nor tags) and the attributes read aloud or shown on hover (`title`, `aria-label`, `alt`). In
it: a non-breaking space (U+00A0 or U+202F) before « : ; ! ? » and inside « », "1er" for the
first of a month, times as "9 h 30" or "14 h", sizes in "Ko"/"Mo", and the chamber's name in
French capitalisation. No browser: the pages are rendered by Django's test client.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

from django.core import mail
from django.utils import timezone

import pytest

from cress_site.typography import french_html
from events.models import Registration
from events.registration import cancel, confirm, register
from events.views import cancel_url, confirm_url
from home.models import ContentPage
from tests.cress_site.test_query_budgets import urls
from tests.events.conftest import paris
from tests.home.test_form_page import URL as FORM_URL
from tests.home.test_form_page import VALID as FORM_ANSWERS

pytestmark = pytest.mark.django_db

SPACES = "\u00a0\u202f"
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
CHAMBER = "Chambre régionale de l'économie sociale et solidaire"

RULES = {
    # A punctuation mark glued to its word, or after an ordinary space: "Lieu:", "Lieu :".
    "space before : ; ! ?": re.compile(rf"(?:[^\s{SPACES}]|(?<=\S) )[:;!?](?=[\s{SPACES}]|$)"),
    "space after «": re.compile(rf"«(?![{SPACES}])"),
    "space before »": re.compile(rf"(?<![{SPACES}])»"),
    "1er for the first of a month": re.compile(rf"\b1[\s{SPACES}]+(?:{MONTHS})\b", re.I),
    "times as 9 h 30": re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}h\d{2}\b"),
    "sizes in Ko and Mo": re.compile(r"\b(?:[KMG]io|[kKMG]B|[KMG]iB)\b"),
    "the chamber's name": re.compile(
        r"chambre r[ée]gionale de l['’][ée]conomie sociale et solidaire", re.I
    ),
}
READ_ATTRIBUTES = {"title", "aria-label", "alt"}
NOT_READ = {"script", "style", "template"}
# Elements whose end starts a new line of text (so that "Lieu</dt><dd>Caen" is not "LieuCaen").
BLOCKS = {
    "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "br",
    "section", "article", "header", "footer", "nav", "aside", "main", "ul", "ol", "dl", "form",
    "label", "legend", "fieldset", "option", "button", "figcaption", "caption", "summary",
    "title", "address", "blockquote", "select", "details", "figure", "table", "hr",
}  # fmt: skip


class ReaderText(HTMLParser):
    """The text a reader sees, and the attributes read aloud, of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.attributes = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_READ:
            self.hidden_depth += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.attributes.append(value)
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in NOT_READ:
            self.hidden_depth -= 1

    def handle_endtag(self, tag):
        if tag in NOT_READ:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def visible_texts(html):
    parser = ReaderText()
    parser.feed(html)
    parser.close()
    return ["".join(parser.parts), *parser.attributes]


def without_urls(text):
    return re.sub(r"\b(?:https?|mailto|webcal)://\S+|\S+@\S+\.\w+", " ", text)


def slips(texts):
    """Each broken rule, with the words around the slip."""
    found = []
    for text in texts:
        text = without_urls(text)
        for rule, pattern in RULES.items():
            for match in pattern.finditer(text):
                if rule == "the chamber's name" and match.group(0).replace("’", "'") == CHAMBER:
                    continue
                around = text[max(0, match.start() - 30) : match.end() + 30]
                found.append(f"{rule}: …{' '.join(around.split())}…")
    return found


# -- the checker itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>Lieu : Caen</p>",
        "<p>Lieu: Caen</p>",
        "<p>Pourquoi ?</p>",
        "<p>« ESS\u202f»</p>",
        "<p>Le 1 juin</p>",
        "<p>À 09:30</p>",
        "<p>PDF, 245 Kio</p>",
        '<img alt="Le 1 juin" src="a.png">',
        '<a href="/" aria-label="Accueil : CRESS">x</a>',
        "<p>Chambre Régionale de l'Économie Sociale et Solidaire</p>",
    ],
)
def test_the_checker_finds_each_slip(html):
    assert slips(visible_texts(html))


@pytest.mark.parametrize(
    "html",
    [
        "<p>Lieu\u00a0: Caen ; « ESS » </p>".replace(" ;", "\u202f;").replace(
            "« ESS »", "«\u202fESS\u202f»"
        ),
        "<p>Le 1er juin à 9\u00a0h\u00a030, 245\u00a0Ko</p>",
        '<script>var a = {"b": 1}; if (a) {}</script><style>a:hover {}</style><p>Ok</p>',
        '<a href="https://example.org/?q=1">https://example.org/a?b=1</a>',
        f"<p>{CHAMBER}</p>",
        '<div data-x="a : b">Texte</div>',
    ],
)
def test_the_checker_leaves_what_is_right(html):
    assert slips(visible_texts(html)) == []


# -- the pages -----------------------------------------------------------------------------------


@pytest.fixture
def event_on_the_first(make_event):
    """A date on the first of next month at 9:30, with registrations: "1er" and "9 h 30"."""
    first = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    start = paris(first.year, first.month, 1, 9, 30)
    return make_event(
        "Atelier du premier du mois",
        start=start,
        end=start + timedelta(hours=2),
        registration_enabled=True,
        capacity=1,
        registration_deadline_hours=24,
    )


def page_urls(event):
    start = event.occurrences.get().start
    pages = {name: url for name, url in urls().items() if not url.endswith(".ics")}
    return pages | {
        "event on the first": event.url,
        "its month": event.get_parent().url + f"{timezone.localtime(start):%Y/%m}/",
        "registration form": event.url + "inscription/",
        "registration done": event.url + "inscription/enregistree/",
        "search": "/recherche/?q=atelier",
        "search without results": "/recherche/?q=cooperativ",
        "404": "/cette-page-n-existe-pas/",
    }


def test_every_public_page_type_follows_french_typography(client, event_on_the_first):
    found = {}
    for name, url in page_urls(event_on_the_first).items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), name
        found[name] = slips(visible_texts(response.content.decode()))
    assert {name: slip for name, slip in found.items() if slip} == {}


def test_the_registration_pages_follow_french_typography(client, event_on_the_first):
    occurrence = event_on_the_first.occurrences.get()
    registration = register(
        occurrence.pk, name="Camille Martin", profile="porteur", email="camille@example.org"
    )
    found = {}
    pages = {
        "confirm": confirm_url(registration),
        "cancel": cancel_url(registration),
        "form, full, with a waiting list": event_on_the_first.url + "inscription/",
    }
    confirm(registration)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = slips(visible_texts(response.content.decode()))
    # The form with its errors.
    response = client.post(event_on_the_first.url + "inscription/", {"occurrence": occurrence.pk})
    found["form with errors"] = slips(visible_texts(response.content.decode()))
    # A link that expired.
    Registration.objects.filter(pk=registration.pk).delete()
    response = client.get(confirm_url(registration))
    found["expired link"] = slips(visible_texts(response.content.decode()))
    assert {name: slip for name, slip in found.items() if slip} == {}


def test_the_form_pages_follow_french_typography(client):
    found = {}
    found["form with errors"] = slips(visible_texts(client.post(FORM_URL, {}).content.decode()))
    response = client.post(FORM_URL, FORM_ANSWERS)
    found["thanks"] = slips(visible_texts(response.content.decode()))
    assert {name: slip for name, slip in found.items() if slip} == {}


# -- the e-mails ---------------------------------------------------------------------------------


def email_slips(message):
    texts = [message.subject, message.body]
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            texts += visible_texts(content)
    return slips(texts)


def test_every_email_follows_french_typography(
    client, event_on_the_first, django_capture_on_commit_callbacks
):
    occurrence = event_on_the_first.occurrences.get()
    person = {"name": "Camille Martin", "profile": "porteur"}
    with django_capture_on_commit_callbacks(execute=True):
        first = register(
            occurrence.pk, **person, email="camille@example.org", confirm_by_email=True
        )
        confirm(first)
        register(occurrence.pk, **person, email="dominique@example.org")
        cancel(first)  # the place goes to the waiting list: "une place s'est libérée"
    with django_capture_on_commit_callbacks(execute=True):
        page = event_on_the_first
        page.start = page.start + timedelta(hours=1)
        page.end = page.end + timedelta(hours=1)
        page.save_revision().publish()  # the date moved
    with django_capture_on_commit_callbacks(execute=True):
        page.status = "annule"
        page.save_revision().publish()  # the date cancelled
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FORM_URL, FORM_ANSWERS)  # the staff's notification of a form
    subjects = [message.subject.split("\u00a0:")[0] for message in mail.outbox]
    for kind in (
        "Confirmez votre inscription",
        "Inscription confirmée",
        "Liste d'attente",
        "Inscription annulée",
        "Date modifiée",
        "Date annulée",
    ):
        assert kind in subjects, subjects
    assert any(subject.startswith("Une place s'est libérée") for subject in subjects), subjects
    assert len(mail.outbox) >= 8
    found = {message.subject: email_slips(message) for message in mail.outbox}
    assert {subject: slip for subject, slip in found.items() if slip} == {}


# -- the spaces given to every public page (cress_site.typography.french_html) -------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Lieu : Caen</p>", "<p>Lieu\u00a0: Caen</p>"),
        ("<p><strong>Lieu</strong> : Caen</p>", "<p><strong>Lieu</strong>\u00a0: Caen</p>"),
        ("<p>« <em>ESS</em> »</p>", "<p>«\u202f<em>ESS</em>\u202f»</p>"),
        # Entities stay whole; an escaped non-breaking space is not doubled.
        ("<p>A &amp; B ; l&#x27;ESS ?</p>", "<p>A &amp; B\u202f; l&#x27;ESS\u202f?</p>"),
        ("<p>Lieu&nbsp;: Caen</p>", "<p>Lieu\u00a0: Caen</p>"),
        # What a reader does not read as prose is left alone.
        ('<script>a = {"b": 1};</script>', '<script>a = {"b": 1};</script>'),
        ("<pre>a : b</pre><textarea>c ?</textarea>", "<pre>a : b</pre><textarea>c ?</textarea>"),
        ('<a href="/?q=a : b" data-x="c : d">e</a>', '<a href="/?q=a : b" data-x="c : d">e</a>'),
        # The attributes read aloud or shown.
        ('<img alt="Carte : Caen" src="a">', '<img alt="Carte\u00a0: Caen" src="a">'),
        ('<a aria-label="Page 2 : suite">2</a>', '<a aria-label="Page 2\u00a0: suite">2</a>'),
        ("<p>À 10:30, https://example.org/a?b=1</p>", "<p>À 10:30, https://example.org/a?b=1</p>"),
    ],
)  # fmt: skip
def test_french_html_spaces_what_is_read(html, expected):
    assert french_html(html) == expected


def test_the_public_pages_get_the_spaces_and_the_admin_does_not(client, admin_client):
    page = ContentPage.objects.live().first()
    page.title = "Mentions : qui sommes-nous ?"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "<h1>Mentions\u00a0: qui sommes-nous\u202f?</h1>" in html
    admin = admin_client.get(f"/admin/pages/{page.get_parent().pk}/").content.decode()
    assert "Mentions : qui sommes-nous ?" in admin
