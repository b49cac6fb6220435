"""The admin image form (WAGTAILIMAGES_IMAGE_FORM_BASE): alt text required, upload limits stated.

Used to add and edit an image, to upload one from a chooser, and for each image of a multiple
upload (Wagtail then keeps the file aside until its alt text is given).
"""

from django.conf import settings

from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

from cress_site.forms import UploadLimitsMixin

ALT_TEXT_LABEL = "Texte alternatif"
ALT_TEXT_HELP = (
    "Décrit l'image pour les personnes qui ne la voient pas (lu par les lecteurs d'écran) : en "
    "une phrase, ce qu'elle montre d'utile, sans « image de » ni crédit. Là où l'image n'est "
    "qu'une décoration, cochez « L'image est décorative » dans le bloc qui l'affiche."
)
ALT_TEXT_REQUIRED = (
    "Décrivez l'image en une phrase : ce texte est lu aux personnes qui ne la voient pas."
)


class ImageForm(UploadLimitsMixin, BaseImageForm):
    """Wagtail's image form, with the alt text (the image's `description`) required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = ALT_TEXT_LABEL
            field.help_text = ALT_TEXT_HELP
            field.error_messages["required"] = ALT_TEXT_REQUIRED

    def upload_limits(self):
        return (
            get_allowed_image_extensions(),
            getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None),
        )
