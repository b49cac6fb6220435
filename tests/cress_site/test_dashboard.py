"""The staff's dashboard: pages waiting for approval, latest form requests, next events, most
downloaded publications, searches without results; each for the users allowed to see it, in a
fixed number of queries."""

import re
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

import pytest

from cress_site.dashboard import ApprovalQueuePanel
from events.dashboard import UpcomingEventsPanel
from events.models import EventOccurrence
from events.registration import register
from home.dashboard import FormSubmissionsPanel, summarise_submission
from home.factories import ContentPageFactory
from home.models import FormPage
from publications.dashboard import PopularPublicationsPanel
from publications.downloads import DownloadCount
from publications.models import PublicationPage
from search.dashboard import SearchesWithoutResultsPanel
from search.models import SearchQueryDay
from tests.events.conftest import agenda, calvados, make_event, soon  # noqa: F401
from tests.publications.conftest import library, make_document  # noqa: F401

# The events' and publications' fixtures are imported above, then taken as test arguments.
# ruff: noqa: F811

pytestmark = pytest.mark.django_db

PANEL_IDS = [
    "awaiting-review",
    "latest-form-submissions",
    "upcoming-events",
    "popular-publications",
    "searches-without-results",
]

SUPPORT_REQUEST = {
    "nom": "Martin",
    "prenom": "Jeanne",
    "adresse_electronique": "jeanne.martin@mairie-argentan.example",
    "telephone": "02 33 00 00 00",
    "collectivite": "Ville d'Argentan",
    "fonction": "Adjointe à l'économie",
    "territoire_concerne": "Orne",
    "votre_besoin": ["Faire émerger de nouveaux projets", "Autre"],
    "votre_message": "Nous voulons soutenir un restaurant d'insertion.",
    "jaccepte_que_la_cress_normandie_utilise_ces_informations_pour_repondre_a_ma_demande": True,
}

CONTACT_MESSAGE = {
    "nom": "Leroy",
    "prenom": "Paul",
    "adresse_electronique": "paul.leroy@example.org",
    "organisation": "Coop des Marais",
    "objet": "Adhésion à la CRESS",
    "votre_message": "Comment adhérer ?",
}


# Users and permissions


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "admin-tableau", "admin-tableau@example.org", "motdepasse-test"
    )


def make_user(username, *permissions, pages=(), **fields):
    """A user who may reach the admin, in a group holding `permissions` ("app.codename") and
    the page permissions `pages` ((page, "change_page"), …)."""
    from django.contrib.auth import get_user_model

    group = Group.objects.create(name=f"Groupe de {username}")
    codenames = ["wagtailadmin.access_admin", *permissions]
    for permission in codenames:
        app_label, codename = permission.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for page, codename in pages:
        GroupPagePermission.objects.create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user = get_user_model().objects.create_user(username, password="motdepasse-test", **fields)
    user.groups.add(group)
    return user


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def panel_ids(html):
    return re.findall(r'<section class="w-panel[^"]*" id="([\w-]+)-section"', html)


def panel(html, panel_id):
    """The HTML of one dashboard panel, or "" when it is not on the page."""
    start = html.find(f'id="{panel_id}-section"')
    if start == -1:
        return ""
    return html[start : html.index("</section>", start)]


def text(html):
    """The panel's text, tags removed and spaces collapsed, to assert on what a person reads."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())


def render(panel_class, user):
    """A panel rendered for `user` as the dashboard renders it, and the queries it made."""
    request = RequestFactory().get("/admin/")
    request.user = type(user).objects.get(pk=user.pk)  # no permission cached yet
    context = {"request": request, "csrf_token": "jeton"}
    with CaptureQueriesContext(connection) as queries:
        if panel_class is ApprovalQueuePanel:
            html = panel_class().render_html(context)
        else:
            html = panel_class(request).render_html(context)
    return html, len(queries.captured_queries)


# Data


@pytest.fixture
def support_form():
    return FormPage.objects.get(slug="demande-accompagnement")


@pytest.fixture
def contact_form():
    return FormPage.objects.get(slug="contact")


def submit(page, data, minutes_ago):
    submission = FormSubmission.objects.create(page=page, form_data=data)
    FormSubmission.objects.filter(pk=submission.pk).update(
        submit_time=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return submission


def month_start():
    return timezone.localdate().replace(day=1)


def downloads(publication, count, month=None):
    return DownloadCount.objects.create(
        publication=publication,
        document=publication.document,
        month=month or month_start(),
        count=count,
    )


def searched(text_typed, day, hits, without_results):
    return SearchQueryDay.objects.create(
        day=day,
        key=text_typed.lower(),
        text=text_typed,
        hits=hits,
        hits_without_results=without_results,
    )


def person(occurrence, name):
    email = name.lower().replace(" ", ".") + "@example.org"
    return register(occurrence.pk, name=name, email=email, profile="porteur", send_email=False)


@pytest.fixture
def no_events():
    """No date at all, so the panel lists only the events of the test."""
    EventOccurrence.objects.all().delete()


# The whole dashboard


def test_a_superuser_sees_every_panel_in_the_order_of_the_work(client, superuser):
    ids = panel_ids(dashboard(client, superuser))
    assert [panel_id for panel_id in ids if panel_id in PANEL_IDS] == PANEL_IDS
    # Wagtail's own panels (recent edits…) come after the staff's.
    assert ids[: len(PANEL_IDS)] == PANEL_IDS


def test_a_user_who_may_only_reach_the_admin_sees_none_of_the_panels(client):
    html = dashboard(client, make_user("lecteur"))
    assert not set(panel_ids(html)) & set(PANEL_IDS)
    assert "Jeanne" not in html


def test_the_dashboard_reads_the_same_number_of_queries_whatever_the_data(
    client,
    superuser,
    support_form,
    make_event,
    no_events,
):
    client.force_login(superuser)
    client.get("/admin/")  # caches (content types, form types) warmed up

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return len(queries.captured_queries)

    publications = list(PublicationPage.objects.all()[:6])
    make_event("Premier atelier", start=soon(1), registration_enabled=True, capacity=3)
    submit(support_form, SUPPORT_REQUEST, minutes_ago=1)
    downloads(publications[0], 3)
    searched("éolien", timezone.localdate(), 2, 2)
    few = count()

    for day in range(2, 10):
        event = make_event(f"Atelier {day}", start=soon(day), registration_enabled=True)
        person(event.occurrences.get(), f"Personne {day}")
    for minutes in range(2, 9):
        submit(support_form, SUPPORT_REQUEST, minutes_ago=minutes)
    for publication in publications[1:]:
        downloads(publication, 5)
    for number in range(8):
        searched(f"recherche {number}", timezone.localdate(), 1, 1)
    assert count() == few


# Pages waiting for approval


@pytest.fixture
def reviewers(home_page):
    """A group approving every change below the home page, as "Modérateurs" will."""
    group = Group.objects.create(name="Relecteurs du tableau de bord")
    task = GroupApprovalTask.objects.create(name="Relecture")
    task.groups.set([group])
    workflow = Workflow.objects.create(name="Relecture avant publication")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home_page, defaults={"workflow": workflow})
    return group


@pytest.fixture
def reviewer(reviewers, home_page):
    user = make_user("moderatrice", pages=[(home_page, "change_page"), (home_page, "publish_page")])
    user.groups.add(reviewers)
    return user


@pytest.fixture
def editor(home_page):
    return make_user(
        "redacteur",
        pages=[(home_page, "add_page"), (home_page, "change_page")],
        first_name="Claire",
        last_name="Dupont",
    )


@pytest.fixture
def submit_for_approval(home_page, editor, reviewers):
    def submit_page(title):
        page = ContentPageFactory(parent=home_page, title=title)
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
        return page

    return submit_page


def test_a_reviewer_sees_the_pages_waiting_with_who_submitted_them(
    client, reviewer, submit_for_approval
):
    page = submit_for_approval("Nos adhérents 2027")
    html = panel(dashboard(client, reviewer), "awaiting-review")
    assert "En attente de votre vérification" in html
    assert "Nos adhérents 2027" in html
    assert f"/admin/pages/{page.pk}/edit/" in html
    assert "Claire Dupont" in html  # submitted by
    assert "Approuver" in html


def test_a_reviewer_with_nothing_waiting_is_told_so(client, reviewer):
    html = panel(dashboard(client, reviewer), "awaiting-review")
    assert "Aucune page n'attend votre validation." in text(html)
    assert 'href="/admin/reports/workflow/"' in html


def test_an_editor_does_not_review_the_pages_they_submitted(client, editor, submit_for_approval):
    submit_for_approval("Nos adhérents 2027")
    html = dashboard(client, editor)
    assert not panel(html, "awaiting-review")
    # Wagtail's "your pages in a workflow" tells them where it stands.
    assert "Nos adhérents 2027" in html


def test_the_approval_queue_grows_by_one_query_a_page(reviewer, submit_for_approval):
    submit_for_approval("Première page")
    _, one_page = render(ApprovalQueuePanel, reviewer)
    submit_for_approval("Deuxième page")
    submit_for_approval("Troisième page")
    html, three_pages = render(ApprovalQueuePanel, reviewer)
    assert "Troisième page" in html
    # Wagtail's panel reads the progress of each page's workflow in its own query.
    assert three_pages == one_page + 2


# Latest requests sent through the forms


def test_the_latest_requests_say_who_sent_what_through_which_form(
    client, superuser, support_form, contact_form
):
    FormSubmission.objects.all().delete()
    submit(contact_form, CONTACT_MESSAGE, minutes_ago=30)
    submit(support_form, SUPPORT_REQUEST, minutes_ago=5)
    html = panel(dashboard(client, superuser), "latest-form-submissions")
    content = text(html)
    assert "Dernières demandes reçues" in content
    assert (
        "Demande d'accompagnement Jeanne Martin Ville d'Argentan "
        "Faire émerger de nouveaux projets, Autre"
    ) in content
    assert "Contact Paul Leroy Coop des Marais Adhésion à la CRESS" in content
    assert content.index("Jeanne Martin") < content.index("Paul Leroy")  # newest first
    assert f'href="/admin/forms/submissions/{support_form.pk}/"' in html
    assert f'href="/admin/forms/submissions/{contact_form.pk}/"' in html
    assert '<th scope="col">' in html
    assert "<caption" in html


def test_only_the_five_latest_requests_are_listed(client, superuser, support_form):
    FormSubmission.objects.all().delete()
    for minutes in range(7):
        submit(support_form, {**SUPPORT_REQUEST, "nom": f"Nom{minutes}"}, minutes_ago=minutes)
    content = text(panel(dashboard(client, superuser), "latest-form-submissions"))
    assert [name for name in (f"Nom{n}" for n in range(7)) if name in content] == [
        "Nom0",
        "Nom1",
        "Nom2",
        "Nom3",
        "Nom4",
    ]


def test_without_requests_the_panel_says_so(client, superuser):
    FormSubmission.objects.all().delete()
    html = panel(dashboard(client, superuser), "latest-form-submissions")
    assert "Aucune demande reçue pour l'instant." in text(html)
    assert "<table" not in html


def test_a_user_sees_only_the_requests_of_the_forms_they_may_read(
    client, support_form, contact_form
):
    submit(support_form, SUPPORT_REQUEST, minutes_ago=5)
    submit(contact_form, CONTACT_MESSAGE, minutes_ago=30)
    user = make_user(
        "accueil", "wagtailforms.view_formsubmission", pages=[(contact_form, "change_page")]
    )
    html = panel(dashboard(client, user), "latest-form-submissions")
    assert "Paul Leroy" in html
    assert "Jeanne" not in html
    assert "Ville d&#x27;Argentan" not in html
    assert f"/admin/forms/submissions/{support_form.pk}/" not in html


def test_users_who_may_read_no_form_do_not_see_the_requests(client, support_form):
    submit(support_form, SUPPORT_REQUEST, minutes_ago=5)
    publications = PublicationPage.objects.first().get_parent()
    user = make_user(
        "redac-etudes", "wagtailforms.view_formsubmission", pages=[(publications, "change_page")]
    )
    html = dashboard(client, user)
    assert not panel(html, "latest-form-submissions")
    assert "Jeanne" not in html


def test_a_request_is_summed_up_by_its_email_and_message_when_its_fields_are_renamed(
    support_form,
):
    fields = list(support_form.form_fields.all())
    for field in fields:
        if field.field_type == "email":
            field.clean_name = "courriel_de_contact"
        if field.field_type == "multiline":
            field.clean_name = "precisions"
    summary = summarise_submission(
        {"courriel_de_contact": "a@example.org", "precisions": "Un  projet\nde tiers-lieu."},
        fields,
    )
    assert summary == {
        "who": "a@example.org",
        "organisation": "",
        "subject": "Un projet de tiers-lieu.",
    }


def test_the_requests_panel_reads_three_queries_whatever_the_number_of_requests(
    superuser, support_form, contact_form
):
    FormSubmission.objects.all().delete()
    submit(support_form, SUPPORT_REQUEST, minutes_ago=1)
    _, one = render(FormSubmissionsPanel, superuser)
    for minutes in range(2, 12):
        submit(contact_form if minutes % 2 else support_form, SUPPORT_REQUEST, minutes)
    html, many = render(FormSubmissionsPanel, superuser)
    assert html.count("Jeanne Martin") == 5
    # 1. the user's form pages; 2. their five latest submissions; 3. the fields of those forms.
    assert one == many == 3


# Next events


def test_the_next_dates_show_places_taken_and_left_and_the_waiting_list(
    client, superuser, make_event, no_events
):
    full = make_event(
        "Atelier complet", start=soon(1), registration_enabled=True, capacity=1, waiting_list=True
    )
    person(full.occurrences.get(), "Alice Martin")
    person(full.occurrences.get(), "Bruno Petit")  # waiting
    open_event = make_event("Café ESS", start=soon(2), registration_enabled=True, capacity=20)
    person(open_event.occurrences.get(), "Chloé Bernard")
    make_event("Webinaire", start=soon(3), registration_enabled=True)
    make_event("Forum sans inscription", start=soon(4))

    html = panel(dashboard(client, superuser), "upcoming-events")
    content = text(html)
    assert "Prochains événements" in content
    assert "Atelier complet" in content and "1 / 1 place Complet 1 en attente" in content
    assert "Café ESS" in content and "1 / 20 places 19 —" in content
    assert "0 / illimité Sans limite —" in content
    assert "Forum sans inscription" in content and "Sans inscription — —" in content
    assert content.index("Atelier complet") < content.index("Café ESS") < content.index("Webinaire")
    assert f'href="/admin/pages/{full.pk}/edit/"' in html
    occurrence = full.occurrences.get()
    assert f'href="/admin/events/registration/?date={occurrence.pk}"' in html
    assert '<th scope="row" class="title">' in html
    assert "<caption" in html


def test_the_panel_lists_the_next_eight_dates(client, superuser, make_event, no_events):
    for day in range(1, 11):
        make_event(f"Rencontre n°{day}", start=soon(day))
    content = text(panel(dashboard(client, superuser), "upcoming-events"))
    assert "Rencontre n°8" in content
    assert "Rencontre n°9" not in content


def test_without_upcoming_event_the_panel_says_so(client, superuser, no_events):
    html = panel(dashboard(client, superuser), "upcoming-events")
    assert "Aucun événement publié à venir." in html
    assert "<table" not in html


def test_who_handles_registrations_sees_the_dates_but_edits_no_page(client, make_event):
    event = make_event("Café ESS", start=soon(1), registration_enabled=True, capacity=20)
    html = panel(
        dashboard(client, make_user("accueil", "events.view_registration")), "upcoming-events"
    )
    assert "Café ESS" in html
    assert f"/admin/pages/{event.pk}/edit/" not in html
    assert "/admin/events/registration/" in html


def test_users_without_page_or_registration_permissions_do_not_see_the_events(client, make_event):
    make_event("Café ESS", start=soon(1))
    html = dashboard(client, make_user("statisticien", "search.view_searchqueryday"))
    assert not panel(html, "upcoming-events")


def test_the_events_panel_reads_one_query_whatever_the_number_of_dates(
    superuser, home_page, make_event, no_events
):
    make_event("Atelier 1", start=soon(1), registration_enabled=True)
    _, one = render(UpcomingEventsPanel, superuser)
    for day in range(2, 10):
        event = make_event(f"Atelier {day}", start=soon(day), registration_enabled=True)
        person(event.occurrences.get(), f"Personne {day}")
    _, eight = render(UpcomingEventsPanel, superuser)
    assert one == eight == 1  # the dates, their events and their registrations counted

    editor = make_user("agenda", "events.view_registration", pages=[(home_page, "change_page")])
    html, queries = render(UpcomingEventsPanel, editor)
    assert html.count("/edit/") == 8
    # 1–2. the user's permissions and their groups' (registrations); 3. their page
    # permissions; 4. the dates.
    assert queries == 4


# Most downloaded publications this month


def test_the_most_downloaded_publications_of_the_month_in_order(client, superuser):
    publications = list(PublicationPage.objects.order_by("pk")[:7])
    for count, publication in zip([4, 30, 12, 7, 1, 20], publications, strict=False):
        downloads(publication, count)
    downloads(publications[6], 500, month=month_start() - timedelta(days=1))  # last month

    html = panel(dashboard(client, superuser), "popular-publications")
    content = text(html)
    titles = [publication.title for publication in publications]
    assert "Publications les plus téléchargées ce mois-ci" in content
    expected = [(titles[1], 30), (titles[5], 20), (titles[2], 12), (titles[3], 7), (titles[0], 4)]
    positions = [content.index(f"{title} {count}") for title, count in expected]
    assert positions == sorted(positions)
    assert titles[4] not in content  # sixth
    assert titles[6] not in content  # downloaded last month
    assert f'href="/admin/pages/{publications[1].pk}/edit/"' in html
    month = month_start().isoformat()
    assert f'href="/admin/reports/telechargements/?month_from={month}&amp;month_to={month}"' in html


def test_downloads_of_several_documents_add_up(client, superuser, make_document):
    publication = PublicationPage.objects.first()
    downloads(publication, 3)
    DownloadCount.objects.create(
        publication=publication, document=make_document("Annexe"), month=month_start(), count=4
    )
    content = text(panel(dashboard(client, superuser), "popular-publications"))
    assert f"{publication.title} 7" in content


def test_the_downloads_report_link_lists_this_month(client, superuser):
    publication = PublicationPage.objects.first()
    downloads(publication, 9)
    downloads(PublicationPage.objects.last(), 2, month=month_start() - timedelta(days=40))
    client.force_login(superuser)
    url = "/admin/reports/telechargements/?" + (
        f"month_from={month_start().isoformat()}&month_to={month_start().isoformat()}"
    )
    response = client.get(url)
    assert response.status_code == 200
    assert [row.count for row in response.context["object_list"]] == [9]


def test_without_downloads_this_month_the_panel_says_so(client, superuser):
    downloads(PublicationPage.objects.first(), 5, month=month_start() - timedelta(days=1))
    html = panel(dashboard(client, superuser), "popular-publications")
    month = date_format(month_start(), "F Y")
    assert f"Aucun téléchargement de publication en {month}." in text(html)
    assert "<table" not in html


def test_users_who_may_not_read_the_downloads_report_do_not_see_them(client):
    downloads(PublicationPage.objects.first(), 5)
    html = dashboard(client, make_user("accueil", "events.view_registration"))
    assert not panel(html, "popular-publications")


def test_an_editor_of_other_pages_sees_the_downloads_without_edit_links(client, contact_form):
    publication = PublicationPage.objects.first()
    downloads(publication, 5)
    html = panel(
        dashboard(client, make_user("accueil", pages=[(contact_form, "change_page")])),
        "popular-publications",
    )
    assert publication.title in text(html)
    assert f"/admin/pages/{publication.pk}/edit/" not in html


def test_the_downloads_panel_reads_two_queries_whatever_the_number_of_publications(superuser):
    publications = list(PublicationPage.objects.all()[:6])
    downloads(publications[0], 1)
    _, one = render(PopularPublicationsPanel, superuser)
    for publication in publications[1:]:
        downloads(publication, 2)
    html, many = render(PopularPublicationsPanel, superuser)
    assert html.count("/edit/") == 5
    # 1. this month's totals by publication; 2. their pages.
    assert one == many == 2


# Searches without results this week


def test_the_searches_without_results_of_the_last_seven_days(client, superuser):
    today = timezone.localdate()
    searched("Éolien", today, 5, 5)
    searched("Éolien", today - timedelta(days=6), 4, 3)  # the seventh day, counted
    searched("tiers-lieu", today - timedelta(days=2), 6, 2)
    searched("Scop", today, 40, 0)  # always found something
    searched("Monnaie locale", today - timedelta(days=7), 9, 9)  # eight days ago
    for number in range(1, 5):
        searched(f"rare {number}", today, 1, 1)

    html = panel(dashboard(client, superuser), "searches-without-results")
    content = text(html)
    assert "Recherches sans résultat cette semaine" in content
    assert "Éolien 8 9" in content  # without results, searches
    assert "tiers-lieu 2 6" in content
    assert content.index("Éolien") < content.index("tiers-lieu") < content.index("rare 1")
    assert "rare 4" not in content  # the five first only
    assert "Scop" not in content
    assert "Monnaie locale" not in content
    start, end = (today - timedelta(days=6)).isoformat(), today.isoformat()
    report_url = f"/admin/reports/recherches/?results=sans-resultat&date_from={start}&date_to={end}"
    assert f'href="{report_url.replace("&", "&amp;")}"' in html

    client.force_login(superuser)
    report = client.get(report_url)
    assert report.status_code == 200
    assert [row["label"] for row in report.context["object_list"]][:2] == ["Éolien", "tiers-lieu"]
    assert "Monnaie locale" not in report.content.decode()


def test_without_searches_without_results_the_panel_says_so(client, superuser):
    searched("Scop", timezone.localdate(), 40, 0)
    html = panel(dashboard(client, superuser), "searches-without-results")
    assert "Aucune recherche sans résultat ces 7 derniers jours." in html
    assert "<table" not in html


def test_only_who_may_read_the_search_report_sees_the_searches(client, home_page):
    searched("Éolien", timezone.localdate(), 5, 5)
    allowed = dashboard(client, make_user("statisticien", "search.view_searchqueryday"))
    assert "Éolien" in panel(allowed, "searches-without-results")
    editor = make_user("redac", pages=[(home_page, "change_page")])
    assert not panel(dashboard(client, editor), "searches-without-results")


def test_the_searches_panel_reads_one_query_whatever_the_number_of_searches(superuser):
    today = timezone.localdate()
    searched("Éolien", today, 5, 5)
    _, one = render(SearchesWithoutResultsPanel, superuser)
    for number in range(20):
        searched(f"recherche {number}", today - timedelta(days=number % 7), 2, 1)
    html, many = render(SearchesWithoutResultsPanel, superuser)
    assert html.count('<th scope="row"') == 5
    assert one == many == 1  # the searches summed by query over the week
