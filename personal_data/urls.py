from django.urls import path

from personal_data import views

app_name = "personal_data"

urlpatterns = [
    path("<str:token>/", views.erase_view, name="erase"),
]
