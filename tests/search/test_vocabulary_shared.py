"""The search's vocabulary is built once per generation of the pages for every worker: stored
compactly in the shared cache, read from there by the other processes without a query, built
again after a publication but not after a registration, and built by one worker at a time."""

from django.core.cache import cache

import pytest

from events.models import EventOccurrence, Registration
from publications.models import PublicationPage
from search import vocabulary as module
from search.vocabulary import Vocabulary, vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch, settings):
    """Each test starts with nothing in this process's memory."""
    monkeypatch.setattr(module, "_built", {})
    settings.SEARCH_VOCABULARY_CACHE_SECONDS = 3600


@pytest.fixture
def builds(monkeypatch):
    """The sites whose vocabulary was built, in order."""
    made = []
    real = module.build_vocabulary

    def counted(site):
        made.append(site.pk)
        return real(site)

    monkeypatch.setattr(module, "build_vocabulary", counted)
    return made


def another_process(monkeypatch):
    """What a second worker sees: the shared cache, but nothing in its own memory."""
    monkeypatch.setattr(module, "_built", {})


def same_words(first, second):
    return (
        first.keys == second.keys
        and first.frequency == second.frequency
        and first.display == second.display
    )


def test_the_stored_form_reads_back_the_same_vocabulary(site):
    built = module.build_vocabulary(site)
    data = built.dumps()
    read = Vocabulary.loads(data)
    assert len(built) > 500  # the demo site's words
    assert same_words(read, built)
    # Compact: a few bytes a word.
    assert len(data) < 8 * len(built)
    for prefix in ("coop", "méthan", "calvad", "économ"):
        assert read.completions(prefix) == built.completions(prefix)
        assert read.expansions(prefix) == built.expansions(prefix)
    for typo in ("methanistion", "cooperatve", "Calvdos", "économei"):
        assert read.closest(typo) == built.closest(typo)
    assert "Calvados" in read and "calvados" in read


def test_an_empty_vocabulary_reads_back():
    read = Vocabulary.loads(Vocabulary({}).dumps())
    assert len(read) == 0
    assert read.completions("coop") == []
    assert read.closest("cooperative") is None


def test_a_second_process_reads_the_stored_vocabulary_without_building_it(
    site, builds, monkeypatch, django_assert_num_queries
):
    first = vocabulary(site)
    assert builds == [site.pk]
    another_process(monkeypatch)
    with django_assert_num_queries(0):
        second = vocabulary(site)
    assert builds == [site.pk]  # not built again
    assert second is not first  # read from the shared cache, not this process's memory
    assert same_words(second, first)
    # Then kept in that process's memory.
    assert vocabulary(site) is second


def completions(client, query):
    response = client.get("/recherche/suggestions/", {"q": query})
    return [item["text"] for item in response.json()["completions"]]


def test_the_suggestions_of_a_second_process_cost_no_build(client, builds, monkeypatch):
    assert "méthanisation" in completions(client, "méthan")
    another_process(monkeypatch)
    assert "méthanisation" in completions(client, "méthan")
    assert len(builds) == 1


def test_a_publication_builds_it_again_for_every_process(site, builds, monkeypatch):
    vocabulary(site)
    page = PublicationPage.objects.live().order_by("path").first()
    page.summary = "Une étude sur la zythologie solidaire."
    page.save_revision().publish()
    another_process(monkeypatch)
    rebuilt = vocabulary(site)
    assert builds == [site.pk, site.pk]
    assert rebuilt.completions("zytho") == ["zythologie"]
    another_process(monkeypatch)
    assert vocabulary(site).completions("zytho") == ["zythologie"]
    assert len(builds) == 2


def test_a_registration_does_not_build_it_again(site, builds, monkeypatch):
    built = vocabulary(site)
    occurrence = (
        EventOccurrence.objects.filter(page__registration_enabled=True, cancelled=False)
        .order_by("start")
        .last()
    )
    Registration.objects.create(
        occurrence=occurrence, name="Camille Martin", email="camille@example.org", profile="porteur"
    )
    assert vocabulary(site) is built
    another_process(monkeypatch)
    assert same_words(vocabulary(site), built)
    assert builds == [site.pk]


def test_while_another_worker_builds_it_this_one_waits_and_reads_it(site, builds, monkeypatch):
    token_key, lock_key = module._vocabulary_keys(site)
    stored = Vocabulary({"zythologie": 3, "coopérative": 2})
    assert cache.add(lock_key, "the other worker", 60)
    waits = []

    def sleep(seconds):
        # The other worker stores its vocabulary while this one waits.
        waits.append(seconds)
        if len(waits) == 3:
            cache.set(module._data_key("other"), stored.dumps(), 60)
            cache.set(token_key, "other", 60)

    monkeypatch.setattr(module.time, "sleep", sleep)
    found = vocabulary(site)
    assert builds == []  # waited, never built
    assert len(waits) == 3
    assert found.completions("zytho") == ["zythologie"]


def test_a_worker_builds_it_itself_when_the_builder_gives_up(site, builds, monkeypatch):
    token_key, lock_key = module._vocabulary_keys(site)
    cache.add(lock_key, "the other worker", 60)

    def sleep(seconds):
        cache.delete(lock_key)  # that worker failed without storing anything

    monkeypatch.setattr(module.time, "sleep", sleep)
    found = vocabulary(site)
    assert builds == [site.pk]
    assert "méthanisation" in found.completions("méthan")
    assert cache.get(token_key) is not None


def test_the_builder_releases_its_lock(site, builds):
    _token_key, lock_key = module._vocabulary_keys(site)
    vocabulary(site)
    assert cache.get(lock_key) is None


def test_the_lock_is_released_when_the_build_fails(site, monkeypatch):
    _token_key, lock_key = module._vocabulary_keys(site)

    def broken(site):
        raise RuntimeError("database gone")

    monkeypatch.setattr(module, "build_vocabulary", broken)
    with pytest.raises(RuntimeError):
        vocabulary(site)
    assert cache.get(lock_key) is None


def test_without_a_cache_time_it_is_built_at_each_use(site, builds, settings):
    settings.SEARCH_VOCABULARY_CACHE_SECONDS = 0
    vocabulary(site)
    vocabulary(site)
    assert builds == [site.pk, site.pk]


class FakeThread:
    """Runs its target when started, in the test's thread (and database transaction: the
    thread's own connection handling, `close_old_connections` and `close_all`, is left out by
    the tests, as it would close the test's connection on PostgreSQL)."""

    started = []

    def __init__(self, target, name, daemon):
        self.target = target
        assert daemon  # never keeps a stopping worker alive

    def start(self):
        FakeThread.started.append(self)
        self.target()


def test_a_starting_worker_gets_the_vocabulary_in_a_thread(site, builds, monkeypatch, settings):
    settings.SEARCH_VOCABULARY_AT_START = True
    FakeThread.started = []
    monkeypatch.setattr(module.threading, "Thread", FakeThread)
    closed = []
    monkeypatch.setattr(module.connections, "close_all", lambda: closed.append(1))
    monkeypatch.setattr(module, "close_old_connections", lambda: closed.append(0))
    assert module.prepare_in_background() is not None
    assert builds == [site.pk] and closed == [0, 1]
    # A second worker reads what the first stored.
    another_process(monkeypatch)
    module.prepare_in_background()
    assert builds == [site.pk]
    assert "méthanisation" in vocabulary(site).completions("méthan")


def test_a_failed_preparation_leaves_the_worker_serving(site, monkeypatch, settings):
    settings.SEARCH_VOCABULARY_AT_START = True
    monkeypatch.setattr(module.threading, "Thread", FakeThread)
    monkeypatch.setattr(module.connections, "close_all", lambda: None)
    monkeypatch.setattr(module, "close_old_connections", lambda: None)

    def broken(site):
        raise RuntimeError("database gone")

    monkeypatch.setattr(module, "build_vocabulary", broken)
    module.prepare_in_background()  # logged, not raised


def test_no_preparation_when_turned_off(settings):
    settings.SEARCH_VOCABULARY_AT_START = False
    assert module.prepare_in_background() is None


def test_a_token_the_cache_forgot_does_not_build_it_again_in_this_process(site, builds):
    """A worker's local cache drops its least used entries when full: the vocabulary this
    process holds for the same generation is kept, and stored again for the others."""
    first = vocabulary(site)
    token_key, _lock = module._vocabulary_keys(site)
    cache.delete(token_key)
    assert vocabulary(site) is first
    assert builds == [site.pk]
    assert cache.get(token_key) is not None  # stored again

    PublicationPage.objects.live().first().save_revision().publish()  # a new generation
    vocabulary(site)
    assert builds == [site.pk, site.pk]
