"""What every app's demo content is built with: the loaders' registry and the page helper.

Each app adds its part of the demo site (its section page and what it holds) by returning a
`DemoLoader` from the Wagtail hook `register_demo_content`, in its own `wagtail_hooks`: the
home app's `load_demo_content` builds the home page, runs the loaders in their `order` and
links to what they built, without knowing how each app builds its content. The loader is named
by its dotted path, so that the demo code is imported only when the demo is loaded.
"""

from dataclasses import dataclass, field

from django.utils.module_loading import import_string

from wagtail import hooks
from wagtail.models import Page

DEMO_CONTENT_HOOK = "register_demo_content"


@dataclass(frozen=True)
class DemoLoader:
    """An app's part of the demo site: `build` (a dotted path) takes the `DemoSite` and returns
    the section page it made or found, kept in `DemoSite.sections` under `name`. Loaders run by
    increasing `order` (projects cite publications: they come after them)."""

    name: str
    order: int
    build: str

    def run(self, site):
        return import_string(self.build)(site)


@dataclass
class DemoSite:
    """The demo site being built: its home page, the decorative images every app may use, the
    section pages the loaders made so far by name, and `created`, what was created, for the
    command's report."""

    home: Page
    images: dict
    created: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)

    @staticmethod
    def child(parent, model, slug, created, factory, first=False):
        """The child of `parent` with this slug, created by `factory()` and published if
        missing (and named in `created`).

        `first` puts a new page before its siblings (the menu follows the tree's order).
        """
        page = parent.get_children().filter(slug=slug).specific().first()
        if page is not None:
            return page
        page = factory()
        page.slug = slug
        parent.add_child(instance=page)
        if first:
            page.move(parent, pos="first-child")
            page = model.objects.get(pk=page.pk)
        page.save_revision().publish()
        created.append(f"page « {page.title} »")
        return page


def demo_loaders():
    """The apps' demo loaders, in the order they run."""
    return sorted((register() for register in hooks.get_hooks(DEMO_CONTENT_HOOK)), key=_order)


def _order(loader):
    return loader.order


def place_before(page, sibling):
    """Move `page` just before `sibling` in the menu, unless it already comes before it."""
    page, sibling = Page.objects.get(pk=page.pk), Page.objects.get(pk=sibling.pk)
    if page.path > sibling.path:
        page.move(sibling, pos="left")
