"""`french_html` gives, byte for byte, what its first version gave (kept here as the reference):
on tricky snippets, on random strings made of such pieces, and on the site's pages."""

import random
import re

import pytest

from cress_site import typography
from cress_site.typography import french_html, french_spaces
from tests.cress_site.test_query_budgets import urls

# -- the reference: cress_site/typography.py's HTML part before it let the regex engine skip ----

NBSP = "\u00a0"
NNBSP = "\u202f"
_BEFORE_NARROW = re.compile(r"(?<=\S)[ \u00a0\u202f]?([;!?])(?=\s|$|[»)\"'’])")
_BEFORE_COLON = re.compile(r"(?<=[^\s\d])[ \u00a0\u202f]?:(?=\s|$)")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f]?»")
_SPACE_BEFORE_NARROW = re.compile(r" ([;!?])(?=\s|$|[»)\"'’])")
_SPACE_BEFORE_COLON = re.compile(r" :(?=\s|$)")


def reference_french_spaces(text):
    if not text:
        return text
    text = _BEFORE_NARROW.sub(lambda match: NNBSP + match.group(1), text)
    text = _SPACE_BEFORE_NARROW.sub(lambda match: NNBSP + match.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING.sub("«" + NNBSP, text)
    return _BEFORE_CLOSING.sub(NNBSP + "»", text)


_TAG = re.compile(r"""(<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>)""", re.S)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][\w-]*)")
_RAW_ELEMENTS = {"script", "style", "pre", "code", "textarea", "template"}
_READ_ATTRIBUTE = re.compile(r"""(\s(?:title|alt|aria-label|placeholder)=)("[^"]*"|'[^']*')""")
_MARKS = re.compile("[:;!?«»]")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]\w*);")
_SPACE_ENTITIES = {"&nbsp;": NBSP, "&#160;": NBSP, "&#xa0;": NBSP, "&#8239;": NNBSP}


def _reference_spaces_escaped(text):
    entities = []

    def hold(match):
        entity = match.group(0)
        if entity.lower() in _SPACE_ENTITIES:
            return _SPACE_ENTITIES[entity.lower()]
        entities.append(entity)
        return chr(0xE000 + len(entities) - 1)

    held = _ENTITY.sub(hold, text) if "&" in text else text
    if len(entities) > 0x1000:
        return text
    spaced = reference_french_spaces(held)
    if entities:
        spaced = re.sub(
            "[\ue000-\uefff]", lambda match: entities[ord(match.group(0)) - 0xE000], spaced
        )
    return spaced


def reference_french_html(html):
    parts = _TAG.split(html)
    raw = None
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if raw is None and _MARKS.search(part):
                parts[index] = _reference_spaces_escaped(part)
            continue
        name = _TAG_NAME.match(part)
        if name is None:
            continue
        closing, tag = name.group(1), name.group(2).lower()
        if raw is not None:
            if closing and tag == raw:
                raw = None
            continue
        if tag in _RAW_ELEMENTS and not closing and not part.endswith("/>"):
            raw = tag
            continue
        if _MARKS.search(part):
            parts[index] = _READ_ATTRIBUTE.sub(
                lambda match: match.group(1) + _reference_spaces_escaped(match.group(2)), part
            )
    return "".join(parts)


def outcome(function, html):
    """What `function` gives, or the exception it raises (the reference raises IndexError on
    some private-use characters: the new one must do the same)."""
    try:
        return function(html)
    except Exception as error:
        return type(error)


# -- snippets ----------------------------------------------------------------------------------

SNIPPETS = [
    "",
    "Pourquoi ?",
    "<p>Lieu : Caen ; « ESS » ! Vraiment?</p>",
    "<p>Lieu: Caen</p><p>«ESS»</p><p>« ESS »</p><p>«\u00a0ESS\u00a0»</p>",
    "<p><strong>Lieu</strong> : Caen</p>",
    "<p>Pourquoi<!-- commentaire : ? --> ?</p>",
    "<!-- Lieu : Caen ? -->",
    "<!-- pas fermé : ? <p>Lieu : Caen</p>",
    "<!-- a > b : c --> d : e",
    "<!DOCTYPE html><html lang=fr><p>Lieu : Caen</p>",
    "<pre>a : b ?</pre> c : d",
    "<pre><code>a : b</code> ? c</pre> après : oui",
    "<code>a : <code>b</code> c ?</code> d ?",
    "<script>if (a < b && c > d) { x = 'a : b'; }</script> Fin : oui",
    '<script>var s = "</script>"; t : u</script> v : w',
    "<SCRIPT>a : b</SCRIPT> c : d",
    "<Script type='text/javascript'>a : b</sCrIpT> c : d",
    "<script>jamais fermé : ? <p>Lieu : Caen</p>",
    "<style>a:hover { color: red; }</style><p>Note : ok</p>",
    '<textarea placeholder="Votre question ?">Pourquoi ?</textarea> Et : là',
    '<input placeholder="Votre question ?" name=q> Et : là',
    "<template><p>Lieu : Caen</p></template><p>Lieu : Caen</p>",
    "<code/>a : b<code />c ? d<pre/>e : f",
    '<code title="a : b">c : d</code>',
    "<scripts>a : b</scripts><pre-x>c : d</pre-x><codeé>e ?</codeé>",
    "<code.x>a : b</code.x> c : d",
    '<a href="/?q=a>b" title="Lien : suite">x : y</a>',
    "<a title='Lien : suite' data-x='>' alt=\"Pourquoi ?\">z</a>",
    '<img alt="Carte : Caen" src="https://example.org/a.png">',
    '<img alt="a&nbsp;b" src="https://example.org/a.png">',
    '<img ALT="Carte : Caen" data-title="x : y" aria-label="Page 2 : suite">',
    "<a data-x=' title=\"a ?\"'>b</a>",
    '<a\ttitle="Onglet : oui"\naria-label="Ligne : deux">c</a>',
    "</a title='Fermant : oui'>",
    "</script title='Fermant : oui'> a : b",
    '<a href="https://example.org/a?b=1;c=2">https://example.org/a?b=1</a>',
    "<p>À 10:30, 9:30 ou 14h30 : https://example.org/a?b=1</p>",
    "<p>A &amp; B ; l&#x27;ESS ? l&#39;ESS&#8239;; « &quot;x&quot; »</p>",
    "<p>Lieu&nbsp;: Caen &NBSP;? &#160;! &#xA0;; &#Xa0;: &#8239;» «&#x202F;</p>",
    "<p>l&#x27;économie d&#x27;ici</p>",
    "<p>a&nbsp;b</p><p>a&NbSp;b</p><p>a&#160;b</p><p>a&#0160;b</p><p>a&#8239;b</p>",
    "<p>a&#xa0;b</p>",
    "<p>a&#XA0;b</p>",
    "<p>a&#xA0;b</p>",
    "<p>a&nbspx;b &#x27 ; &#X27;</p>",
    "<p>&amp;x ; &foo bar; &#; &#x; &1; & ; &amp</p>",
    "<p>a < b : c</p>",
    "<p>a < b</p> c ?",
    'a <b title="x : y> c ? d',
    "a <b title='x : y> c ? d</b>",
    "x <> y : z < > w ?",
    "<p>\ue000 l&#x27;a ; b</p>",
    "<p>\ue001 a ; b</p>",
    "<p>\ue000 sans marque</p>",
    "« » «» ?!:;",
    "<p>Pourquoi ?»</p><p>(vraiment ?)</p><p>'oui ?' « non ? »</p>",
    "<br/>a : b<br />c ? d<hr>e ! f",
    '<div\n  class="x"\n  title="Titre : oui"\n>Texte : oui</div>',
    "<p>Texte</p>\n\n   <ul>\n<li>Un : deux</li>\n</ul>",
]


@pytest.mark.parametrize("html", SNIPPETS)
def test_french_html_gives_what_the_reference_gave(html):
    assert outcome(french_html, html) == outcome(reference_french_html, html)


# -- random strings made of such pieces ----------------------------------------------------------

PIECES = [
    "<p>", "</p>", "<div class=\"a\">", "</div>", "<br/>", "<em>", "</em>", "<!-- x : ? -->",
    "<!--", "-->", "<!DOCTYPE html>", "<pre>", "</pre>", "<PRE>", "</Pre>", "<code>", "</code>",
    "<code/>", "<script>", "</script>", "<SCRIPT>", "</SCRIPT>", "<style>", "</style>",
    "<textarea>", "</textarea>", "<template>", "</template>", "<scripts>",
    '<a href="https://example.org/?a=1&amp;b=2">', "</a>", '<a title="Lien : suite">',
    "<a title='a ?'>", '<img alt="Carte : Caen" src="a.png">', '<img alt="a&nbsp;b" src="x:y">',
    '<input placeholder="Question ?">', '<span aria-label="Page 2 : suite">', "</span>",
    '<b data-x="a>b">', "<b data-x=' title=\"x ?\"'>", '<b title="x', "'", '"', "<", ">", "< b>",
    "a", "Lieu", " ", "  ", "\n", "\u00a0", "\u202f", ":", " :", ";", " ;", "!", "?", " ?", "«",
    "»", "« ", " »", "&amp;", "&#x27;", "&nbsp;", "&NBSP;", "&#160;", "&#8239;", "&#xa0;",
    "&#XA0;", "&#0160;", "&nbsp", "&lt;", "&#X27;", "&foo", "&",
    "10:30", "https://example.org/a?b", "(", ")", "'", "’", "\ue000", "\ue002", "é", "2",
    "<b", "<code", "</code", " title=", "title=", "xalt=", "\ttitle=", " alt=", "\naria-label=",
    " placeholder=",
    '"a ?"', "'b : c'", '"d"', "/>", "\u2003",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(20))
def test_french_html_gives_what_the_reference_gave_on_random_strings(seed):
    rng = random.Random(seed)
    differences = []
    for _ in range(300):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
        if outcome(french_html, html) != outcome(reference_french_html, html):
            differences.append(html)
    assert differences == []


@pytest.mark.parametrize("seed", range(5))
def test_the_read_marks_are_found_as_the_regular_expression_finds_them(seed):
    rng = random.Random(seed)
    pattern = re.compile(r"\s" + typography._READ_MARK)
    for _ in range(500):
        html = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 20)))
        assert typography._has_read_mark(html) == bool(pattern.search(html)), repr(html)


@pytest.mark.parametrize("seed", range(5))
def test_french_spaces_gives_what_the_reference_gave_on_random_strings(seed):
    rng = random.Random(seed)
    words = [" ", "a", "2", ":", ";", "!", "?", "«", "»", "\u00a0", "\u202f", "\n", "'", ")"]
    for _ in range(500):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 20)))
        assert french_spaces(text) == reference_french_spaces(text), repr(text)


# -- the site's pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pages_get_what_the_reference_gave(client, settings, monkeypatch):
    """Each page type, through the middleware: what `french_html` gave it is what the reference
    gives the same HTML."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    seen = []

    def recorded(html):
        spaced = french_html(html)
        seen.append((html, spaced))
        return spaced

    monkeypatch.setattr(typography, "french_html", recorded)
    pages = {name: url for name, url in urls().items() if not url.endswith(".ics")}
    pages["search"] = "/recherche/?q=atelier"
    for name, url in pages.items():
        seen.clear()
        response = client.get(url)
        assert response.status_code == 200, name
        assert len(seen) == 1, name
        html, spaced = seen[0]
        assert spaced != html, name  # each page has something to space
        assert spaced == reference_french_html(html), name
        assert response.content.decode() == spaced, name
