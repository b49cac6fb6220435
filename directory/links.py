"""Links into the public directory, for the other apps (portraits, search, blocks).

`directory_url(**params)`: the live directory page's address with the given filters
(`territoire`, `famille`, `secteur`, `effectif`, `q`, `page`), None without a directory page.
`enterprise_url(enterprise)`: a public unit's page, None otherwise. Both read the page's
address from the shared cache (one query per content generation).
"""

from urllib.parse import urlencode

from directory.models import DirectoryPage, enterprise_path


def directory_url(**params):
    url = DirectoryPage.public_url()
    if url is None:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def enterprise_url(enterprise):
    url = DirectoryPage.public_url()
    if url is None or not enterprise.is_public:
        return None
    return enterprise_path(url, enterprise)
