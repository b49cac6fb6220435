"""Admin forms: uploads are checked by what they contain, not by their name; the login form
in French."""

import zipfile

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from wagtail.admin.forms.auth import LoginForm
from wagtail.documents.forms import BaseDocumentForm

ZIP_FORMATS = {"docx", "xlsx", "odt", "ods"}
FORMAT_NAMES = {
    "pdf": "un PDF",
    "docx": "un document Word",
    "xlsx": "un classeur Excel",
    "odt": "un texte OpenDocument",
    "ods": "un classeur OpenDocument",
    "csv": "un fichier CSV",
}


def check_document_content(uploaded_file):
    """Raise ValidationError unless the file is what its extension says.

    (Wagtail itself refuses files over WAGTAILDOCS_MAX_UPLOAD_SIZE and unknown extensions.)
    """
    extension = uploaded_file.name.rsplit(".", 1)[-1].lower() if "." in uploaded_file.name else ""
    uploaded_file.seek(0)
    head = uploaded_file.read(64 * 1024)
    uploaded_file.seek(0)
    if extension == "pdf":
        valid = b"%PDF-" in head[:1024]
    elif extension in ZIP_FORMATS:
        valid = head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(uploaded_file)
        uploaded_file.seek(0)
    elif extension == "csv":
        valid = b"\x00" not in head and _decodes(head)
    else:
        return  # Wagtail's own check refuses extensions that are not allowed.
    if not valid:
        raise forms.ValidationError(
            f"Le contenu de ce fichier ne correspond pas à {FORMAT_NAMES[extension]}, malgré "
            f"son extension « .{extension} ». Vérifiez le fichier et déposez-le à nouveau."
        )


def _decodes(data):
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def size_text(size):
    """A size in bytes the French way, whole when it can be: "50 Mo", "1,5 Go", "800 Ko"."""
    for unit, factor in (("Go", 1024**3), ("Mo", 1024**2), ("Ko", 1024)):
        if size >= factor:
            return f"{round(size / factor, 1):g} {unit}".replace(".", ",")
    return f"{size} octets"


def upload_limits_text(extensions, max_size):
    """What an upload field accepts: "Formats acceptés : PDF, CSV — 50 Mo au plus par fichier."."""
    names = []
    for extension in extensions or []:
        name = "JPG" if extension.lower() == "jpeg" else extension.upper()
        if name not in names:
            names.append(name)
    text = f"Formats acceptés : {', '.join(names)}" if names else "Tous les formats sont acceptés"
    if max_size:
        text += f" — {size_text(max_size)} au plus par fichier"
    return text + "."


class UploadLimitsMixin:
    """Says under the file field which formats are accepted and how big a file may be.

    Subclasses return (extensions, maximum size in bytes or None) from `upload_limits()`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = upload_limits_text(*self.upload_limits())

    def upload_limits(self):
        raise NotImplementedError


class DocumentUploadLimitsMixin(UploadLimitsMixin):
    def upload_limits(self):
        return (
            getattr(settings, "WAGTAILDOCS_EXTENSIONS", None),
            getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None),
        )


class DocumentForm(DocumentUploadLimitsMixin, BaseDocumentForm):
    """Wagtail's document form, refusing files whose content does not match their name.

    `editorial.forms.DocumentForm` adds the default collection of a new document.
    """

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if isinstance(uploaded, UploadedFile):  # a new file, not the one already stored
            check_document_content(uploaded)
        return uploaded


class AdminLoginForm(LoginForm):
    """Wagtail's login form, whose password field has no label of its own: Django then shows
    the field's name, "Password", untranslated (WAGTAILADMIN_USER_LOGIN_FORM)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "Mot de passe"
