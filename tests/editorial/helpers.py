"""What the editorial tests share: the admin's answer to a refused request, page forms."""

import html

from django.contrib.messages import get_messages

from wagtail.test.utils.form_data import nested_form_data, streamfield

from home.models import ContentPage

# Wagtail's French message when a role does not allow an action.
REFUSAL = "Désolé, vous n'avez pas les autorisations pour accéder à cette zone."


def is_refused(response):
    """Wagtail refuses with a redirect to the dashboard and a message that explains why."""
    messages = [html.unescape(str(m)).strip() for m in get_messages(response.wsgi_request)]
    return response.status_code == 302 and response["Location"] == "/admin/" and REFUSAL in messages


def content_page_form(title, slug, action=None, **fields):
    data = {
        "title": title,
        "slug": slug,
        "intro": fields.pop("intro", ""),
        "body": streamfield([]),
        **fields,
    }
    if action:
        data[action] = action
    return nested_form_data(data)


def publish_content_page(parent, title, slug):
    page = ContentPage(title=title, slug=slug, intro="Un texte publié.")
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
