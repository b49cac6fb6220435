"""The public search page and its suggestions, included under /recherche/ by the site's
URLconf."""

from django.urls import path

from search import suggest, views

urlpatterns = [
    path("", views.search, name="search"),
    path("suggestions/", suggest.suggestions, name="search_suggestions"),
]
