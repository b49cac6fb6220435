"""Images, their renditions and documents: bounded images, private documents."""

from django.db import models
from django.utils.formats import number_format

from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import AbstractImage, AbstractRendition, Image, SourceImageIOError
from wagtail.search import index

from cress_site.storage import private_storage

# Images the site makes renditions of: a side of at most MAX_IMAGE_SIDE pixels, a long side at
# most MAX_IMAGE_RATIO times the short one (WAGTAILIMAGES_MAX_IMAGE_PIXELS bounds their area). A
# 1 × 63,000,000 PNG weighs 122 KB, and resizing it takes more memory than a worker has.
MAX_IMAGE_SIDE = 15_000
MAX_IMAGE_RATIO = 20


def _number(value):
    return number_format(value, force_grouping=True)


def image_size_error(width, height):
    """Why an image of `width` × `height` pixels is refused, in French; "" if it is not."""
    size = f"{_number(width)} × {_number(height)} pixels"
    if max(width, height) > MAX_IMAGE_SIDE:
        return (
            f"Cette image mesure {size} : un côté ne peut pas dépasser {_number(MAX_IMAGE_SIDE)} "
            "pixels. Réduisez-la, puis déposez-la à nouveau."
        )
    if min(width, height) < 1 or max(width, height) > MAX_IMAGE_RATIO * min(width, height):
        return (
            f"Cette image mesure {size} : son grand côté ne peut pas dépasser {MAX_IMAGE_RATIO} "
            "fois le petit. Recadrez-la, puis déposez-la à nouveau."
        )
    return ""


class CustomImage(AbstractImage):
    """Wagtail's image with the credit the site shows under every picture.

    An image whose renditions cannot be made (stored before uploads were bounded and decoded, or
    damaged since) shows as Wagtail shows a missing file, instead of failing the page, the
    admin's list or a chooser.
    """

    credit = models.CharField(
        "crédit",
        max_length=255,
        blank=True,
        help_text="Auteur ou source de l'image (ex. : Photo Jeanne Martin / CRESS Normandie). "
        "Affiché sous l'image.",
    )

    admin_form_fields = Image.admin_form_fields + ("credit",)

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"

    @property
    def default_alt_text(self):
        """The alt text typed for the image; never its title, often a file name ("IMG_2034").

        The admin form requires it; an image made otherwise without one is read as decorative.
        """
        return self.description

    def get_rendition(self, filter):
        """Wagtail's rendition, through `get_renditions`: the same rendition, read or made the
        same way, but one found among the image's prefetched renditions is not written back to
        the renditions cache. Wagtail's `get_rendition` writes it every time, and pickles with
        it the image and every rendition prefetched on it (a detail page prefetches its
        cover's, then its sharing image and structured data each ask for one)."""
        return next(iter(self.get_renditions(filter).values()))

    def generate_rendition_file(self, filter, *, source=None):
        """Wagtail's rendition, or `SourceImageIOError` (which Wagtail's image tags show as a
        missing image) when the image is out of bounds or cannot be decoded."""
        if self.width and self.height and image_size_error(self.width, self.height):
            raise SourceImageIOError(f"Image {self.pk} is out of bounds: no rendition.")
        try:
            return super().generate_rendition_file(filter, source=source)
        except SourceImageIOError:
            raise
        except Exception as error:  # whatever a decoder raises, MemoryError included
            raise SourceImageIOError(f"Image {self.pk} cannot be decoded: {error!r}") from error


class Rendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        # Each request for a rendition's file finds its image by the file's name
        # (cress_site.files).
        indexes = [models.Index(fields=["file"], name="cress_rendition_file")]


class CustomDocument(AbstractDocument):
    """Wagtail's document, with what the site learns from a PDF: its text, pages and cover.

    The analysis runs in a background task after each upload (see cress_site.tasks); until it
    has run, `text_status` is "pending". The file is kept in the private storage
    (cress_site.storage): it has no address of its own, and only views that check who asks
    send it (cress_site.visibility says who may have it).
    """

    class TextStatus(models.TextChoices):
        PENDING = "pending", "analyse en attente"
        OK = "ok", "texte extrait"
        NO_TEXT = "no_text", "aucun texte lisible"
        ENCRYPTED = "encrypted", "protégé par mot de passe"
        INVALID = "invalid", "fichier illisible"
        NOT_PDF = "not_pdf", "pas un PDF"

    file = models.FileField("fichier", upload_to="documents", storage=private_storage)
    text_status = models.CharField(
        "analyse du contenu",
        max_length=20,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
    )
    text_message = models.CharField("message d'analyse", max_length=500, blank=True, editable=False)
    extracted_text = models.TextField("texte extrait", blank=True, editable=False)
    page_count = models.PositiveIntegerField(
        "nombre de pages", null=True, blank=True, editable=False
    )
    analysed_hash = models.CharField(max_length=40, blank=True, editable=False)
    cover = models.ForeignKey(
        CustomImage,
        verbose_name="couverture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    admin_form_fields = Document.admin_form_fields

    search_fields = AbstractDocument.search_fields + [index.SearchField("extracted_text")]

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"

    @property
    def is_pdf(self):
        return self.file_extension.lower() == "pdf"

    @property
    def needs_analysis(self):
        return not self.analysed_hash or self.analysed_hash != self.file_hash
