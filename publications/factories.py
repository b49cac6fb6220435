import datetime

from wagtail.models import Site

import factory
import wagtail_factories

from cress_site.factories import DocumentFactory
from publications.models import PublicationIndexPage, PublicationKind, PublicationPage


class PublicationIndexPageFactory(wagtail_factories.PageFactory):
    """A library below the home page of the default site."""

    parent = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True).root_page.specific)
    title = factory.Sequence(lambda n: f"Bibliothèque {n}")
    intro = "Les études et les guides de l'Observatoire régional de l'ESS."

    class Meta:
        model = PublicationIndexPage


class PublicationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Étude {n}")
    summary = "Une étude de l'Observatoire régional de l'ESS."
    kind = PublicationKind.STUDY
    publication_date = datetime.date(2025, 1, 15)
    document = factory.SubFactory(DocumentFactory)

    class Meta:
        model = PublicationPage
