"""A snapshot of the demo site's database and files, restored instead of rebuilt.

Browser tests share the database with the live server, so each one runs in a transactional
database that pytest-django flushes afterwards; building the demo site again for the next test
took about 5 s (pages, revisions, the search index, PDF covers and pictures), some six minutes
for the browser tests alone on each database. Django's `serialized_rollback` would not do:
it leaves out the search index's own tables and the uploaded files.

The first browser test builds the demo site and takes a snapshot; every later one restores it:
- SQLite (the test database in memory): the whole database through SQLite's backup API;
- PostgreSQL: each table's rows with `COPY … TO STDOUT`, restored with `TRUNCATE` then
  `COPY … FROM STDIN` in one transaction (Django's foreign keys are deferred to the commit),
  sequences set again from the snapshot;
- the uploaded files (FILES_ROOT: images, renditions, documents, the cache generation), copied
  aside and put back, since a test may replace or delete a file.
Content types are read again after a restore (Django caches them by id).
"""

import io
import shutil
import sqlite3
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


class DatabaseSnapshot:
    def __init__(self):
        self._sqlite = None
        self._tables = None  # PostgreSQL: [(table, bytes)]
        self._sequences = None  # PostgreSQL: [(sequence, last_value, is_called)]
        self._files = None

    @property
    def taken(self):
        return self._files is not None

    def take(self):
        if connection.vendor == "sqlite":
            self._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.ensure_connection()
            connection.connection.backup(self._sqlite)
        elif connection.vendor == "postgresql":
            self._take_postgresql()
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
            raise NotImplementedError(connection.vendor)
        self._files = Path(tempfile.mkdtemp(prefix="cress-test-snapshot-")) / "files"
        shutil.copytree(settings.FILES_ROOT, self._files, symlinks=True)

    def restore(self):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self._sqlite.backup(connection.connection)
        else:
            self._restore_postgresql()
        shutil.rmtree(settings.FILES_ROOT)
        shutil.copytree(self._files, settings.FILES_ROOT, symlinks=True)
        ContentType.objects.clear_cache()

    def _take_postgresql(self):
        tables = connection.introspection.table_names(include_views=False)
        self._tables = []
        with connection.cursor() as cursor:
            copy = cursor.cursor.copy
            for table in tables:
                buffer = io.BytesIO()
                with copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as out:
                    for chunk in out:
                        buffer.write(chunk)
                self._tables.append((table, buffer.getvalue()))
            cursor.execute(
                "SELECT schemaname, sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()"
            )
            self._sequences = cursor.fetchall()

    def _restore_postgresql(self):
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            names = ", ".join(quote(table) for table, _ in self._tables)
            cursor.execute(f"TRUNCATE {names} CASCADE")
            for table, data in self._tables:
                if data:
                    with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                        copy.write(data)
            for schema, sequence, last_value in self._sequences:
                name = f"{quote(schema)}.{quote(sequence)}"
                if last_value is None:  # never used: the next value is its start
                    cursor.execute("SELECT setval(%s::regclass, 1, false)", [name])
                else:
                    cursor.execute("SELECT setval(%s::regclass, %s, true)", [name, last_value])
