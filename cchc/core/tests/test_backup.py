"""An administrator backs up the installation, loses it, and restores it from the archive:
every record and every uploaded file comes back, byte for byte; a damaged archive or a
database that is not empty is refused before anything is written.

Transactional tests: the backup reads in its own (durable) transaction and the restore
runs `migrate`; each test first puts back the rows the migrations seeded (feedback kinds,
survey templates, calendars), which an earlier transactional test may have flushed away.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from cchc.core.backup import _row_counts, backup_create, backup_restore
from cchc.core.errors import DomainError
from cchc.core.tests.seeds import restore_migration_seeds
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.factories import make_procedure, receive
from cchc.feedback.models import Feedback, FeedbackAttachment
from cchc.feedback.tests.factories import submit, vn
from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.tests.factories import make_province, make_unit

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def installation(media):
    """A province with its users, a citizen's feedback with a PDF and a dossier at the desk."""
    restore_migration_seeds()
    province = make_province()
    feedback = submit(
        province.office_a,
        at=vn(2025, 10, 6),
        attachments=[SimpleUploadedFile("Biên lai học phí.pdf", PDF)],
    )
    dossier = receive(province.office_a, make_procedure(), actor=province.desk_officer, at=vn(2025, 10, 7))
    return province, feedback, dossier


def lose_everything(media):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def media_files(media) -> dict[str, bytes]:
    return {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}


def test_restore_brings_back_every_record_and_file(installation, media, tmp_path):
    province, feedback, dossier = installation
    feedback.refresh_from_db()
    counts_before, files_before = _row_counts("default"), media_files(media)
    archive = tmp_path / "cchc.tar.gz"

    manifest = backup_create(path=archive)
    assert archive.stat().st_mode & 0o077 == 0  # personal data: the service account's only
    lose_everything(media)
    assert not OrgUnit.objects.exists() and not media.exists()
    summary = backup_restore(path=archive)

    assert _row_counts("default") == counts_before == manifest["counts"]
    assert media_files(media) == files_before
    assert summary.rows == sum(counts_before.values()) and summary.files == len(files_before) == 1
    restored = Feedback.objects.get(pk=feedback.pk)
    fields = ["code", "topic", "received_at", "due_at", "status", "created_at", "updated_at"]
    assert [getattr(restored, f) for f in fields] == [getattr(feedback, f) for f in fields]
    attachment = FeedbackAttachment.objects.get(feedback=restored)
    assert attachment.original_name == "Biên lai học phí.pdf"
    assert attachment.file.read() == PDF
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert Dossier.objects.get(pk=dossier.pk).code == dossier.code
    officer = get_user_model().objects.get(username="vg.motcua")
    assert officer.check_password("demo")
    # New rows get fresh ids (PostgreSQL's sequences were reset past the loaded ones).
    assert make_unit("Phòng Thanh tra", UnitKind.DIVISION, OrgUnit.objects.get(pk=province.department.pk)).pk


def test_damaged_archive_is_refused_and_nothing_is_loaded(installation, media, tmp_path):
    archive, damaged = tmp_path / "cchc.tar.gz", tmp_path / "damaged.tar.gz"
    backup_create(path=archive)
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data.replace(b"Catalog", b"Catalag")  # one flipped letter, same size
            target.addfile(member, io.BytesIO(data))
    lose_everything(media)

    with pytest.raises(DomainError, match="không khớp mã kiểm tra SHA-256. Không khôi phục gì.") as refused:
        backup_restore(path=damaged)

    assert refused.value.code == "corrupt"
    assert not OrgUnit.objects.exists() and not get_user_model().objects.exists()
    assert not Feedback.objects.exists() and not media.exists()


def test_restore_onto_a_database_in_use_is_refused_unless_forced(installation, media, tmp_path):
    province, feedback, _dossier = installation
    archive = tmp_path / "cchc.tar.gz"
    backup_create(path=archive)
    make_unit("Phòng mới thêm sau sao lưu", UnitKind.DIVISION, province.department)

    with pytest.raises(DomainError, match="Chỉ khôi phục vào một cài đặt trống") as refused:
        backup_restore(path=archive)
    assert refused.value.code == "not_empty"
    assert OrgUnit.objects.filter(name="Phòng mới thêm sau sao lưu").exists()

    summary = backup_restore(path=archive, force=True)
    assert summary.replaced_existing
    assert not OrgUnit.objects.filter(name="Phòng mới thêm sau sao lưu").exists()
    assert Feedback.objects.get(pk=feedback.pk).code == feedback.code


def test_commands_print_a_summary_in_vietnamese(installation, media, tmp_path):
    archive = tmp_path / "cchc.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Đã sao lưu" in out.getvalue() and "1 tệp" in out.getvalue()
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["cchc_version"] and manifest["django_version"]
    assert [item["sha256"] for item in manifest["media"]] == [hashlib.sha256(PDF).hexdigest()]

    lose_everything(media)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Đã khôi phục bản sao lưu" in out.getvalue()
    assert "số bản ghi từng bảng khớp bản sao lưu" in out.getvalue()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL only")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs the PostgreSQL client programs")
def test_pg_dump_backup_restores_onto_an_empty_database(installation, media, tmp_path):
    _province, feedback, _dossier = installation
    counts_before = _row_counts("default")
    archive = tmp_path / "cchc-pg.tar.gz"

    manifest = backup_create(path=archive, use_pg_dump=True)
    assert manifest["database"]["method"] == "pg_dump"
    lose_everything(media)
    backup_restore(path=archive)

    assert _row_counts("default") == counts_before
    assert FeedbackAttachment.objects.get(feedback_id=feedback.pk).file.read() == PDF
    assert make_unit("Phòng sau khôi phục", UnitKind.DIVISION, OrgUnit.objects.get(code="HY")).pk
