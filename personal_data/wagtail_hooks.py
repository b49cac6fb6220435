"""The staff's "Données personnelles" page, under Paramètres, for those allowed to use it."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from personal_data.admin_views import TITLE, PersonalDataView, can_view


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


@hooks.register("register_admin_urls")
def register_personal_data_url():
    return [path("donnees-personnelles/", PersonalDataView.as_view(), name="personal_data")]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return PersonalDataMenuItem(
        TITLE, reverse("personal_data"), name="donnees-personnelles", icon_name="user", order=900
    )
