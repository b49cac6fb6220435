"""Background work of the directory: an import asked for in the admin.

The uploaded files are kept in the private storage (never public) until the task has read
them: a worker on another machine reads them from there (object storage in production),
copied to a temporary folder, then deleted.
"""

import contextlib
import logging
import shutil
import tempfile
from pathlib import Path

from django.core.files.storage import storages
from django.utils import timezone

from django_tasks import task

from directory.importers import ImportFailed, run_import
from directory.models import ImportRun

logger = logging.getLogger(__name__)

UPLOAD_FOLDER = "annuaire-imports"


@task()
def import_uploaded_files(run_id, source, names, partial=False):
    """Import the files `names` of the private storage into the run `run_id`."""
    run = ImportRun.objects.filter(pk=run_id).first()
    storage = storages["private"]
    try:
        if run is None:
            return
        with tempfile.TemporaryDirectory(prefix="cress-annuaire-") as folder:
            paths = []
            for name in names:
                path = Path(folder) / Path(name).name
                with storage.open(name, "rb") as source_file, open(path, "wb") as target:
                    shutil.copyfileobj(source_file, target, 1024 * 1024)
                paths.append(path)
            with contextlib.suppress(ImportFailed):  # the run says why
                run_import(source, paths, partial=partial, run=run, user=run.user)
    except Exception:
        logger.exception("Directory import %s failed", run_id)
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED,
            error="Erreur inattendue pendant l'import : rien n'a été importé.",
            finished_at=timezone.now(),
        )
        raise
    finally:
        for name in names:
            storage.delete(name)
