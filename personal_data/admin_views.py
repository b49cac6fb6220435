"""The staff's page about one e-mail address: everything the site holds about it (registrations,
form submissions; the search statistics hold no address), exported as JSON or erased after a
confirmation step.

Moderators and administrators use it (it asks for the permissions to view registrations and
form submissions, and to delete both for erasing). The address travels in POST bodies only,
never in a URL: it does not end up in access logs nor in the browser's history.
"""

import json
import logging

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.generic import FormView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from personal_data import records

logger = logging.getLogger(__name__)

TITLE = "Données personnelles"
VIEW_PERMISSIONS = ("events.view_registration", "wagtailforms.view_formsubmission")
ERASE_PERMISSIONS = ("events.delete_registration", "wagtailforms.delete_formsubmission")


def can_view(user):
    return user.has_perms(VIEW_PERMISSIONS)


def can_erase(user):
    return user.has_perms(VIEW_PERMISSIONS + ERASE_PERMISSIONS)


class AddressForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="L'adresse de la personne qui demande ses données ou leur effacement.",
        error_messages={
            "required": "Indiquez l'adresse e-mail de la personne.",
            "invalid": "Cette adresse e-mail n'est pas valide. Format attendu : nom@exemple.fr",
        },
    )


class PersonalDataView(WagtailAdminTemplateMixin, FormView):
    """GET: the search form. POST with `action`: `find` (the default) lists what is held,
    `export` downloads it as JSON, `confirm` asks to confirm the erasure, `erase` erases."""

    template_name = "personal_data/admin/index.html"
    form_class = AddressForm
    page_title = TITLE
    header_icon = "user"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": "Tableau de bord"},
        {"url": "", "label": TITLE},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_erase"] = can_erase(self.request.user)
        context["search_log_note"] = records.SEARCH_LOG_NOTE
        return context

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        action = self.request.POST.get("action", "find")
        if action in ("confirm", "erase") and not can_erase(self.request.user):
            raise PermissionDenied
        if action == "export":
            return self.export(email)
        if action == "erase":
            erased = records.erase(email)
            logger.info(
                "Personal data erased by staff: %s registration(s), %s submission(s)",
                erased.registrations,
                erased.submissions,
            )
            message = (
                f"Données effacées : {erased.registrations} inscription(s) anonymisée(s), "
                f"{erased.submissions} réponse(s) aux formulaires supprimée(s)."
            )
            if erased.promoted:
                message += (
                    f" {erased.promoted} place(s) libérée(s) attribuée(s) à la liste d'attente."
                )
            messages.success(self.request, message)
            return redirect(self.request.path)
        return self.render_to_response(
            self.get_context_data(
                form=form, held=records.find(email), confirm_erase=action == "confirm"
            )
        )

    def export(self, email):
        data = records.export(records.find(email))
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="donnees-personnelles-{day}.json"'
        return response
