import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cress_site.models import Territory
from territories.models import TerritoryIndexPage, TerritoryPortrait


class TerritoryIndexPageFactory(wagtail_factories.PageFactory):
    """The portraits' page; give it a `parent` (the home page)."""

    title = "Portraits de territoires"
    intro = "L'économie sociale et solidaire de chaque territoire normand."

    class Meta:
        model = TerritoryIndexPage


class TerritoryPortraitFactory(DjangoModelFactory):
    """The staff's text on the Calvados."""

    territory = factory.LazyFunction(
        lambda: Territory.objects.get(kind=Territory.Kind.DEPARTEMENT, code="14")
    )
    intro = "<p>L'ESS du territoire, vue par la CRESS.</p>"

    class Meta:
        model = TerritoryPortrait
        django_get_or_create = ("territory",)
