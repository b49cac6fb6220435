"""The admin image form (WAGTAILIMAGES_IMAGE_FORM_BASE): alt text required, upload limits stated,
and only images the site can make renditions of.

Used to add and edit an image, to upload one from a chooser, and for each image of a multiple
upload (Wagtail then keeps the file aside until its alt text is given).

Wagtail builds the file field itself (`get_image_form()` passes its own field callback), so the
form replaces it with `CheckedImageField`, a `WagtailImageField` that also refuses, with a French
message next to the field:
- an image too long, too tall or too thin (`cress_site.models.image_size_error`), read from the
  file's header before anything is decoded;
- a file the decoder fails on (a truncated PNG, a GIF header followed by something else): Wagtail
  decodes the image to count its pixels and lets the decoder's error through (a 500).
"""

from django.conf import settings
from django.core.exceptions import ValidationError

from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

from PIL import Image as PILImage

from cress_site.forms import UploadLimitsMixin
from cress_site.models import image_size_error

ALT_TEXT_LABEL = "Texte alternatif"
ALT_TEXT_HELP = (
    "Décrit l'image pour les personnes qui ne la voient pas (lu par les lecteurs d'écran) : en "
    "une phrase, ce qu'elle montre d'utile, sans « image de » ni crédit. Là où l'image n'est "
    "qu'une décoration, cochez « L'image est décorative » dans le bloc qui l'affiche."
)
ALT_TEXT_REQUIRED = (
    "Décrivez l'image en une phrase : ce texte est lu aux personnes qui ne la voient pas."
)
UNREADABLE_IMAGE = (
    "Ce fichier n'a pas pu être lu comme une image : il est incomplet ou endommagé, ou ce n'est "
    "pas une image. Enregistrez-le à nouveau depuis votre logiciel d'images, puis déposez-le."
)


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, refusing images out of bounds and files that do not decode."""

    def to_python(self, data):
        if data is not None and hasattr(data, "read"):
            self.check_dimensions(data)
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # whatever a decoder raises, MemoryError included
            raise ValidationError(UNREADABLE_IMAGE, code="invalid_image") from error

    @staticmethod
    def check_dimensions(uploaded_file):
        """Refuse an image out of bounds from its header (nothing is decoded yet)."""
        try:
            with PILImage.open(uploaded_file) as image:
                width, height = image.size
        except Exception:  # not an image, or too many pixels: Wagtail's own checks say so
            return
        finally:
            uploaded_file.seek(0)
        error = image_size_error(width, height)
        if error:
            raise ValidationError(error, code="image_out_of_bounds")


class ImageForm(UploadLimitsMixin, BaseImageForm):
    """Wagtail's image form, with the alt text (the image's `description`) required, and the
    file checked by `CheckedImageField`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        file_field = self.fields.get("file")
        if file_field is not None and not isinstance(file_field, CheckedImageField):
            checked = CheckedImageField(
                label=file_field.label,
                required=file_field.required,
                widget=file_field.widget,
                disabled=file_field.disabled,
            )
            checked.help_text = file_field.help_text
            self.fields["file"] = checked
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
