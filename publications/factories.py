import datetime

import factory
import wagtail_factories

from cress_site.factories import DocumentFactory
from publications.models import PublicationKind, PublicationPage


class PublicationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Étude {n}")
    summary = "Une étude de l'Observatoire régional de l'ESS."
    kind = PublicationKind.STUDY
    publication_date = datetime.date(2025, 1, 15)
    document = factory.SubFactory(DocumentFactory)

    class Meta:
        model = PublicationPage
