"""The editorial app's admin pages, mounted under /admin/ by wagtail_hooks.py (Wagtail then
asks for a login and the "access the admin" permission)."""

from django.urls import path

from editorial.views import ContributorGuideView

urlpatterns = [
    path("guide/", ContributorGuideView.as_view(), name="editorial_guide"),
]
