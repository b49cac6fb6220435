import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cress_site import files as site_files
from cress_site import views as site_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("recherche/", include("search.urls")),
    path("inscriptions/", include("events.urls")),
    path("mes-donnees/", include("personal_data.urls")),
    path("api/v1/entreprises/", include("directory.urls")),
    path("sitemap.xml", site_views.sitemap, name="sitemap"),
    path("favicon.ico", site_views.favicon),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots_txt",
    ),
]

# Uploaded images, in every environment through the view that checks them (a front server
# then sends the bytes: see cress_site.files).
urlpatterns += [
    re_path(
        rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
        site_files.serve_media,
        name="media",
    )
]

urlpatterns += [
    # Page routes that end in a file name (an event's calendrier.ics, the agenda.ics feed, the
    # directory's export.csv and export.json): Wagtail's own pattern only serves paths that
    # end with a slash. Served by Wagtail's view.
    re_path(
        r"^((?:[\w\-]+/)*[\w\-]+\.(?:ics|csv|json))$",
        wagtail_views.serve,
        name="wagtail_serve_ics",
    ),
    # The password form of private pages: Wagtail's, returning to the page after a password
    # (see cress_site.views), at Wagtail's URL and under its name, before Wagtail's own.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        site_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail's own URLs: the login page and the pages, served by Wagtail's `serve` view
    # (cress_site.routing says how the pages are found).
    path("", include(wagtail_urls)),
]
