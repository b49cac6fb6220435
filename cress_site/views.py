"""Small site-wide views."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from cress_site import cache as content_cache


def sitemap(request):
    """Wagtail's sitemap, rendered once per generation of the pages' content and host: with the
    directory's units (one address each, tens of thousands) rendering it takes seconds."""

    number = request.GET.get("p", "1")
    if not (number.isascii() and number.isdigit() and len(number) < 6):
        return wagtail_sitemap(request)  # Django's sitemap view answers (404)

    def render():
        response = wagtail_sitemap(request)
        response.render()
        return response

    return content_cache.shared(
        f"sitemap:{request.scheme}:{request.get_host()}:{number}", render, scope=content_cache.PAGES
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file."""
    return redirect(static("img/favicon.ico"), permanent=True)


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """The password form of a restricted page: Wagtail's view (same URL, same name), except
    where it goes once the password is right.

    Wagtail follows the form's hidden `return_url`, or `LOGIN_REDIRECT_URL` (Django's
    /accounts/profile/, a 404 here) when that is another site's address, and answers 500 for a
    word without a slash (taken for a view name). Here: the `return_url` when it is a path of
    this site, otherwise the page the password opens.
    """
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    page = get_object_or_404(Page, id=page_id).specific

    if request.method == "POST":
        form = PasswordViewRestrictionForm(request.POST, instance=restriction)
        if form.is_valid():
            restriction.mark_as_passed(request)
            return HttpResponseRedirect(safe_return_url(request, form, page))
    else:
        form = PasswordViewRestrictionForm(instance=restriction)

    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    return page.serve_password_required_response(request, form, action_url)


def safe_return_url(request, form, page):
    """The form's `return_url` if it is a path on this site, else the page's own URL."""
    return_url = form.cleaned_data.get("return_url", "")
    if return_url.startswith("/") and url_has_allowed_host_and_scheme(
        return_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return return_url
    return page.get_url(request=request) or "/"
