"""The admin's chooser of ESS units: the project editor links a project to the unit that
carries it (projects_showcase.ProjectPage.enterprise). Registered as the widget of every
foreign key to `Enterprise` (`register_widget`)."""

from wagtail.admin.viewsets.chooser import ChooserViewSet

from directory.models import Enterprise


class EnterpriseChooserViewSet(ChooserViewSet):
    model = Enterprise
    icon = "site"
    choose_one_text = "Choisir une entreprise de l'ESS"
    choose_another_text = "Choisir une autre entreprise"
    edit_item_text = "Modifier"
    page_title = "Choisir une entreprise de l'annuaire"
    per_page = 20


enterprise_chooser_viewset = EnterpriseChooserViewSet("enterprise_chooser")
