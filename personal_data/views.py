"""The page an e-mail's "supprimer mes données" link opens: what the site holds about the
address, and a button that erases it (a GET, from a mail scanner or a link preview, erases
nothing)."""

import logging

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from cress_site.erase_links import TOKEN_LENGTH, address_for_token
from personal_data import records

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def erase_view(request, token):
    if len(token) != TOKEN_LENGTH or any(char not in "0123456789abcdef" for char in token):
        raise Http404("Ce lien n'est pas valide.")
    email = address_for_token(token, records.addresses_held())
    context = {"held": None, "erased": None}
    if email is not None:
        context["held"] = records.find(email)
        if request.method == "POST":
            context["erased"] = records.erase(email)
            context["held"] = None
            logger.info(
                "Personal data erased from an e-mail link: %s registration(s), %s submission(s)",
                context["erased"].registrations,
                context["erased"].submissions,
            )
    response = TemplateResponse(request, "personal_data/erase.html", context)
    add_never_cache_headers(response)
    return response
