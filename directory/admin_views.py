"""Launching an import from the admin: the files are uploaded, the import runs in the task
queue (`directory.tasks`), its run is shown at once and completes when the import is done."""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from directory.choices import Source
from directory.models import ImportRun
from directory.tasks import UPLOAD_FOLDER, import_uploaded_files

LAUNCH_PERMISSION = "directory.launch_import"
EXTENSIONS = (".csv", ".zip")


class LaunchImportForm(forms.Form):
    source = forms.ChoiceField(
        label="Format",
        choices=[
            (Source.SIRENE, "Fichiers stock SIRENE de l'INSEE (deux fichiers)"),
            (Source.ESS_LIST, "Liste des entreprises de l'ESS (un fichier)"),
        ],
        widget=forms.RadioSelect,
        initial=Source.ESS_LIST,
    )
    first = forms.FileField(
        label="Fichier",
        help_text="Liste de l'ESS : le fichier de la liste. SIRENE : les unités légales "
        "(StockUniteLegale). En .csv ou en .zip.",
    )
    second = forms.FileField(
        label="Établissements (SIRENE seulement)",
        required=False,
        help_text="Le fichier StockEtablissement, en .csv ou en .zip.",
    )
    partial = forms.BooleanField(
        label="Fichier partiel",
        required=False,
        help_text="Cochez si le fichier n'est qu'un extrait : ce qui n'y figure pas ne sera "
        "pas marqué fermé.",
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("first", "second"):
            upload = cleaned.get(name)
            if upload and not upload.name.lower().endswith(EXTENSIONS):
                self.add_error(name, "Envoyez un fichier .csv ou .zip.")
        sirene = cleaned.get("source") == Source.SIRENE
        if sirene and not cleaned.get("second") and "second" not in self.errors:
            self.add_error(
                "second", "Un import SIRENE demande aussi le fichier des établissements."
            )
        if cleaned.get("source") == Source.ESS_LIST and cleaned.get("second"):
            self.add_error("second", "La liste de l'ESS tient en un seul fichier.")
        return cleaned


class LaunchImportView(WagtailAdminTemplateMixin, FormView):
    form_class = LaunchImportForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = "Lancer un import de l'annuaire"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(LAUNCH_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailsnippets_directory_importrun:list"),
                "label": "Imports de l'annuaire",
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label="Lancer l'import",
            submit_button_active_label="Envoi des fichiers…",
            form_is_multipart=True,
            **kwargs,
        )

    def form_valid(self, form):
        storage = storages["private"]
        source = form.cleaned_data["source"]
        uploads = [form.cleaned_data["first"]]
        if source == Source.SIRENE:
            uploads.append(form.cleaned_data["second"])
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        names = [
            storage.save(f"{UPLOAD_FOLDER}/{stamp}-{Path(upload.name).name}", upload)
            for upload in uploads
        ]
        run = ImportRun.objects.create(
            source=source,
            file_name=" + ".join(Path(upload.name).name for upload in uploads)[:255],
            user=self.request.user,
        )
        partial = form.cleaned_data["partial"]
        transaction.on_commit(lambda: import_uploaded_files.enqueue(run.pk, source, names, partial))
        messages.success(
            self.request,
            "Import lancé : son rapport s'affiche ici dès qu'il est terminé.",
        )
        return redirect("wagtailsnippets_directory_importrun:inspect", run.pk)
