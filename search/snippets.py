"""Snippets for search results: the text around the words that matched, with those words marked.

Words are compared the way the search compares them (`search.french`): "collectivite" marks
"collectivités", "l'insertion" marks "insertion". The text comes from the page's own fields, and
for a publication from the text of its PDF too, so that a word found only inside the document is
shown in its context.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from search.french import STOP_WORDS, fold, stem

TOKEN = re.compile(r"\w+", re.UNICODE)
CONTEXT_WORDS = 14
MAX_SOURCE_CHARS = 400_000  # a very long PDF is searched for a match in its first part only


@dataclass
class Snippet:
    html: str
    source: str = ""  # "" (the page) or "document" (inside the PDF)


def query_stems(query):
    """The stems a query looks for (stop words left out, unless the query has nothing else)."""
    words = [fold(word) for word in TOKEN.findall(query.replace("'", " ").replace("’", " "))]
    significant = [word for word in words if word not in STOP_WORDS] or words
    return {stem(word) for word in significant if word}


def _matches(word, stems):
    return stem(fold(word)) in stems


def make_snippet(text, stems, source=""):
    """A snippet of `text` around its first matching word, or None when no word matches."""
    if not text or not stems:
        return None
    text = " ".join(text[:MAX_SOURCE_CHARS].split())
    tokens = list(TOKEN.finditer(text))
    first = next((i for i, token in enumerate(tokens) if _matches(token.group(), stems)), None)
    if first is None:
        return None
    start_index = max(0, first - CONTEXT_WORDS // 2)
    end_index = min(len(tokens) - 1, first + CONTEXT_WORDS * 2)
    start = tokens[start_index].start()
    end = tokens[end_index].end()
    parts = ["… " if start_index > 0 else ""]
    position = start
    for token in tokens[start_index : end_index + 1]:
        parts.append(escape(text[position : token.start()]))
        word = escape(token.group())
        parts.append(f"<mark>{word}</mark>" if _matches(token.group(), stems) else word)
        position = token.end()
    parts.append(escape(text[position:end]))
    if end_index < len(tokens) - 1:
        parts.append(" …")
    return Snippet(html=mark_safe("".join(parts)), source=source)


def highlight(text, stems):
    """`text` (short: a title) with its matching words marked."""
    parts = []
    position = 0
    for token in TOKEN.finditer(text):
        parts.append(escape(text[position : token.start()]))
        word = escape(token.group())
        parts.append(f"<mark>{word}</mark>" if _matches(token.group(), stems) else word)
        position = token.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def fallback_snippet(text):
    return Snippet(html=escape(Truncator(" ".join((text or "").split())).words(40)))
