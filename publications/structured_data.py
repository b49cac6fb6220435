"""What a publication's page tells search engines: schema.org data, written out by the page's
template as JSON-LD."""

PUBLISHER = "CRESS Normandie – Observatoire régional de l'ESS"


_UNKNOWN = object()


def report_json_ld(publication, request, url, document=_UNKNOWN, cover=_UNKNOWN):
    """schema.org Report data for search engines, about `publication` (a PublicationPage) seen
    by `request` at `url`; `document` and `cover`, what `get_document(request)` and
    `get_cover(request)` return, when the caller has them already."""
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": publication.title,
        "headline": publication.title,
        "description": publication.summary,
        "datePublished": publication.publication_date.isoformat(),
        "inLanguage": "fr",
        "url": url,
        "genre": publication.get_kind_display(),
        "author": [
            {"@type": "Organization", "name": name.strip()}
            for name in publication.authors.split(",")
        ],
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "keywords": [theme.name for theme in publication.theme_list],
        "spatialCoverage": [
            {"@type": "Place", "name": territory.name} for territory in publication.territories
        ],
    }
    if document is _UNKNOWN:
        document = publication.get_document(request)
    if document is not None:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": request.build_absolute_uri(publication.url + "telecharger/"),
            "encodingFormat": "application/pdf",
            "contentSize": f"{document.get_file_size()} octets",
        }
        if document.page_count:
            data["numberOfPages"] = document.page_count
    if cover is _UNKNOWN:
        cover = publication.get_cover(request)
    if cover is not None:
        rendition = cover.get_rendition("width-560|format-jpeg")
        data["image"] = request.build_absolute_uri(rendition.url)
    return data
