"""An editor gives a heading of the pitch a pictogram in the page editor's grid; visitors see it
beside the heading's text, decorative."""

from playwright.sync_api import expect

from tests.browser.helpers import PITCH, assert_no_axe_violations


def test_an_editor_gives_a_pitch_heading_a_pictogram(admin_page):
    from home.models import PitchPage

    page = admin_page(viewport={"width": 1280, "height": 900})

    pitch = PitchPage.objects.get()
    page.goto(f"/admin/pages/{pitch.pk}/edit/")
    # The demo's three offers have theirs, drawn from the sprite beside their names.
    expect(page.locator('input[type=radio][value="sprout"]:checked')).to_have_count(1)
    expect(page.locator('input[type=radio][value="hand-helping"]:checked')).to_have_count(1)
    # The first heading ("Quels intérêts…") has none; the editor gives it the handshake.
    first = page.locator('input[type=radio][name="body-0-value-pictogram"]')
    expect(first.and_(page.locator(":checked"))).to_have_value("")
    option = page.locator(".pictogram-select__option").filter(
        has=page.locator('input[name="body-0-value-pictogram"][value="handshake"]')
    )
    expect(option.locator("svg use")).to_have_attribute(
        "href", "/static/icons/pictograms.svg#handshake"
    )
    option.click()
    page.get_by_role("button", name="Plus d'actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publier").click()

    page.goto(PITCH)
    heading = page.locator("h2#interets")
    expect(heading).to_contain_text("Quels intérêts pour la collectivité")
    pictogram = heading.locator("svg.pictogram")
    expect(pictogram).to_have_attribute("aria-hidden", "true")
    expect(pictogram.locator("use")).to_have_attribute(
        "href", "/static/icons/pictograms.svg#handshake"
    )
    assert_no_axe_violations(page)
