from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cress_site.demo_pdfs import make_pdf
from cress_site.models import Territory, Theme


class ThemeFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thème {n}")
    description = "Un thème de l'économie sociale et solidaire."

    class Meta:
        model = Theme


class TerritoryFactory(DjangoModelFactory):
    """A commune by default; `kind` and `parent` may be overridden."""

    name = factory.Sequence(lambda n: f"Commune {n}")
    kind = Territory.Kind.COMMUNE
    code = factory.Sequence(lambda n: f"14{n:03d}")
    parent = factory.LazyFunction(lambda: Territory.objects.get(kind="departement", code="14"))

    class Meta:
        model = Territory


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    description = "Une image de test"
    credit = "CRESS Normandie"


class DocumentFactory(wagtail_factories.DocumentFactory):
    """A real, small PDF."""

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(
        lambda o: ContentFile(make_pdf(o.title, [["Texte du document."]]), name="document.pdf")
    )

    class Meta:
        model = get_document_model()
