"""A publication's files: who may download them, how they are sent, and the monthly download
counts (counted once per client, document and day)."""

from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cress_site.clients import client_address
from cress_site.files import send_file
from cress_site.models import CustomDocument
from cress_site.visibility import in_private_collection, is_editor


class DownloadCount(models.Model):
    """How many times a publication's document was downloaded, per month."""

    publication = models.ForeignKey(
        "publications.PublicationPage",
        verbose_name="publication",
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        CustomDocument,
        verbose_name="document",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    month = models.DateField("mois")
    count = models.PositiveIntegerField("téléchargements", default=0)

    class Meta:
        verbose_name = "relevé mensuel de téléchargements"
        verbose_name_plural = "relevés mensuels de téléchargements"
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "document", "month"], name="unique_download_count_per_month"
            )
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self):
        return f"{self.publication} – {self.month:%m/%Y} : {self.count}"

    @classmethod
    def record(cls, publication, document, request=None):
        """Add one download for this month, safely when several arrive at once.

        Given the request, a download counts only once per client and document and per day
        (see `is_first_download_today`), and a HEAD request never counts.
        """
        if request is not None and not is_first_download_today(request, document):
            return
        month = timezone.localdate().replace(day=1)
        lookup = {"publication": publication, "document": document, "month": month}
        if cls.objects.filter(**lookup).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(**lookup, count=1)
        except IntegrityError:
            cls.objects.filter(**lookup).update(count=F("count") + 1)


def is_first_download_today(request, document):
    """Whether this GET is the client's first download of `document` today.

    A client is its address and its browser's User-Agent. Nothing of them is stored: the shared
    cache holds a keyed hash (HMAC with SECRET_KEY) of them, the document and the date, until
    midnight. Without Redis, each worker keeps its own: a client may then count once per
    worker.
    """
    if request.method != "GET":
        return False
    today = timezone.localdate()
    client = "\x1f".join(
        [client_address(request), request.headers.get("User-Agent", ""), str(document.pk)]
    )
    digest = salted_hmac(
        "publications.download", f"{client}\x1f{today.isoformat()}", algorithm="sha256"
    ).hexdigest()
    midnight = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    seconds = max(1, int((midnight - timezone.now()).total_seconds()))
    return cache.add(f"download:{digest}", True, seconds)


def may_download(document, request=None):
    """Whether a file of a publication may be sent to whoever sees the publication's page.

    The page itself has been checked (live, and its view restrictions passed) by the time its
    download routes answer; the file must also sit in no private collection
    (cress_site.visibility), unless an editor asks.
    """
    if document is None:
        return False
    return is_editor(request) or not in_private_collection(document, request)


def serve_download(request, publication, document, filename):
    """Send a publication's document as an attachment named `filename` (plus its extension),
    and count it (see `DownloadCount.record`)."""
    response = send_file(
        request,
        document.file.storage,
        document.file.name,
        attachment=True,
        filename=f"{filename}.{document.file_extension.lower()}",
        content_type="application/pdf" if document.is_pdf else document.content_type,
    )
    DownloadCount.record(publication, document, request)
    response["X-Robots-Tag"] = "noindex"
    return response
