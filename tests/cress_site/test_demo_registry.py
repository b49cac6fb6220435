"""Each feature app adds its part of the demo site through the `register_demo_content` hook:
the home app's `load_demo_content` runs the loaders in their order and keeps what each built."""

from wagtail import hooks

import pytest

from cress_site.demo import DEMO_CONTENT_HOOK, DemoLoader, DemoSite, demo_loaders


def test_the_feature_apps_register_their_loaders_in_the_order_they_run():
    # Projects cite publications: they come after them.
    assert [loader.name for loader in demo_loaders()] == [
        "publications",
        "events",
        "projects",
        "directory",
        "territories",
    ]
    assert [loader.build for loader in demo_loaders()] == [
        "publications.demo.build_publications",
        "events.demo.build_events",
        "projects_showcase.demo.build_projects",
        "directory.demo.build_directory",
        "territories.demo.build_territories",
    ]


def test_a_loader_registered_by_another_app_runs_in_its_place():
    loader = DemoLoader("extra", 35, "tests.cress_site.test_demo_registry.build_extra")
    with hooks.register_temporarily(DEMO_CONTENT_HOOK, lambda: loader):
        names = [loader.name for loader in demo_loaders()]
    assert names == ["publications", "events", "extra", "projects", "directory", "territories"]
    site = DemoSite(home=None, images={})
    assert loader.run(site) == "extra section"
    assert site.created == ["extra"]


def build_extra(site):
    site.created.append("extra")
    return "extra section"


@pytest.mark.django_db
def test_the_demo_site_holds_each_app_s_section(client):
    """The session's demo site (tests/conftest.py) has the sections the loaders built."""
    for path in (
        "/observatoire/",
        "/agenda/",
        "/projets-accompagnes/",
        "/annuaire/",
        "/territoires/",
    ):
        assert client.get(path).status_code == 200
