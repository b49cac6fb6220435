from wagtail.models import Site

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from directory.choices import Family, Sector, SizeBand, Source
from directory.models import DirectoryPage, Enterprise, Establishment


class EnterpriseFactory(DjangoModelFactory):
    """A public ESS association; give it establishments with `EstablishmentFactory`."""

    siren = factory.Sequence(lambda n: f"{800000000 + n:09d}")
    name = factory.Sequence(lambda n: f"Association solidaire {n}")
    legal_category = "9220"
    family = Family.ASSOCIATION
    activity = "88.99B"
    sector = Sector.Q
    size_band = SizeBand.FROM_3
    source = Source.SIRENE
    is_public = True

    class Meta:
        model = Enterprise


class EstablishmentFactory(DjangoModelFactory):
    """An active establishment in `commune` (required: a Territory of kind commune)."""

    siret = factory.LazyAttributeSequence(lambda o, n: f"{o.enterprise.siren}{n % 100000:05d}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    address = "1 rue de la Paix"
    postcode = "14000"
    city = factory.LazyAttribute(lambda o: o.commune.name.upper() if o.commune else "")
    epci = factory.LazyAttribute(
        lambda o: o.commune.parent if o.commune and o.commune.parent.kind == "epci" else None
    )
    departement = factory.LazyAttribute(lambda o: o.commune.departement if o.commune else None)
    activity = factory.SelfAttribute("enterprise.activity")
    sector = factory.SelfAttribute("enterprise.sector")
    size_band = factory.SelfAttribute("enterprise.size_band")
    source = Source.SIRENE

    class Meta:
        model = Establishment


class DirectoryPageFactory(wagtail_factories.PageFactory):
    """The directory below the home page of the default site (one per site: the demo has it)."""

    parent = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True).root_page.specific)
    title = "Annuaire des entreprises de l'ESS"
    intro = "La liste des entreprises de l'ESS de Normandie (loi n° 2014-856, article 6)."

    class Meta:
        model = DirectoryPage
