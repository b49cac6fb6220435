"""What the project showcase adds to other apps' pages: the projects that cite a publication,
on the publication's page (so the publications app needs to know nothing about projects)."""

from django import template

from projects_showcase.models import ProjectPage

register = template.Library()


@register.inclusion_tag("projects_showcase/includes/projects_citing.html")
def projects_citing(publication):
    """The "Projets liés" section of a publication's page: the live, public projects that name
    it among their publications, as cards; nothing when there are none. One query for the
    projects, one for their listing images' renditions."""
    return {"projects": ProjectPage.citing(publication)}
