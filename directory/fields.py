"""The link from a page to the ESS unit it is about, for the apps above the directory."""

from django.db import models

HELP_TEXT = (
    "La structure porteuse, si elle figure dans l'annuaire des entreprises de l'ESS : la page "
    "apparaît alors sur celle de l'entreprise, dans l'annuaire."
)


def enterprise_link(related_name, help_text=HELP_TEXT):
    """A nullable foreign key to `directory.Enterprise` (kept when the unit is deleted: set
    to null), chosen in the editor with the enterprises' snippet chooser
    (directory.wagtail_hooks)."""
    return models.ForeignKey(
        "directory.Enterprise",
        verbose_name="entreprise de l'annuaire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        help_text=help_text,
    )
