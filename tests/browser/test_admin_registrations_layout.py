"""The registrations list in the admin at 1280 px: the filters beside the table, never over
its last column, and every column in view without scrolling sideways."""

from playwright.sync_api import expect


def test_the_filters_sit_beside_the_registrations_table_at_1280_px(admin_page):
    page = admin_page(viewport={"width": 1280, "height": 800})

    page.goto("/admin/events/registration/")
    table = page.locator(".result-list table")
    filters = page.locator(".changelist-filter")
    expect(table.locator("tbody tr").first).to_be_visible()
    expect(filters.get_by_role("link", name="À confirmer")).to_be_visible()

    last_header = table.locator("thead th").last
    expect(last_header).to_contain_text("Inscrite le")
    table_box, filters_box, last_box = (
        table.bounding_box(),
        filters.bounding_box(),
        last_header.bounding_box(),
    )
    # Side by side: the filters start right of the table's last column.
    assert last_box["x"] + last_box["width"] <= filters_box["x"], (last_box, filters_box)
    assert table_box["x"] + table_box["width"] <= filters_box["x"], (table_box, filters_box)
    # Within the window, and the list does not hide a column behind a sideways scroll.
    assert filters_box["x"] + filters_box["width"] <= 1280
    scroll, client = page.locator(".result-list").evaluate(
        "list => [list.scrollWidth, list.clientWidth]"
    )
    assert scroll <= client, (scroll, client)
    # Nothing sits on top of the last column's header: it is what the pointer reaches there.
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent.trim()",
        [last_box["x"] + last_box["width"] - 4, last_box["y"] + last_box["height"] / 2],
    )
    assert hit and "Inscrite le" in hit, hit
