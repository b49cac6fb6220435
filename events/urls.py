from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path(
        "annulation/<str:token>/",
        views.cancel_registration_view,
        name="cancel_registration",
    ),
    path(
        "confirmation/<str:token>/",
        views.confirm_registration_view,
        name="confirm_registration",
    ),
]
