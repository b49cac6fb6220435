"""Security headers, and the production settings against Django's deployment checks."""

import base64
import hashlib
import re
from pathlib import Path

import pytest

from tests.cress_site.test_production import production

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_public_pages_get_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*);", policy).group(1).split()
    assert script_src[0] == "'self'"
    assert len(script_src) == 2 and script_src[1].startswith("'sha256-")
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_only_inline_script_is_the_one_the_policy_allows_by_its_hash(client):
    for url in ("/", "/contact/", "/collectivites-soutenir-lentrepreneuriat-dess/"):
        response = client.get(url)
        content = response.content.decode()
        inline = []
        for script in content.split("<script")[1:]:
            head, _, rest = script.partition(">")
            if 'src="' not in head and 'type="application/ld+json"' not in head:
                inline.append(rest.split("</script>")[0])
        assert len(inline) == 1
        digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
        assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
        assert inline[0] == 'document.documentElement.classList.replace("no-js","js")'
        assert " style=" not in content


def test_admin_gets_its_own_policy(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_admin_asks_no_other_host_for_avatars(admin_client):
    """Wagtail draws avatars from gravatar.com unless told not to."""
    content = admin_client.get("/admin/").content.decode()
    assert "avatar" in content
    assert "gravatar" not in content


def test_production_settings_pass_the_deployment_checks():
    result = production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
