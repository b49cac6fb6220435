from django.apps import AppConfig


class ProjectsShowcaseConfig(AppConfig):
    name = "projects_showcase"
    verbose_name = "Projets accompagnés"
    default_auto_field = "django.db.models.BigAutoField"
