"""The listings' filter selects show their options whole.

A native select shows its chosen option on one line, cut at the select's width. On a wide screen
every option's text, measured in the select's own font, fits inside the select, less its padding
and arrow; on a phone, the option shown on arrival ("Tous les accompagnements") does, longer
options being cut only where the screen is narrower than they are.
"""

import pytest

LISTINGS = ["/projets-accompagnes/", "/observatoire/", "/agenda/"]
ARROW = 20  # px Chromium keeps for the select's arrow

MEASURE = """([arrow, firstOnly]) => {
    const context = document.createElement("canvas").getContext("2d");
    const cut = [];
    for (const select of document.querySelectorAll(".listing-filters select")) {
        const style = getComputedStyle(select);
        context.font = style.font;
        const room = Math.round(select.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight) - arrow);
        for (const option of firstOnly ? [select.options[0]] : select.options) {
            const width = context.measureText(option.text).width;
            if (width > room) {
                cut.push(`${select.id}: ${option.text} (${Math.round(width)} px > ${room} px)`);
            }
        }
    }
    return cut;
}"""


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("url", LISTINGS)
def test_every_option_fits_its_select(new_guarded_page, url, width):
    page = new_guarded_page(viewport={"width": width, "height": 900})
    page.goto(url)
    assert page.locator(".listing-filters select").count() > 0
    cut = page.evaluate(MEASURE, [ARROW, width < 600])
    assert cut == [], "\n".join(cut)
