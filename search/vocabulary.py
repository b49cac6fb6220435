"""The words of the public content of a site: what the search completes and corrects.

The vocabulary is every word (three letters or more, stop words aside) of the live, public
pages of the site: their titles, summaries, bodies and other search fields, the names of their
territories and themes, and the text of their PDFs when the PDF is not in a private collection.
Nothing else: a private page or document gives no word, so that neither a completion nor a
"Vouliez-vous dire" can tell what it says.

It is built once per generation of the pages' scopes (cress_site.cache, `PAGES`: every change
of the pages, not the registrations) for every worker of every machine: any change to what the
public sees (a publication, a restriction, a collection made private) makes a new generation,
so the vocabulary is never older than the content, whereas a table kept up to date on indexing
would miss the changes that reindex nothing (a view restriction, a private collection).

How a worker gets it (`vocabulary`):
1. from its own memory, when it has already read the current generation's;
2. else from the default cache (Redis with `REDIS_URL`, shared by all the workers): the
   vocabulary is stored there compactly (`Vocabulary.dumps`: its sorted words, their counts and
   shown forms, zlib-compressed: a few bytes a word), under a token kept for the generation;
   reading it costs no SQL query;
3. else it builds it, one worker at a time: the first takes a lock in the cache (`cache.add`),
   builds, stores and releases it; the others wait for the stored vocabulary rather than build
   it too (at most `SEARCH_VOCABULARY_WAIT_SECONDS`, then they build their own).
With the local-memory cache (no Redis), each worker keeps its own.

A gunicorn worker starts getting it as soon as it has loaded the site (`prepare_in_background`,
called by gunicorn.conf.py's `post_worker_init` unless `SEARCH_VOCABULARY_AT_START` is off), in a
thread, so that the first search after a restart does not pay the build alone.

The build reads every public text (one query per page type and relation); at 10,000 pages it
takes seconds (see bench/README.md). Then a completion is a binary search in the sorted words
and a correction compares the query's word with the few words that share most of its trigrams
(indexed the first time a correction is asked for).

Words are compared folded (search.french.fold: lower case, no accents), and shown in the form
the content uses most ("coopérative", "Calvados").
"""

import json
import logging
import re
import threading
import time
import uuid
import zlib
from bisect import bisect_left
from collections import Counter, defaultdict
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import close_old_connections, connections
from django.db.models import CharField, F, ForeignKey, TextField
from django.db.models.functions import Cast

from modelsearch.query import And, Or, PlainText
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Site, get_page_models
from wagtail.search.index import RelatedFields, SearchField
from wagtail.search.utils import parse_query_string

from cress_site import cache as content_cache
from cress_site.visibility import non_public, public
from search.french import ELISION, STOP_WORDS, analyse, fold, stem

logger = logging.getLogger(__name__)

MIN_WORD_LENGTH = 3
# Elided words of three letters or more ("jusqu'à"): not words of the vocabulary.
ELIDED = {"jusqu", "lorsqu", "puisqu", "quoiqu"}
LETTERS = re.compile(r"[^\W\d_]+")
COUNTED_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD_LENGTH},}}")
TAG = re.compile(r"<[^>]*>")
# Keys of a StreamField's raw data that name blocks rather than hold text.
NOT_TEXT_KEYS = {"type", "id"}

_built = {}  # site id → (token, Vocabulary, token key, monotonic time held since), in this process
LOCK_SECONDS = 120


def surface_words(text):
    """The words of `text` as written, elisions removed: "L'économie" → ["économie"]."""
    if "<" in text:
        text = TAG.sub(" ", text)
    return LETTERS.findall(ELISION.sub(" ", text))


def _counted_words(text):
    """The words of `text` to count in the vocabulary: as `surface_words`, faster (the elided
    "l", "d", "qu"… are shorter than a word of the vocabulary; the longer ones are dropped),
    by the regular expression itself (a build at full volume: 3.1 s of CPU → 2.8 s)."""
    if "<" in text:
        text = TAG.sub(" ", text)
    return COUNTED_WORD.findall(text)


class Vocabulary:
    """The words of a text collection, for completions and corrections."""

    def __init__(self, counts):
        """`counts`: how many times each written form occurs."""
        forms = defaultdict(Counter)
        for form, count in counts.items():
            key = fold(form)
            if len(key) >= MIN_WORD_LENGTH and key not in STOP_WORDS and key not in ELIDED:
                forms[key][form] += count
        self.frequency = {key: sum(seen.values()) for key, seen in forms.items()}
        self.display = {key: _shown_form(seen) for key, seen in forms.items()}
        self.keys = sorted(forms)
        self._trigrams = None

    @property
    def trigrams(self):
        """The index of each trigram's words (their positions in `keys`), made on first use:
        only a correction reads it."""
        if self._trigrams is None:
            trigrams = defaultdict(list)
            for index, key in enumerate(self.keys):
                for trigram in _trigrams(key):
                    trigrams[trigram].append(index)
            self._trigrams = trigrams
        return self._trigrams

    def dumps(self):
        """The vocabulary as compact bytes (`loads` reads them back): one line per word, in
        order, "key<TAB>count", then "<TAB>shown form" when it is not the key, compressed."""
        lines = []
        for key in self.keys:
            shown = self.display[key]
            line = f"{key}\t{self.frequency[key]}"
            lines.append(line if shown == key else f"{line}\t{shown}")
        return zlib.compress("\n".join(lines).encode(), 6)

    @classmethod
    def loads(cls, data):
        """The vocabulary `dumps` wrote."""
        vocabulary = cls.__new__(cls)
        keys, frequency, display = [], {}, {}
        text = zlib.decompress(data).decode()
        for line in text.split("\n") if text else ():
            key, count, *shown = line.split("\t")
            keys.append(key)
            frequency[key] = int(count)
            display[key] = shown[0] if shown else key
        vocabulary.keys, vocabulary.frequency, vocabulary.display = keys, frequency, display
        vocabulary._trigrams = None
        return vocabulary

    def __contains__(self, word):
        return fold(word) in self.frequency

    def __len__(self):
        return len(self.keys)

    def completions(self, prefix, limit=5):
        """The words that start with `prefix` (folded), the most frequent first."""
        prefix = fold(prefix)
        if len(prefix) < 2:
            return []
        start = bisect_left(self.keys, prefix)
        end = bisect_left(self.keys, prefix + "\uffff", lo=start)
        found = self.keys[start:end]
        found.sort(key=lambda key: (-self.frequency[key], len(key), key))
        return [self.display[key] for key in found[:limit]]

    def expansions(self, prefix, limit=12):
        """The words that start with `prefix`, one per stem, the most frequent first: what a
        search looks for when `prefix` is not a word of the content."""
        by_stem = {}
        for word in self.completions(prefix, limit=200):
            by_stem.setdefault(stem(fold(word)), word)
        return list(islice(by_stem.values(), limit))

    def closest(self, word):
        """The word of the vocabulary nearest to `word` (accents and case aside), within a few
        typing errors; None when there is none."""
        key = fold(word)
        if len(key) < MIN_WORD_LENGTH or key in self.frequency:
            return None
        shared = Counter()
        for trigram in _trigrams(key):
            shared.update(self.trigrams.get(trigram, ()))
        allowed = 1 if len(key) <= 4 else 2
        best = None
        for index, _count in shared.most_common(60):
            candidate = self.keys[index]
            if abs(len(candidate) - len(key)) > allowed:
                continue
            distance = edit_distance(key, candidate, allowed)
            if distance <= allowed:
                rank = (distance, -self.frequency[candidate], candidate)
                if best is None or rank < best:
                    best = rank
        return None if best is None else self.display[best[2]]


def _shown_form(forms):
    """The form a word is shown in: its most frequent lower-case form if it has one (a common
    word capitalised at the start of a sentence), else its most frequent form (a name)."""
    lower = [(count, form) for form, count in forms.items() if form == form.lower()]
    if lower:
        return max(lower)[1]
    return max((count, form) for form, count in forms.items())[1]


def _trigrams(key):
    padded = f"^{key}$"
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def edit_distance(first, second, limit):
    """Damerau-Levenshtein distance (adjacent swaps count one), or `limit + 1` beyond it."""
    previous_row = None
    row = list(range(len(second) + 1))
    for i, char in enumerate(first, 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(second)
        for j, other in enumerate(second, 1):
            cost = char != other
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
    return row[-1]


# Queries ----------------------------------------------------------------------------------------


def searched_query(query, words):
    """What the search looks for: `query` parsed (wagtail.search.utils), its last word matched
    as a prefix when it is not a word of the content (`words`, a Vocabulary).

    "cooperativ" looks for "cooperativ" or the content's words that start with it
    ("coopératives", "coopérative"…, one per stem), "economie soc" for "economie" and one of
    "sociale", "social"…. A last word the content has ("ess", "coopératives") is searched as
    it is; a phrase in quotes too. The words stay plain text: each backend analyses them its
    own way (French stems, accents, elisions).
    """
    _filters, parsed = parse_query_string(query)
    if not isinstance(parsed, PlainText) or query.rstrip().endswith('"'):
        return parsed
    tokens = parsed.query_string.split()
    if not tokens:
        return parsed
    found = surface_words(tokens[-1])
    if not found:
        return parsed
    last = found[-1]
    key = fold(last)
    if len(key) < MIN_WORD_LENGTH or key in STOP_WORDS or key in words.frequency:
        return parsed
    expansions = words.expansions(key)
    if not expansions:
        return parsed
    prefix = Or([PlainText(last)] + [PlainText(word) for word in expansions])
    rest = " ".join(tokens[:-1] + [tokens[-1][: tokens[-1].rfind(last)]]).strip()
    if not analyse(rest):  # nothing but stop words or signs before the last word
        return prefix
    return And([PlainText(rest, operator=parsed.operator), prefix])


def did_you_mean(query, words):
    """`query` with each word the content does not have replaced by the nearest one it has
    ("economei socile" → "économie sociale"), or None when no word can be corrected."""
    changed = False

    def correct(match):
        nonlocal changed
        word = match.group()
        if fold(word) in STOP_WORDS:
            return word
        nearest = words.closest(word)
        if nearest is None:
            return word
        changed = True
        return nearest

    corrected = LETTERS.sub(correct, query)
    return corrected if changed else None


# Building ---------------------------------------------------------------------------------------


def _text_paths(model, fields, prefix=""):
    """The ORM paths of the text a model's search fields read from the database."""
    for search_field in fields:
        if isinstance(search_field, RelatedFields):
            yield from _text_paths(
                None, search_field.fields, f"{prefix}{search_field.field_name}__"
            )
        elif isinstance(search_field, SearchField):
            if model is not None:
                try:
                    field = model._meta.get_field(search_field.field_name)
                except FieldDoesNotExist:  # a method or property (a publication's PDF text)
                    continue
                if not isinstance(field, CharField | TextField | RichTextField | StreamField):
                    continue
            yield prefix + search_field.field_name


def _document_paths(model):
    """The foreign keys of a page model to documents (a publication's PDF)."""
    document_model = get_document_model()
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey) and field.related_model is document_model
    ]


def _texts(value):
    """The strings inside a field's value (a StreamField's raw data, text, rich text)."""
    if value is None:
        return
    raw = getattr(value, "raw_data", None)
    if raw is not None:
        value = list(raw)
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_TEXT_KEYS:
                yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def build_vocabulary(site):
    """The vocabulary of the live, public pages of `site` (one query per page type with text,
    and one per relation or document they read)."""
    counts = Counter()
    private_documents = non_public().documents
    models = [model for model in get_page_models() if not model._meta.proxy]
    content_types = ContentType.objects.get_for_models(*models)
    for model in models:
        # The pages of exactly this type (those of its subclasses are read as theirs).
        pages = public(model.objects.in_site(site), None).filter(content_type=content_types[model])
        paths = list(dict.fromkeys(_text_paths(model, model.get_search_fields())))
        own = [path for path in paths if "__" not in path]
        related = [path for path in paths if "__" in path]
        if own:
            # A StreamField's JSON is read as text and parsed here: Django's conversion to
            # blocks is what would cost most.
            streams = [isinstance(model._meta.get_field(path), StreamField) for path in own]
            columns = [
                Cast(path, output_field=TextField()) if stream else F(path)
                for path, stream in zip(own, streams, strict=True)
            ]
            for row in pages.values_list(*columns):
                for value, stream in zip(row, streams, strict=True):
                    if stream and value:
                        value = json.loads(value)
                    for text in _texts(value):
                        counts.update(_counted_words(text))
        for path in related:
            names = pages.exclude(**{f"{path}__isnull": True}).values_list(path, flat=True)
            for text in names:
                counts.update(_counted_words(text))
        for path in _document_paths(model):
            texts = (
                pages.exclude(**{f"{path}_id__in": private_documents})
                .exclude(**{f"{path}__isnull": True})
                .values_list(f"{path}__extracted_text", flat=True)
            )
            for text in texts:
                counts.update(_counted_words(text or ""))
    return Vocabulary(counts)


def _vocabulary_keys(site):
    """The cache keys of the token of `site`'s vocabulary for the current generation of the
    pages, and of the lock of its build."""
    token_key = content_cache.shared_key(f"search-vocabulary:{site.pk}", scopes=content_cache.PAGES)
    return token_key, f"{token_key}:lock"


def _data_key(token):
    return f"search-vocabulary-data:{token}"


def vocabulary(site):
    """The vocabulary of `site` for the current generation of the pages: from this process's
    memory, else from the shared cache, else built (by one worker at a time) and stored there.

    The default cache holds it: the "search" cache is for the matches of searches (a
    benchmark empties it between searches)."""
    timeout = settings.SEARCH_VOCABULARY_CACHE_SECONDS
    if not timeout:
        return build_vocabulary(site)
    token_key, lock_key = _vocabulary_keys(site)
    # The token is small and read at each call; the vocabulary it names only when this
    # process does not hold it yet.
    token = cache.get(token_key)
    found = _read(site, token, token_key)
    if found is not None:
        return found
    memo = _built.get(site.pk)
    held = memo is not None and memo[2] == token_key and time.monotonic() - memo[3] < timeout
    if token is None and held:
        # The cache forgot the token before its time (a worker's local cache drops its least
        # used entries when full), but this process holds this generation's vocabulary: kept,
        # and stored again for the others, rather than built again (2.8 s at volume).
        _store(memo[1], memo[0], token_key, timeout)
        return memo[1]
    # The lock outlives a slow build (a worker killed while building leaves it to expire).
    lock_seconds = max(LOCK_SECONDS, 2 * settings.SEARCH_VOCABULARY_WAIT_SECONDS)
    if cache.add(lock_key, uuid.uuid4().hex, lock_seconds):
        try:
            return _build_and_store(site, token_key, timeout)
        finally:
            cache.delete(lock_key)
    # Another worker is building it: wait for it rather than read the whole content too.
    deadline = time.monotonic() + settings.SEARCH_VOCABULARY_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        token = cache.get(token_key)
        if token is not None:
            found = _read(site, token, token_key)
            if found is not None:
                return found
            break  # stored, then forgotten by the cache: build it here
        if cache.get(lock_key) is None:  # that worker failed: build it here
            break
    return _build_and_store(site, token_key, timeout)


def _read(site, token, token_key):
    """The vocabulary named `token`, from this process's memory or the shared cache; None
    when there is no token or the cache has forgotten the vocabulary."""
    if token is None:
        return None
    memo = _built.get(site.pk)
    if memo is not None and memo[0] == token:
        return memo[1]
    data = cache.get(_data_key(token))
    if data is None:
        return None
    found = Vocabulary.loads(data)
    _built[site.pk] = (token, found, token_key, time.monotonic())  # one generation at a time
    return found


def _build_and_store(site, token_key, timeout):
    started = time.monotonic()
    found = build_vocabulary(site)
    token = uuid.uuid4().hex
    data = found.dumps()
    logger.info(
        "Search vocabulary of site %s built in %.1f s: %d words, %d bytes stored",
        site.pk,
        time.monotonic() - started,
        len(found),
        len(data),
    )
    _store(found, token, token_key, timeout, data)
    _built[site.pk] = (token, found, token_key, time.monotonic())
    return found


def forget():
    """Forget the vocabularies this process holds (the tests' rollback changes the content
    without a new generation, as nothing in production does)."""
    _built.clear()


def _store(found, token, token_key, timeout, data=None):
    """`found` in the shared cache under `token`, named by `token_key`: the words first, then
    the token that names them, so that whoever reads the token finds them."""
    cache.set(_data_key(token), found.dumps() if data is None else data, timeout)
    cache.set(token_key, token, timeout)


def prepare_in_background():
    """Get every site's vocabulary in a thread (from the shared cache, or built): what a
    worker does when it starts. Returns the thread, or None when `SEARCH_VOCABULARY_AT_START`
    or the cache time is off."""
    if not (settings.SEARCH_VOCABULARY_AT_START and settings.SEARCH_VOCABULARY_CACHE_SECONDS):
        return None
    thread = threading.Thread(target=_prepare, name="search-vocabulary", daemon=True)
    thread.start()
    return thread


def _prepare():
    close_old_connections()
    try:
        for site in Site.objects.all():
            vocabulary(site)
    except Exception:  # the site still serves; the first search builds it
        logger.exception("Cannot prepare the search vocabulary")
    finally:
        connections.close_all()  # this thread's connections only
