from django.apps import AppConfig


class PersonalDataConfig(AppConfig):
    name = "personal_data"
    verbose_name = "Données personnelles"
    default_auto_field = "django.db.models.BigAutoField"
