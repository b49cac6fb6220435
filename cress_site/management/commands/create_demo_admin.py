"""Create the demo site's administrator once, and print how to log in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".admin-credentials"


class Command(BaseCommand):
    help = (
        "Crée le compte administrateur du site de démonstration (s'il n'existe pas) et affiche "
        "ses identifiants. Le mot de passe est tiré au hasard et gardé dans .admin-credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@cress-normandie.example")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username=username, email=email, password=password, first_name="Admin"
            )
            CREDENTIALS_FILE.write_text(f"{username}\n{password}\n", encoding="utf-8")
            CREDENTIALS_FILE.chmod(0o600)
        elif CREDENTIALS_FILE.exists():
            saved_username, _, saved_password = CREDENTIALS_FILE.read_text().partition("\n")
            if saved_username == username and user.check_password(saved_password.strip()):
                password = saved_password.strip()

        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
        self.stdout.write(self.style.SUCCESS(f"Administration : {admin_url}"))
        self.stdout.write(f"  identifiant : {username}")
        if password:
            self.stdout.write(f"  mot de passe : {password}")
        else:
            self.stdout.write(
                "  mot de passe : celui que vous avez choisi "
                f"(pour le changer : python manage.py changepassword {username})"
            )
