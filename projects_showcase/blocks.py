"""Blocks other page types use to show supported projects (the pitch's examples)."""

from wagtail import blocks

from cress_site.visibility import public, public_pages
from projects_showcase.models import ProjectIndexPage, ProjectPage, with_card_data

HEADING = "Des exemples de projets accompagnés par la CRESS"


class ProjectExamplesBlock(blocks.StructBlock):
    """Examples of supported projects: those the editor chose, or else the latest ones."""

    heading = blocks.CharBlock(
        label="Titre",
        max_length=160,
        default=HEADING,
    )
    projects = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="projects_showcase.ProjectPage", label="Projet"),
        label="Projets choisis",
        required=False,
        max_num=6,
        help_text="Laissez vide pour montrer les derniers projets publiés.",
    )
    count = blocks.IntegerBlock(
        label="Nombre de projets récents",
        default=3,
        min_value=1,
        max_value=6,
        help_text="Utilisé seulement si aucun projet n'est choisi.",
    )

    class Meta:
        icon = "site"
        label = "Exemples de projets"
        template = "projects_showcase/blocks/project_examples_block.html"
        description = "Des cartes de projets accompagnés, avec un lien vers la vitrine."
        # Shows the latest published projects, and says so when there is none yet.
        preview_template = "projects_showcase/blocks/project_examples_block_preview.html"
        preview_value = {
            "heading": HEADING,
            "projects": [],
            "count": 3,
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        chosen = public_pages(value["projects"])
        if chosen:
            ids = [page.pk for page in chosen]
            projects = with_card_data(ProjectPage.objects.filter(pk__in=ids))
            by_id = {project.pk: project for project in projects}
            context["projects"] = [by_id[pk] for pk in ids if pk in by_id]
        else:
            latest = public(ProjectPage.objects.live(), None)
            context["projects"] = list(
                with_card_data(latest).order_by("-first_published_at")[: value["count"]]
            )
        context["showcase"] = public(ProjectIndexPage.objects.live(), None).first()
        return context

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context=parent_context)
        context["has_projects"] = public(ProjectPage.objects.all(), None).exists()
        return context
