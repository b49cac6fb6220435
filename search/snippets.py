"""Snippets for search results: the text around the words that matched, with those words marked.

Words are compared the way the search compares them (`search.french`): "collectivite" marks
"collectivités", "l'insertion" marks "insertion". The text comes from the page's own fields, and
for a publication from the text of its PDF too, so that a word found only inside the document is
shown in its context.
"""

import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

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


@lru_cache(maxsize=100_000)
def _word_stem(word):
    return stem(fold(word))


def _matches(word, stems):
    return _word_stem(word) in stems


def make_snippet(text, stems, source=""):
    """A snippet of `text` around its first matching word, or None when no word matches.

    The text is read up to its first match only (a PDF's text can be long)."""
    if not text or not stems:
        return None
    text = " ".join(text[:MAX_SOURCE_CHARS].split())
    tokens = TOKEN.finditer(text)
    before = deque(maxlen=CONTEXT_WORDS // 2)
    skipped = 0  # words before the snippet
    for token in tokens:
        if _matches(token.group(), stems):
            first = token
            break
        if len(before) == before.maxlen:
            skipped += 1
        before.append(token)
    else:
        return None
    window = [*before, first, *islice(tokens, CONTEXT_WORDS * 2)]
    more = next(tokens, None) is not None
    start, end = window[0].start(), window[-1].end()
    parts = ["… " if skipped else ""]
    position = start
    for token in window:
        parts.append(escape(text[position : token.start()]))
        word = escape(token.group())
        parts.append(f"<mark>{word}</mark>" if _matches(token.group(), stems) else word)
        position = token.end()
    parts.append(escape(text[position:end]))
    if more:
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
