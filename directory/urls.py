from django.urls import path, re_path

from directory import api

app_name = "directory_api"

urlpatterns = [
    path("", api.enterprise_list, name="enterprises"),
    re_path(r"^(?P<siren>[^/]{1,30})/$", api.enterprise_detail, name="enterprise"),
]
