import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home.models import ContentPage, FormField, FormPage, HomePage, PitchPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    hero_title = "Soutenir l'entrepreneuriat d'ESS"

    class Meta:
        model = HomePage


class PitchPageFactory(wagtail_factories.PageFactory):
    title = "Collectivités : soutenir l'ESS"
    intro = "Pourquoi soutenir la création d'entreprises d'ESS."
    body = wagtail_factories.StreamFieldFactory({})

    class Meta:
        model = PitchPage


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page de contenu {n}")
    intro = "Une page de contenu."

    class Meta:
        model = ContentPage


class FormPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Formulaire {n}")
    to_address = "equipe@cress-normandie.example"
    from_address = "site@cress-normandie.example"
    subject = "Nouveau message"

    class Meta:
        model = FormPage


class FormFieldFactory(DjangoModelFactory):
    page = factory.SubFactory(FormPageFactory)
    label = factory.Sequence(lambda n: f"Champ {n}")
    field_type = "singleline"
    required = True
    sort_order = factory.Sequence(int)

    class Meta:
        model = FormField
