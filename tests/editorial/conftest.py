"""A member of each editorial group, and a client logged in as each of them."""

from django.contrib.auth.models import Group
from django.test import Client

import pytest

from editorial.roles import ADMINISTRATORS, EDITORS, MODERATORS

PASSWORD = "motdepasse-de-test"


@pytest.fixture
def make_member(django_user_model):
    def make(group_name, username, **fields):
        user = django_user_model.objects.create_user(
            username=username,
            email=f"{username}@cress-normandie.example",
            password=PASSWORD,
            first_name=fields.pop("first_name", username.capitalize()),
            **fields,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def editor(make_member):
    return make_member(EDITORS, "camille", last_name="Rédactrice")


@pytest.fixture
def moderator(make_member):
    return make_member(MODERATORS, "dominique", last_name="Modératrice")


@pytest.fixture
def administrator(make_member):
    return make_member(ADMINISTRATORS, "alex", last_name="Administrateur")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def moderator_client(moderator):
    return logged_in(moderator)


@pytest.fixture
def administrator_client(administrator):
    return logged_in(administrator)
