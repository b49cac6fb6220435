from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil et pages de contenu"
    default_auto_field = "django.db.models.BigAutoField"
