"""The events calendar, as a project leader and a local officer use it.

Go from the agenda to next month's grid from the keyboard, open the monthly information
meeting, register (after a mistyped e-mail address), confirm from the e-mail's link, read the
confirmation e-mail and its calendar file, cancel from the e-mail's link. Join the waiting list
of a full workshop, narrow the upcoming dates by type, and use the month grid and the
registration form without JavaScript.

The demo agenda (events/demo) is built from today's date: the information meeting is on the
first Tuesday of each month at 14 h (16 dates from four months ago, no meeting in August, one
date cancelled for the regional forum), two workshops are upcoming, one of them full (3 places
taken, 2 people waiting).

The live server runs in the tests' process: the e-mails it sends on the commit of a
registration (django-tasks' immediate backend) land in Django's locmem `mail.outbox`; they are
read by recipient, so that nothing else sent during the test gets in the way.

The guard (see conftest) also fails each of these tests if a page loads anything from another
host or logs a console error.
"""

import re
from datetime import date
from functools import partial
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

import icalendar
from playwright.sync_api import Page, expect

from cress_site.typography import french_spaces
from tests.browser import listing
from tests.browser.helpers import (
    HOME,
    assert_no_axe_violations,
    assert_page_basics,
    field_container,
    textbox,
)
from tests.browser.listing import ListingSpec

NBSP = "\u00a0"
AGENDA = "/agenda/"
AGENDA_TITLE = "Agenda"
ARCHIVE = AGENDA + "archives/"

MEETING = AGENDA + "reunion-information-creer-entreprise-ess/"
MEETING_TITLE = "Réunion d'information : créer une entreprise de l'ESS"
MEETING_SLUG = "reunion-information-creer-entreprise-ess"

FULL_WORKSHOP = AGENDA + "atelier-tester-son-idee-cherbourg/"
FULL_WORKSHOP_TITLE = "Atelier : tester son idée d'entreprise de l'ESS"
OFFICIALS_WORKSHOP = AGENDA + "atelier-elus-soutenir-ess-territoire/"
OFFICIALS_WORKSHOP_TITLE = "Atelier élus : soutenir l'ESS sur son territoire"
UPCOMING_WORKSHOPS = [FULL_WORKSHOP_TITLE, OFFICIALS_WORKSHOP_TITLE]
CANCELLED_CONFERENCE = AGENDA + "conference-ess-transition-agricole-bocage/"
FORUM = AGENDA + "rencontres-regionales-ess-normandie/"

VIEWS_NAV = "Affichage de l'agenda"
MONTHS_NAV = "Autres mois"
MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

SUBMIT = "M'inscrire"
WAITING_LIST_SUBMIT = "M'inscrire sur la liste d'attente"
CONSENT = re.compile(r"^J'accepte que la CRESS Normandie utilise ces informations")
EMAIL_ERROR = "Cette adresse e-mail n'est pas valide. Format attendu : nom@exemple.fr"
CANCEL_LINK = re.compile(r"https?://[^\s/]+(/inscriptions/annulation/[^\s/]+/)")
CONFIRM_LINK = re.compile(r"https?://[^\s/]+(/inscriptions/confirmation/[^\s/]+/)")
CHECK_MAILBOX = "Vérifiez votre boîte de réception"
CONFIRM_BUTTON = "Oui, confirmer mon inscription"

SPEC = ListingSpec(
    "Filtrer les événements", "Événements à venir", "événement à venir", "événements à venir", 4
)
_ok = listing.ok
_query = listing.query
_tab_until = listing.tab_until
_filters = partial(listing.filters, spec=SPEC)
_results = partial(listing.results, spec=SPEC)
_active_filters = partial(listing.active_filters, spec=SPEC)
_remove_filter_link = partial(listing.remove_filter_link, spec=SPEC)
_choose = partial(listing.choose, spec=SPEC)
_submit = partial(listing.submit, spec=SPEC)
_assert_count = partial(listing.assert_count, spec=SPEC)
_assert_listed = partial(listing.assert_listed, spec=SPEC)

# --- Finding things as a reader does ----------------------------------------------------------


def _month_label(day):
    """The month as the grid's title and its previous/next links say it: "Décembre 2026"."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}".capitalize()


def _of_month(day):
    """ "de juin 2027", "d'août 2027", as the month's list of events says it."""
    name = f"{MONTH_NAMES[day.month - 1]} {day.year}"
    return f"d'{name}" if name[0] in "aeiou" else f"de {name}"


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months_between(first, second):
    return (second.year - first.year) * 12 + second.month - first.month


def _next_meeting():
    """The meeting's first date after the current month that takes registrations (next month's,
    except in July: no meeting in August)."""
    from events.models import EventOccurrence

    this_month = timezone.localdate().replace(day=1)
    occurrences = EventOccurrence.objects.filter(page__slug=MEETING_SLUG, in_series=True).order_by(
        "start"
    )
    for occurrence in occurrences:
        day = timezone.localtime(occurrence.start).date()
        if _months_between(this_month, day) >= 1 and occurrence.accepts_registrations:
            return occurrence, day
    raise AssertionError("La démo n'a pas de réunion d'information ouverte après ce mois-ci.")


def _views_nav(page: Page):
    return page.get_by_role("navigation", name=VIEWS_NAV, exact=True)


def _assert_current_view(page: Page, name):
    current = _views_nav(page).locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text(name)


def _month_link(page: Page, day):
    """The previous or next month link, named by its month ("Décembre 2026", arrow hidden)."""
    return page.get_by_role("navigation", name=MONTHS_NAV, exact=True).get_by_role(
        "link", name=_month_label(day), exact=True
    )


def _month_grid(page: Page, day):
    """The grid's table, named by its caption ("Calendrier des événements, décembre 2026 : …")."""
    month = f"{MONTH_NAMES[day.month - 1]} {day.year}"
    return page.get_by_role("table", name=re.compile(rf"^Calendrier des événements, {month} :"))


def _assert_month(page: Page, live_site, day):
    expect(page).to_have_url(live_site + f"{AGENDA}{day.year:04d}/{day.month:02d}/")
    assert_page_basics(page)
    expect(page.get_by_role("heading", level=2, name=_month_label(day), exact=True)).to_be_visible()
    grid = _month_grid(page, day)
    expect(grid).to_have_count(1)
    expect(grid.get_by_role("columnheader")).to_have_count(7)
    _assert_current_view(page, "Calendrier du mois")
    return grid


def _day_cell(grid, day):
    """A day of the grid, named by its date in words ("mardi 1 décembre")."""
    label = date_format(day, "l j F")
    return grid.get_by_role("cell", name=re.compile(rf"^{re.escape(label)}\b"))


def _fill_registration(page: Page, **overrides):
    values = {
        "Nom et prénom": "Camille Durand",
        "Adresse e-mail": "camille.durand@mairie-exemple.example",
        "Structure ou collectivité": "Mairie d'Exemple-sur-Orne",
    }
    values.update(overrides)
    for label, value in values.items():
        textbox(page, label).fill(value)
    page.get_by_role("combobox", name="Vous êtes", exact=True).select_option(
        label="Porteuse ou porteur de projet"
    )
    page.get_by_role("combobox", name="Votre département", exact=True).select_option(
        label="Calvados"
    )
    page.get_by_role("checkbox", name=CONSENT).check()
    return values


def _send(page: Page, label=SUBMIT):
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def _messages_to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def _confirm_from_the_email(page: Page, mailoutbox, address, title):
    """The page after the form says to check the mailbox and holds no secret; the e-mail's
    link shows a confirmation form (opening it confirms nothing), whose button confirms."""
    from events.models import Registration

    expect(page.locator("h1")).to_have_text(CHECK_MAILBOX)
    expect(page.get_by_text(address)).to_be_visible()
    expect(page.locator('a[href*="/inscriptions/"]')).to_have_count(0)
    registration = Registration.objects.get(email=address)
    assert registration.status == Registration.Status.PENDING
    assert registration.token.hex not in page.url and str(registration.token) not in page.url
    messages = _messages_to(mailoutbox, address)
    assert [message.subject for message in messages] == [
        french_spaces(f"Confirmez votre inscription : {title}")
    ]
    found = CONFIRM_LINK.search(messages[0].body)
    assert found, messages[0].body
    _ok(page.goto(found.group(1)))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("Confirmer votre inscription")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    _send(page, CONFIRM_BUTTON)


def _attachment_parts(attachment):
    """(filename, content, mimetype), whether Django gives a tuple or an EmailAttachment."""
    return tuple(attachment)[:3]


# --- 1. Every kind of page, with axe ----------------------------------------------------------


def test_agenda_views_and_event_pages_pass_axe(site_page, live_site):
    page = site_page
    this_month = timezone.localdate()

    # The upcoming dates, grouped by month.
    _ok(page.goto(AGENDA))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(AGENDA_TITLE)
    _assert_current_view(page, "À venir")
    expect(_results(page).locator(".agenda-month").first).to_be_visible()
    expect(_results(page).get_by_role("heading", level=4).first).to_be_visible()
    cancelled = _results(page).locator(".event-card--cancelled").first
    expect(cancelled.locator(".status--cancelled")).to_have_text("Annulé")
    assert_no_axe_violations(page)

    # This month's grid (/agenda/mois/ leads to it).
    _ok(page.goto(AGENDA + "mois/"))
    _assert_month(page, live_site, this_month)
    today = _day_cell(_month_grid(page, this_month), this_month)
    expect(today).to_have_count(1)
    expect(today.locator('[aria-current="date"]')).to_have_count(1)
    assert_no_axe_violations(page)

    # On a phone: the grid fits the screen, busy days are dotted, events are listed below it.
    page.set_viewport_size({"width": 360, "height": 800})
    next_month = _add_months(this_month, 1)
    _ok(page.goto(f"{AGENDA}{next_month.year:04d}/{next_month.month:02d}/"))
    grid = _assert_month(page, live_site, next_month)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(grid.locator(".month-grid__events").first).to_be_hidden()
    expect(grid.get_by_role("link")).to_have_count(0)
    month_list = page.get_by_role("region", name=f"Les événements {_of_month(next_month)}")
    expect(month_list.locator(".event-card").first).to_be_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 720})

    # The archive, most recent first.
    _ok(page.goto(ARCHIVE))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("Événements passés")
    _assert_current_view(page, "Événements passés")
    archive = page.get_by_role("region", name=re.compile("^Événements passés"))
    expect(archive.get_by_role("heading", level=4).first).to_be_visible()
    assert_no_axe_violations(page)

    # A single date with registrations, a cancelled one, a two-day forum without registration.
    for path in [OFFICIALS_WORKSHOP, CANCELLED_CONFERENCE, FORUM]:
        _ok(page.goto(path))
        assert_page_basics(page)
        expect(page.get_by_role("heading", level=2, name="Informations pratiques")).to_be_visible()
        assert_no_axe_violations(page)
    _ok(page.goto(CANCELLED_CONFERENCE))
    expect(page.locator(".event__meta .status--cancelled")).to_have_text("Annulé")
    expect(page.locator(".page-header .notice")).to_have_text("Cet événement est annulé.")


# --- 2. The path: keyboard to next month, register, e-mail, cancel --------------------


def test_person_registers_for_the_meeting_and_cancels_from_the_email(
    site_page, live_site, mailoutbox
):
    from events.models import Registration

    page = site_page
    occurrence, meeting_day = _next_meeting()
    this_month = timezone.localdate()
    address = "camille.durand@mairie-exemple.example"

    # The agenda, from the main menu.
    _ok(page.goto(HOME))
    with page.expect_navigation():
        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name=AGENDA_TITLE, exact=True
        ).click()
    expect(page).to_have_url(live_site + AGENDA)

    # Keyboard only: the month grid, then next month's.
    month_view = _views_nav(page).get_by_role("link", name="Calendrier du mois", exact=True)
    _tab_until(page, month_view)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _assert_month(page, live_site, this_month)
    shown = this_month
    for _ in range(_months_between(this_month, meeting_day)):
        shown = _add_months(shown, 1)
        next_link = _month_link(page, shown)
        expect(next_link).to_have_attribute("rel", "next")
        _tab_until(page, next_link)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    grid = _assert_month(page, live_site, meeting_day)
    assert_no_axe_violations(page)

    # The meeting, in its day of the grid; the focused link shows the site's focus ring.
    cell = _day_cell(grid, meeting_day)
    expect(cell).to_have_count(1)
    meeting_link = cell.get_by_role("link", name=re.compile(rf"{re.escape(MEETING_TITLE)}$"))
    expect(meeting_link).to_have_count(1)
    expect(meeting_link).to_contain_text("14 h")
    _tab_until(page, meeting_link)
    assert meeting_link.evaluate("a => getComputedStyle(a).outlineStyle") == "solid"
    assert meeting_link.evaluate("a => getComputedStyle(a).outlineWidth") == "3px"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(live_site + MEETING)
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(MEETING_TITLE)
    expect(page.get_by_role("heading", level=2, name="Prochaines dates")).to_be_visible()
    assert_no_axe_violations(page)

    # Its registration form.
    with page.expect_navigation():
        page.get_by_role("link", name="S'inscrire à une date", exact=True).click()
    expect(page).to_have_url(live_site + MEETING + "inscription/")
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text(f"Inscription à « {MEETING_TITLE} »")
    assert_no_axe_violations(page)
    # The accessible name has its non-breaking spaces read as spaces.
    label = re.escape(occurrence.date_label.replace(NBSP, " "))
    date_choice = page.get_by_role("group", name="Date").get_by_role(
        "radio", name=re.compile(rf"^{label} – \d+ places? restantes?$")
    )
    expect(date_choice).to_have_count(1)
    date_choice.check()

    # A mistyped e-mail address: the error by the field and in the summary, the rest kept.
    values = _fill_registration(page, **{"Adresse e-mail": "camille.durand@"})
    _send(page)
    expect(page).to_have_title(re.compile(r"^Erreur\u00a0: "))
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_email"]')).to_have_text(f"Adresse e-mail : {EMAIL_ERROR}")
    email = textbox(page, "Adresse e-mail")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bid_email-erreur\b"))
    error = field_container(page, "id_email").locator(".form-field__error")
    expect(error).to_have_count(1)
    expect(error).to_have_text(f"Erreur : {EMAIL_ERROR}")
    expect(email).to_have_value("camille.durand@")
    expect(textbox(page, "Nom et prénom")).to_have_value(values["Nom et prénom"])
    expect(textbox(page, "Structure ou collectivité")).to_have_value(
        values["Structure ou collectivité"]
    )
    expect(page.get_by_role("combobox", name="Vous êtes", exact=True)).to_have_value("porteur")
    expect(page.get_by_role("combobox", name="Votre département", exact=True)).to_have_value(
        "calvados"
    )
    expect(date_choice).to_be_checked()
    expect(page.get_by_role("checkbox", name=CONSENT)).to_be_checked()
    assert not Registration.objects.filter(email__startswith="camille.durand").exists()
    assert_no_axe_violations(page)

    # Corrected: a page that says to check the mailbox, at the same address for everybody.
    email.fill(address)
    _send(page)
    expect(page).to_have_url(live_site + MEETING + "inscription/enregistree/")
    assert_page_basics(page)
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text(
        capfirst(occurrence.when_label)
    )
    assert_no_axe_violations(page)

    # The e-mail's link, then its button: the place is held.
    _confirm_from_the_email(page, mailoutbox, address, MEETING_TITLE)
    expect(page.locator("h1")).to_have_text("Votre inscription est confirmée")
    assert_no_axe_violations(page)
    registration = Registration.objects.get(email=address)
    assert registration.occurrence_id == occurrence.pk
    assert registration.status == Registration.Status.CONFIRMED

    # The e-mail, with the date as a calendar file.
    messages = _messages_to(mailoutbox, address)
    assert len(messages) == 2, [message.subject for message in messages]
    message = messages[1]
    assert message.subject == french_spaces(f"Inscription confirmée : {MEETING_TITLE}")
    calendars = [
        _attachment_parts(attachment)
        for attachment in message.attachments
        if _attachment_parts(attachment)[2].split(";")[0].strip() == "text/calendar"
    ]
    assert len(calendars) == 1, message.attachments
    filename, content, _mimetype = calendars[0]
    assert filename.endswith(".ics"), filename
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    local_start = timezone.localtime(start)
    assert local_start.date() == meeting_day, local_start
    assert (local_start.hour, local_start.minute) == (14, 0), local_start
    assert str(events[0]["summary"]) == MEETING_TITLE

    # The e-mail's cancel link: a confirmation first (a link checker cancels nothing)…
    found = CANCEL_LINK.search(message.body)
    assert found, message.body
    cancel_path = found.group(1)
    _ok(page.goto(cancel_path))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("Annuler votre inscription")
    expect(page.locator(".registration-summary")).to_contain_text(MEETING_TITLE)
    assert_no_axe_violations(page)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    # …then cancelled.
    _send(page, "Oui, annuler mon inscription")
    expect(page.locator("h1")).to_have_text("Inscription annulée")
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text(
        "Votre inscription est annulée"
    )
    assert_no_axe_violations(page)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert [message.subject for message in _messages_to(mailoutbox, address)] == [
        french_spaces(f"Confirmez votre inscription : {MEETING_TITLE}"),
        french_spaces(f"Inscription confirmée : {MEETING_TITLE}"),
        french_spaces(f"Inscription annulée : {MEETING_TITLE}"),
    ]


# --- 3. A full workshop ----------------------------------------------------------------------


def test_full_workshop_offers_the_waiting_list(site_page, live_site, mailoutbox):
    from events.models import Registration

    page = site_page
    address = "dominique.leroy@asso-exemple.example"

    # In the list: full, with a waiting list.
    _ok(page.goto(AGENDA))
    card = (
        _results(page)
        .locator("article")
        .filter(has=page.get_by_role("link", name=FULL_WORKSHOP_TITLE, exact=True))
    )
    expect(card).to_have_count(1)
    expect(card.locator(".status--full")).to_have_text("Complet")
    expect(card).to_contain_text("Complet : liste d'attente ouverte")

    # Its page and form offer the waiting list.
    with page.expect_navigation():
        card.get_by_role("link", name=FULL_WORKSHOP_TITLE, exact=True).click()
    expect(page).to_have_url(live_site + FULL_WORKSHOP)
    expect(page.locator(".registration-call")).to_contain_text("C'est complet.")
    with page.expect_navigation():
        page.get_by_role("link", name=WAITING_LIST_SUBMIT, exact=True).click()
    expect(page).to_have_url(live_site + FULL_WORKSHOP + "inscription/")
    expect(page.locator(".registration-summary .notice")).to_contain_text("liste d'attente")
    expect(page.get_by_role("button", name=WAITING_LIST_SUBMIT, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=SUBMIT, exact=True)).to_have_count(0)
    assert_no_axe_violations(page)

    _fill_registration(page, **{"Adresse e-mail": address})
    _send(page, WAITING_LIST_SUBMIT)
    assert_no_axe_violations(page)
    _confirm_from_the_email(page, mailoutbox, address, FULL_WORKSHOP_TITLE)
    expect(page.locator("h1")).to_have_text("Vous êtes sur la liste d'attente")
    assert_no_axe_violations(page)
    assert Registration.objects.get(email=address).status == Registration.Status.WAITING
    assert [message.subject for message in _messages_to(mailoutbox, address)] == [
        french_spaces(f"Confirmez votre inscription : {FULL_WORKSHOP_TITLE}"),
        french_spaces(f"Liste d'attente : {FULL_WORKSHOP_TITLE}"),
    ]


# --- 4. Filters ------------------------------------------------------------------------------


def test_type_filter_narrows_the_upcoming_list(site_page, live_site):
    page = site_page
    _ok(page.goto(AGENDA))
    expect(_active_filters(page)).to_have_count(0)

    _choose(page, "Type d'événement", "Atelier")
    _submit(page)
    assert _query(page).get("type") == ["atelier"], page.url
    assert urlsplit(page.url).path == AGENDA, page.url
    _assert_count(page, len(UPCOMING_WORKSHOPS))
    _assert_listed(page, UPCOMING_WORKSHOPS)
    tags = _results(page).locator(".event-card .tag")
    expect(tags).to_have_count(len(UPCOMING_WORKSHOPS))
    for index in range(len(UPCOMING_WORKSHOPS)):
        expect(tags.nth(index)).to_have_text("Atelier")
    expect(
        _filters(page).get_by_role("combobox", name="Type d'événement", exact=True)
    ).to_have_value("atelier")
    expect(_remove_filter_link(page, "Type d'événement", "Atelier")).to_be_visible()
    # The other views and the calendar feed keep the filter.
    for name in ["Calendrier du mois", "Événements passés"]:
        link = _views_nav(page).get_by_role("link", name=name, exact=True)
        expect(link).to_have_attribute("href", re.compile(r"\?type=atelier$"))
    feed = page.get_by_role("link", name=re.compile(r"^S'abonner au calendrier filtré"))
    expect(feed).to_have_attribute("href", re.compile(r"agenda\.ics\?type=atelier$"))
    assert_no_axe_violations(page)

    # Removing it gives the whole agenda back.
    with page.expect_navigation():
        _remove_filter_link(page, "Type d'événement", "Atelier").click()
    assert not _query(page), page.url
    expect(_active_filters(page)).to_have_count(0)
    expect(_results(page).get_by_role("heading", level=4, name=MEETING_TITLE).first).to_be_visible()


# --- 5. Without JavaScript ---------------------------------------------------------------------


def test_month_grid_and_registration_work_without_javascript(
    new_guarded_page, live_site, mailoutbox
):
    from events.models import Registration

    page = new_guarded_page(java_script_enabled=False)
    this_month = timezone.localdate()
    next_month = _add_months(this_month, 1)
    previous_month = _add_months(this_month, -1)
    address = "alex.martin@cc-exemple.example"

    # This month, then the next and back, through the previous/next links.
    _ok(page.goto(AGENDA + "mois/"))
    _assert_month(page, live_site, this_month)
    expect(_month_link(page, previous_month)).to_have_attribute("rel", "prev")
    with page.expect_navigation():
        _month_link(page, next_month).click()
    grid = _assert_month(page, live_site, next_month)
    expect(grid.get_by_role("link").first).to_be_visible()
    with page.expect_navigation():
        _month_link(page, this_month).click()
    _assert_month(page, live_site, this_month)

    # A single-date workshop: its form, sent once.
    _ok(page.goto(OFFICIALS_WORKSHOP))
    with page.expect_navigation():
        page.locator(".registration-call").get_by_role(
            "link", name="S'inscrire", exact=True
        ).click()
    expect(page).to_have_url(live_site + OFFICIALS_WORKSHOP + "inscription/")
    expect(page.get_by_role("radio")).to_have_count(0)  # one date: nothing to choose
    _fill_registration(page, **{"Adresse e-mail": address})
    _send(page)
    expect(page).to_have_url(live_site + OFFICIALS_WORKSHOP + "inscription/enregistree/")
    _confirm_from_the_email(page, mailoutbox, address, OFFICIALS_WORKSHOP_TITLE)
    expect(page.locator("h1")).to_have_text("Votre inscription est confirmée")
    assert Registration.objects.get(email=address).status == Registration.Status.CONFIRMED
    assert [message.subject for message in _messages_to(mailoutbox, address)] == [
        french_spaces(f"Confirmez votre inscription : {OFFICIALS_WORKSHOP_TITLE}"),
        french_spaces(f"Inscription confirmée : {OFFICIALS_WORKSHOP_TITLE}"),
    ]


# --- 6. Erasing one's data, and too many attempts -------------------------------------------------


def test_person_erases_their_data_from_an_email_link(
    site_page, live_site, guard, mailoutbox, settings
):
    from events.models import Registration

    page = site_page
    address = "morgane.leduc@asso-exemple.example"
    # One registration from this client, then the limit.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "registration": {"client": "1/10m"}}

    # Registered and confirmed for the officials' workshop.
    _ok(page.goto(OFFICIALS_WORKSHOP + "inscription/"))
    _fill_registration(page, **{"Adresse e-mail": address, "Nom et prénom": "Morgane Leduc"})
    _send(page)
    _confirm_from_the_email(page, mailoutbox, address, OFFICIALS_WORKSHOP_TITLE)
    registration = Registration.objects.get(email=address)
    assert registration.status == Registration.Status.CONFIRMED

    # The confirmation e-mail's "supprimer mes données" link: what is held, then a button.
    message = _messages_to(mailoutbox, address)[-1]
    found = re.search(r"https?://[^\s/]+(/mes-donnees/[0-9a-f]+/)", message.body)
    assert found, message.body
    _ok(page.goto(found.group(1)))
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("Supprimer mes données")
    expect(page.get_by_role("main")).to_contain_text(OFFICIALS_WORKSHOP_TITLE)
    assert_no_axe_violations(page)
    registration.refresh_from_db()
    assert registration.email == address  # opening the link erases nothing

    _send(page, "Oui, supprimer mes données")
    expect(page.locator("h1")).to_have_text("Vos données sont effacées")
    assert_no_axe_violations(page)
    registration.refresh_from_db()
    assert (registration.name, registration.email) == ("Anonyme", "")
    assert registration.status == Registration.Status.CANCELLED

    # Another registration from the same client: the French 429 page (which the browser also
    # reports in its console, as it does any 4xx answer).
    form_url = OFFICIALS_WORKSHOP + "inscription/"
    guard.allow_console_error("status of 429 (Too Many Requests)", live_site + form_url)
    _ok(page.goto(form_url))
    _fill_registration(page, **{"Adresse e-mail": "autre@asso-exemple.example"})
    with page.expect_navigation():
        page.get_by_role("button", name=SUBMIT, exact=True).click()
    assert_page_basics(page)
    expect(page.locator("h1")).to_have_text("Trop de tentatives")
    assert_no_axe_violations(page)
    assert not Registration.objects.filter(email="autre@asso-exemple.example").exists()
