"""The pagination shared by every listing: a few links, whatever the number of pages."""

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def links(number, pages):
    page_obj = Paginator(range(pages * 20), 20).page(number)
    html = render_to_string(
        "includes/pagination.html", {"page_obj": page_obj, "query_string": "type=etude"}
    )
    items = re.findall(r"<li[^>]*>(.*?)</li>", html, re.S)
    return html, [re.sub(r"<[^>]+>|Page ", "", item).strip() for item in items]


def test_the_first_the_last_and_two_on_each_side_with_gaps_between():
    html, shown = links(250, 500)
    assert shown == [
        "précédente",
        "1",
        "…",
        "248",
        "249",
        "250",
        "251",
        "252",
        "…",
        "500",
        "suivante",
    ]
    assert '<a aria-current="page">250</a>' in html
    assert 'href="?type=etude&amp;page=251"' in html
    # The gaps are not read out: the status says where the reader is.
    assert html.count('<li class="pagination__gap" aria-hidden="true">…</li>') == 2
    assert "Page 250 sur 500" in html


def test_no_gap_where_every_page_is_shown():
    _html, shown = links(1, 4)
    assert shown == ["1", "2", "3", "4", "suivante"]


def test_the_number_of_links_does_not_grow_with_the_pages():
    assert len(links(3, 50)[1]) == len(links(3, 5000)[1])


def test_a_single_page_has_no_pagination():
    html, _shown = links(1, 1)
    assert html.strip() == ""
