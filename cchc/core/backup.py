"""Back up the database and the uploaded files to one archive, and restore it.

The archive is a .tar.gz holding, in this order:

    manifest.json             what is inside: versions, applied migrations, row counts per
                              model, the SHA-256 of the database file and of every media file
    database/data.jsonl       the database as Django's portable dump (one object a line), or
    database/data.pgdump      PostgreSQL's custom format (`backup_create(use_pg_dump=True)`)
    media/<path>              every file under MEDIA_ROOT

The portable dump keeps every primary key and includes the content types and permissions,
so a restore is an exact copy: the destination is emptied (the rows `migrate` seeded there
are replaced by the backup's own) and loaded in one transaction, on SQLite or PostgreSQL
whichever the source was. See docs/operations-backup.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.errors import DomainError

FORMAT = "cchc-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP_FILE = "database/data.jsonl"
PG_DUMP_FILE = "database/data.pgdump"
MEDIA_DIR = "media"
# Logged-in sessions are not data: a restored installation asks everyone to log in again.
EXCLUDED_MODELS = {"sessions.session"}
_CHUNK = 1024 * 1024
_BATCH = 2000


@dataclass
class RestoreSummary:
    created_at: str
    cchc_version: str
    source_vendor: str
    method: str
    rows: int
    models: int
    files: int
    bytes: int
    replaced_existing: bool = False
    notes: list[str] = field(default_factory=list)


def backup_create(*, path: Path, use_pg_dump: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive at `path` and return its manifest.

    The rows are read in one read-only snapshot (`_snapshot`), so the dump, the row counts and, with
    `use_pg_dump`, pg_dump's snapshot are one consistent state of the database. The files
    are read after the database: a file uploaded meanwhile is included without its row,
    never the reverse. The archive appears at `path` only once complete.
    """
    path = Path(path)
    connection = connections[using]
    if use_pg_dump:
        if connection.vendor != "postgresql":
            raise DomainError(_("--pg-dump chỉ dùng được với cơ sở dữ liệu PostgreSQL."), code="not_postgres")
        if not shutil.which("pg_dump"):
            raise DomainError(
                _("Không tìm thấy chương trình pg_dump; cài gói postgresql-client hoặc bỏ --pg-dump."),
                code="no_pg_dump",
            )
    with tempfile.TemporaryDirectory(prefix="cchc-backup-") as tmp:
        work = Path(tmp)
        db_name = PG_DUMP_FILE if use_pg_dump else DUMP_FILE
        db_file = work / db_name
        db_file.parent.mkdir(parents=True)
        with _snapshot(connection, using):
            counts = _row_counts(using)
            migrations = _applied_migrations(using)
            if use_pg_dump:
                _pg_dump(connection, db_file)
            else:
                _dump_database(db_file, using)
        media = _media_files()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "cchc_version": _cchc_version(),
            "django_version": django.get_version(),
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": connection.vendor,
                "method": "pg_dump" if use_pg_dump else "dumpdata",
                "file": db_name,
                "size": db_file.stat().st_size,
                "sha256": _sha256(db_file),
            },
            "migrations": migrations,
            "counts": counts,
            "media": [{"path": rel, "size": size, "sha256": digest} for rel, size, digest in media],
        }
        partial = path.with_name(path.name + ".partial")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Readable by the service account only: the archive holds citizens' personal data.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
                tar.add(db_file, arcname=db_name, recursive=False)
                root = Path(settings.MEDIA_ROOT)
                for rel, _size, _digest in media:
                    tar.add(root / rel, arcname=f"{MEDIA_DIR}/{rel}", recursive=False)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def backup_restore(*, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> RestoreSummary:
    """Restore the archive at `path` onto an empty installation.

    Nothing is written before the whole archive is checked (manifest, the database file's
    and every media file's SHA-256). The database must hold no unit and no user unless
    `force`: then all its rows are deleted and replaced by the backup's. The portable dump
    is loaded in one transaction — the destination emptied, the rows loaded, the sequences
    reset, every model's row count compared with the manifest and the media files copied —
    so a failure leaves the database as it was. A pg_dump backup goes through pg_restore
    in a single transaction, then `migrate` brings it to this version's schema.
    """
    path = Path(path)
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as tmp:
        work = Path(tmp)
        manifest = _extract_checked(path, work)
        database = manifest["database"]
        if database["method"] == "pg_dump" and connection.vendor != "postgresql":
            raise DomainError(
                _("Bản sao lưu dạng pg_dump chỉ khôi phục được vào PostgreSQL."), code="needs_postgres"
            )
        if database["method"] == "pg_dump" and not shutil.which("pg_restore"):
            raise DomainError(
                _("Không tìm thấy chương trình pg_restore (gói postgresql-client)."), code="no_pg"
            )
        existing = _existing_content(using)
        if existing and not force:
            units, users = existing
            raise DomainError(
                _(
                    "Cơ sở dữ liệu đích đã có dữ liệu (%(units)s đơn vị, %(users)s tài khoản). Chỉ khôi phục "
                    "vào một cài đặt trống. Nếu chắc chắn muốn xóa toàn bộ dữ liệu hiện có và thay bằng bản "
                    "sao lưu, chạy lại với --force."
                )
                % {"units": units, "users": users},
                code="not_empty",
            )
        notes = []
        if database["method"] == "pg_dump":
            _check_not_newer(manifest, using)
            _pg_restore(connection, work / database["file"])
            mismatches = _count_mismatches(manifest["counts"], using, raw=True)
            call_command("migrate", interactive=False, verbosity=0, database=using)
            _copy_media(manifest, work)
            if mismatches:
                raise DomainError(
                    _("Đã khôi phục nhưng số bản ghi không khớp bản sao lưu: %(list)s.")
                    % {"list": "; ".join(mismatches)},
                    code="count_mismatch",
                )
        else:
            call_command("migrate", interactive=False, verbosity=0, database=using)
            _check_same_schema(manifest, using)
            with transaction.atomic(using=using):
                _empty_database(connection)
                _load_dump(work / database["file"], using)
                _reset_sequences(connection, using)
                mismatches = _count_mismatches(manifest["counts"], using)
                if mismatches:
                    raise DomainError(
                        _(
                            "Số bản ghi sau khi nạp không khớp bản sao lưu (%(list)s). Đã hủy khôi phục, "
                            "cơ sở dữ liệu không thay đổi."
                        )
                        % {"list": "; ".join(mismatches)},
                        code="count_mismatch",
                    )
                _copy_media(manifest, work)
        if existing:
            notes.append(_("Dữ liệu có trước trong cơ sở dữ liệu đã được thay bằng dữ liệu của bản sao lưu."))
    return RestoreSummary(
        created_at=manifest["created_at"],
        cchc_version=manifest["cchc_version"],
        source_vendor=database["vendor"],
        method=database["method"],
        rows=sum(manifest["counts"].values()),
        models=len(manifest["counts"]),
        files=len(manifest["media"]),
        bytes=sum(item["size"] for item in manifest["media"]),
        replaced_existing=bool(existing),
        notes=notes,
    )


# --- backup ---------------------------------------------------------------------------


@contextmanager
def _snapshot(connection, using):
    """One read transaction that sees a single state of the database while writers go on.

    PostgreSQL: REPEATABLE READ, read-only. SQLite: a DEFERRED transaction, whose first
    read fixes its snapshot of the WAL file (the IMMEDIATE transactions that
    `transaction.atomic` opens here would hold the write lock for the whole backup).
    """
    if connection.vendor != "sqlite":
        with transaction.atomic(using=using, durable=True):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.in_atomic_block:
        raise RuntimeError("A backup must not run inside a transaction.")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # nothing was written


def _backed_up_models(using):
    """Concrete models stored in this database, with the implicit many-to-many tables."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED_MODELS:
            continue
        if router.allow_migrate_model(using, model):
            yield model


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder rounds them to the millisecond."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _dump_database(target: Path, using) -> None:
    """What `dumpdata --all --format=jsonl` writes, with exact times, one model at a time.

    Every row through the base manager (whatever a default manager hides), the implicit
    many-to-many tables inside their owners' rows (prefetched, not one query a row).
    """
    with open(target, "w", encoding="utf-8") as out:
        for model in _backed_up_models(using):
            if model._meta.auto_created:
                continue
            m2m = [f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
            rows = model._base_manager.using(using).order_by(model._meta.pk.name).prefetch_related(*m2m)
            serializers.serialize("jsonl", rows.iterator(chunk_size=2000), stream=out, cls=_ExactJSONEncoder)


def _row_counts(using) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in sorted(_backed_up_models(using), key=lambda m: m._meta.label_lower)
    }


def _applied_migrations(using) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _pg_dump(connection, target: Path) -> None:
    """pg_dump in custom format, reading the snapshot of our open transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    command = [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--snapshot={snapshot}",
        "--exclude-table-data=django_session",
        f"--file={target}",
    ]
    _run_pg(command, connection)


def _media_files() -> list[tuple[str, int, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for directory, _dirs, files in os.walk(root):
        for name in files:
            full = Path(directory) / name
            if full.is_symlink() or not full.is_file():
                continue
            rel = full.relative_to(root).as_posix()
            found.append((rel, full.stat().st_size, _sha256(full)))
    return sorted(found)


def _cchc_version() -> str:
    try:
        return importlib.metadata.version("cchc")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- restore --------------------------------------------------------------------------


def _extract_checked(path: Path, work: Path) -> dict:
    """Extract the archive into `work` and check it against its manifest, or refuse."""
    unreadable = DomainError(
        _("Không đọc được %(path)s: đây không phải bản sao lưu của cchc hoặc tệp đã hỏng.") % {"path": path},
        code="unreadable",
    )
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar.getmembers():
                name = PurePosixPath(member.name)
                if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                    raise unreadable
            tar.extractall(work, filter="data")
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, tarfile.TarError, EOFError, ValueError) as error:
        raise unreadable from error
    if manifest.get("format") != FORMAT:
        raise unreadable
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DomainError(
            _("Bản sao lưu theo định dạng phiên bản %(v)s, phiên bản này chỉ đọc được định dạng %(ours)s.")
            % {"v": manifest.get("format_version"), "ours": FORMAT_VERSION},
            code="format_version",
        )
    database = manifest["database"]
    expected = [(database["file"], database["sha256"])]
    expected += [(f"{MEDIA_DIR}/{item['path']}", item["sha256"]) for item in manifest["media"]]
    for name, digest in expected:
        file = work / name
        if not file.is_file():
            raise DomainError(
                _("Bản sao lưu bị hỏng: thiếu tệp %(name)s. Không khôi phục gì.") % {"name": name},
                code="corrupt",
            )
        if _sha256(file) != digest:
            raise DomainError(
                _("Bản sao lưu bị hỏng: tệp %(name)s không khớp mã kiểm tra SHA-256. Không khôi phục gì.")
                % {"name": name},
                code="corrupt",
            )
    return manifest


def _existing_content(using) -> tuple[int, int] | None:
    """(units, users) when the database already holds either, else None."""
    from django.contrib.auth import get_user_model

    from cchc.orgs.models import OrgUnit

    tables = set(connections[using].introspection.table_names())
    user_model = get_user_model()
    units = OrgUnit.objects.using(using).count() if OrgUnit._meta.db_table in tables else 0
    users = user_model.objects.using(using).count() if user_model._meta.db_table in tables else 0
    return (units, users) if units or users else None


def _check_same_schema(manifest: dict, using) -> None:
    """The portable dump loads only into the schema it was taken from."""
    ours = set(_applied_migrations(using))
    theirs = set(manifest["migrations"])
    if ours != theirs:
        raise DomainError(
            _(
                "Bản sao lưu được tạo bởi cchc %(version)s với cấu trúc dữ liệu khác phiên bản đang cài "
                "(%(newer)s di trú chỉ có trong bản sao lưu, %(older)s chỉ có ở đây). Cài đúng cchc "
                "%(version)s, khôi phục, rồi nâng cấp."
            )
            % {"version": manifest["cchc_version"], "newer": len(theirs - ours), "older": len(ours - theirs)},
            code="schema_mismatch",
        )


def _check_not_newer(manifest: dict, using) -> None:
    """pg_restore, then `migrate`, brings an older backup up to date, never a newer one down."""
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(connections[using]).disk_migrations}
    unknown = set(manifest["migrations"]) - known
    if unknown:
        raise DomainError(
            _(
                "Bản sao lưu được tạo bởi cchc %(version)s, mới hơn phiên bản đang cài (%(n)s di trú chưa "
                "có ở đây). Cài cchc %(version)s rồi khôi phục."
            )
            % {"version": manifest["cchc_version"], "n": len(unknown)},
            code="schema_newer",
        )


def _empty_database(connection) -> None:
    """Delete every row, including what `migrate` seeded: the backup brings its own."""
    statements = sql_flush(no_style(), connection, reset_sequences=False, allow_cascade=False)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _load_dump(file: Path, using) -> None:
    """What `loaddata` does, in batches: a model's consecutive rows go in one INSERT.

    The rows are inserted raw, as `loaddata` saves them: every value as dumped, including
    the `auto_now` timestamps and the primary keys. The file is read as UTF-8 whatever the
    locale. Foreign keys are checked once at the end (they are deferred meanwhile).
    """
    connection = connections[using]
    batch: list = []
    with_m2m = []

    def insert_batch():
        if not batch:
            return
        model = type(batch[0])
        fields = model._meta.local_concrete_fields
        size = max(1, connection.ops.bulk_batch_size(fields, batch))
        for start in range(0, len(batch), size):
            model._base_manager.using(using)._insert(
                batch[start : start + size], fields=fields, raw=True, using=using
            )
        batch.clear()

    with connection.constraint_checks_disabled(), open(file, encoding="utf-8") as stream:
        for obj in serializers.deserialize("jsonl", stream, using=using, handle_forward_references=True):
            if obj.deferred_fields or obj.object._meta.parents:  # natural keys, multi-table models
                insert_batch()
                obj.save(using=using)
                if obj.deferred_fields:
                    obj.save_deferred_fields(using=using)
                continue
            if batch and (type(batch[0]) is not type(obj.object) or len(batch) >= _BATCH):
                insert_batch()
            batch.append(obj.object)
            if obj.m2m_data:
                with_m2m.append(obj)
        insert_batch()
        for obj in with_m2m:
            for accessor, ids in obj.m2m_data.items():
                getattr(obj.object, accessor).set(ids)
    connection.check_constraints()


def _reset_sequences(connection, using) -> None:
    """PostgreSQL's id sequences start after the loaded ids (what `sqlsequencereset` prints)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(_backed_up_models(using)))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _count_mismatches(expected: dict[str, int], using, *, raw: bool = False) -> list[str]:
    connection = connections[using]
    mismatches = []
    for label, count in expected.items():
        try:
            model = apps.get_model(label)
        except LookupError:  # a model this version no longer has (pg_dump of an older version)
            continue
        if raw:  # after pg_restore, before migrate: the tables are the backup's
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
                got = cursor.fetchone()[0]
        else:
            got = model._base_manager.using(using).count()
        if got != count:
            mismatches.append(f"{label}: {got} ≠ {count}")
    return mismatches


def _copy_media(manifest: dict, work: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    for item in manifest["media"]:
        target = root / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / MEDIA_DIR / item["path"], target)


def _pg_restore(connection, file: Path) -> None:
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(file),
    ]
    _run_pg(command, connection, with_dbname=False)


def _run_pg(command: list[str], connection, *, with_dbname: bool = True) -> None:
    params = connection.settings_dict
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    if with_dbname:
        env["PGDATABASE"] = params["NAME"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise DomainError(
            _("%(program)s thất bại: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-2000:]},
            code="pg_failed",
        )
