"""Editors can create each page type only where it belongs, through the admin's own form."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventIndexPage, EventPage
from home.models import ContentPage, FormPage, HomePage, PitchPage
from projects_showcase.models import ProjectIndexPage
from publications.models import PublicationIndexPage
from territories.models import TerritoryIndexPage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                PitchPage,
                PublicationIndexPage,
                EventIndexPage,
                ProjectIndexPage,
                TerritoryIndexPage,
                ContentPage,
                FormPage,
            },
        )

    def test_pitch_page_under_the_home_page_only_and_once(self):
        self.assertAllowedParentPageTypes(PitchPage, {HomePage})
        self.assertAllowedSubpageTypes(PitchPage, set())
        home = HomePage.objects.get()
        # The demo site already has its pitch page: a second one cannot be added.
        self.assertFalse(PitchPage.can_create_at(home))

    def test_content_pages_nest(self):
        self.assertCanCreateAt(HomePage, ContentPage)
        self.assertCanCreateAt(ContentPage, ContentPage)
        self.assertCanCreateAt(ContentPage, FormPage)
        self.assertCanNotCreateAt(FormPage, ContentPage)
        self.assertCanNotCreateAt(PitchPage, ContentPage)


class EditorFormTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.home = HomePage.objects.get()

    def test_editor_creates_a_content_page_with_blocks(self):
        self.assertCanCreate(
            self.home,
            ContentPage,
            nested_form_data(
                {
                    "title": "Nos partenaires",
                    "slug": "nos-partenaires",
                    "intro": "Les partenaires de la CRESS.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Collectivités", "level": "h2", "anchor": ""}),
                            ("paragraph", rich_text("<p>La Région Normandie.</p>")),
                            (
                                "key_figures",
                                {
                                    "heading": "",
                                    "figures": streamfield(
                                        [
                                            (
                                                "item",
                                                {"value": "5", "unit": "", "label": "départements"},
                                            )
                                        ]
                                    ),
                                    "source": "",
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        page = ContentPage.objects.get(slug="nos-partenaires")
        self.assertEqual(
            [block.block_type for block in page.body], ["heading", "paragraph", "key_figures"]
        )

    def test_editor_creates_a_form_page_with_fields(self):
        self.assertCanCreate(
            self.home,
            FormPage,
            nested_form_data(
                {
                    "title": "Inscription à la lettre",
                    "slug": "lettre",
                    "intro": rich_text("<p>Recevez nos actualités.</p>"),
                    "privacy_notice": rich_text("<p>Vos données restent chez nous.</p>"),
                    "thank_you_text": rich_text("<p>Merci !</p>"),
                    "to_address": "lettre@cress-normandie.example",
                    "from_address": "",
                    "subject": "",
                    "form_fields": inline_formset(
                        [{"label": "Adresse électronique", "field_type": "email", "required": "on"}]
                    ),
                }
            ),
        )
        page = FormPage.objects.get(slug="lettre")
        self.assertEqual(page.form_fields.get().clean_name, "adresse_electronique")

    def test_heading_anchor_must_be_a_slug(self):
        response = self.client.post(
            f"/admin/pages/add/home/contentpage/{self.home.pk}/",
            nested_form_data(
                {
                    "title": "Ancre invalide",
                    "slug": "ancre-invalide",
                    "intro": "",
                    "body": streamfield(
                        [("heading", {"text": "Titre", "level": "h2", "anchor": "Pas une ancre !"})]
                    ),
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Utilisez seulement des minuscules sans accent")
        self.assertFalse(ContentPage.objects.filter(slug="ancre-invalide").exists())


class EventPageTreeTests(WagtailPageTestCase):
    def test_calendar_under_the_home_page_once_with_events_below(self):
        self.assertAllowedParentPageTypes(EventIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(EventPage, set())
        # The demo site already has its calendar: a second one cannot be added.
        self.assertFalse(EventIndexPage.can_create_at(HomePage.objects.get()))
