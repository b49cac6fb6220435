"""Security headers Django 5.2 does not send by itself."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response.

    Public pages get the strict policy (`CONTENT_SECURITY_POLICY`: no inline script, nothing from
    another host); the Wagtail admin, which ships inline scripts and styles of its own, gets
    `CONTENT_SECURITY_POLICY_ADMIN`. A view may set its own header; it is then left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = ("/admin/", "/django-admin/")

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith(self.admin_prefixes) or self._is_preview(request):
                policy = settings.CONTENT_SECURITY_POLICY_ADMIN
            else:
                policy = settings.CONTENT_SECURITY_POLICY
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    @staticmethod
    def _is_preview(request):
        return getattr(request, "is_preview", False)
