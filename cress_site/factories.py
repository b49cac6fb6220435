import factory
import wagtail_factories
from factory.django import DjangoModelFactory

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
