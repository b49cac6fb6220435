"""The library's Atom feed: the newest publications, narrowed by the list's own filters."""

from datetime import datetime, time

from django.http import HttpResponse
from django.utils import feedgenerator, timezone
from django.utils.html import strip_tags

FEED_SIZE = 20


def publications_feed(index_page, request):
    listing = index_page.get_listing(request)
    site_url = request.build_absolute_uri("/").rstrip("/")
    index_url = index_page.get_full_url(request) or site_url + index_page.url
    title = "Publications de l'Observatoire régional de l'ESS – CRESS Normandie"
    if listing.active:
        title += (
            " (" + ", ".join(f"{a.label.lower()} : {a.value_label}" for a in listing.active) + ")"
        )
    feed = feedgenerator.Atom1Feed(
        title=title,
        link=index_url + ("?" + listing.querystring() if listing.params else ""),
        description=index_page.intro,
        language="fr",
        feed_url=request.build_absolute_uri(),
        author_name="CRESS Normandie",
    )
    for publication in listing.page_obj.paginator.object_list[:FEED_SIZE]:
        url = site_url + publication.url
        feed.add_item(
            title=publication.title,
            link=url,
            description=strip_tags(publication.summary),
            unique_id=url,
            unique_id_is_permalink=True,
            pubdate=_as_datetime(publication.publication_date),
            updateddate=publication.last_published_at,
            author_name=publication.authors,
            categories=[publication.get_kind_display()]
            + [t.name for t in publication.themes.all()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


def _as_datetime(day):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))
