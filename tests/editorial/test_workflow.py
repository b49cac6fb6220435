"""Moderation: a rédacteur submits, a modérateur approves or asks for changes with a comment,
each side is told by e-mail; scheduled publishing and unpublishing."""

import io
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Page, WorkflowState

import pytest

from editorial.roles import APPROVAL_TASK, MODERATORS, WORKFLOW
from home.models import ContentPage
from tests.editorial.helpers import content_page_form, is_refused, publish_content_page

pytestmark = pytest.mark.django_db


def action_url(page, action):
    task_state = page.current_workflow_task_state
    return f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/"


@pytest.fixture
def submitted(editor_client, moderator, home_page):
    """A new page a rédacteur has just submitted for approval; the outbox then emptied."""
    response = editor_client.post(
        f"/admin/pages/add/home/contentpage/{home_page.pk}/",
        content_page_form("Coopérer entre territoires", "cooperer", action="action-submit"),
    )
    assert response.status_code == 302
    page = ContentPage.objects.get(slug="cooperer")
    submission_mail = list(mail.outbox)
    mail.outbox.clear()
    return page, submission_mail


def test_the_whole_site_goes_through_the_moderators(home_page):
    for page in (Page.get_first_root_node(), home_page, ContentPage.objects.first()):
        workflow = page.get_workflow()
        assert workflow.name == WORKFLOW
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == [APPROVAL_TASK]
    assert [group.name for group in tasks[0].groups.all()] == [MODERATORS]


def test_a_submission_waits_for_a_moderator_who_is_told_by_email(submitted, moderator, editor):
    page, submission_mail = submitted
    assert not page.live
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == APPROVAL_TASK
    assert page.current_workflow_state.requested_by == editor

    assert [message.to for message in submission_mail] == [[moderator.email]]
    message = submission_mail[0]
    assert "Coopérer entre territoires" in message.subject
    assert "soumise pour validation" in message.subject
    assert f"http://testserver/admin/pages/{page.pk}/edit/" in message.body


def test_the_moderator_approves_and_the_page_goes_live(submitted, moderator_client, editor):
    page, _ = submitted
    response = moderator_client.post(action_url(page, "approve"), {"comment": ""})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert not page.workflow_in_progress
    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert "approuvé" in mail.outbox[0].subject


def test_the_moderator_asks_for_changes_and_the_submitter_reads_the_comment(
    submitted, moderator_client, editor
):
    page, _ = submitted
    comment = "Ajoutez la source des chiffres du deuxième paragraphe."
    response = moderator_client.post(action_url(page, "reject"), {"comment": comment})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert not page.workflow_in_progress
    assert page.workflow_states.get().status == WorkflowState.STATUS_NEEDS_CHANGES

    assert [message.to for message in mail.outbox] == [[editor.email]]
    assert comment in mail.outbox[0].body
    assert "Dominique Modératrice" in mail.outbox[0].body


def test_an_editor_cannot_approve(submitted, editor_client):
    page, _ = submitted
    assert is_refused(editor_client.post(action_url(page, "approve"), {"comment": ""}))
    page.refresh_from_db()
    assert not page.live
    assert page.workflow_in_progress


def test_an_approved_page_with_a_date_is_published_on_that_date(
    editor_client, moderator_client, home_page
):
    tomorrow = timezone.localtime() + timedelta(days=1)
    editor_client.post(
        f"/admin/pages/add/home/contentpage/{home_page.pk}/",
        content_page_form(
            "Assemblée générale",
            "assemblee-generale",
            action="action-submit",
            go_live_at=tomorrow.strftime("%d/%m/%Y %H:%M"),
        ),
    )
    page = ContentPage.objects.get(slug="assemblee-generale")
    moderator_client.post(action_url(page, "approve"), {"comment": ""})
    page.refresh_from_db()
    assert not page.live
    revision = page.scheduled_revision
    assert revision is not None

    call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert not page.live  # not yet

    # The next day: the date the revision was approved for has passed.
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert page.live


def test_a_page_past_its_expiry_date_is_unpublished(home_page):
    page = publish_content_page(home_page, "Appel à projets 2025", "appel-a-projets-2025")
    page.expire_at = timezone.now() - timedelta(minutes=1)
    page.save(update_fields=["expire_at"])
    call_command("publish_scheduled", stdout=io.StringIO())
    page.refresh_from_db()
    assert not page.live
    assert page.expired
