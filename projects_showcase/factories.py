"""Factories for the project showcase and its projects (tests and scripts)."""

import datetime

from wagtail.models import Site

import factory
import wagtail_factories

from cress_site.models import Territory
from projects_showcase.choices import LegalForm, Stage
from projects_showcase.models import ProjectIndexPage, ProjectPage


class ProjectIndexPageFactory(wagtail_factories.PageFactory):
    """A showcase below the home page of the default site."""

    parent = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True).root_page.specific)
    title = factory.Sequence(lambda n: f"Vitrine des projets {n}")
    intro = "Des projets que la CRESS Normandie a accompagnés."

    class Meta:
        model = ProjectIndexPage


class ProjectPageFactory(wagtail_factories.PageFactory):
    """A cooperative being created in the Calvados, below the first showcase."""

    parent = factory.LazyFunction(
        lambda: ProjectIndexPage.objects.first() or ProjectIndexPageFactory()
    )
    title = factory.Sequence(lambda n: f"Coopérative {n}")
    summary = "Une coopérative d'habitants qui ouvre une épicerie dans son village."
    territory = factory.LazyFunction(
        lambda: Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT, code="14").first()
    )
    legal_form = LegalForm.SCIC
    stage = Stage.CREATION
    start_date = datetime.date(2024, 9, 1)

    class Meta:
        model = ProjectPage
