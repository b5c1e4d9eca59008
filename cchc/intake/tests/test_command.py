"""`cchc import-plan FILE [--json]`: the importer's dry run from the command line."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SEEDS = Path("/work/shared/seeds")
SEED_FILES = sorted(SEEDS.glob("*.txt"))
needs_seeds = pytest.mark.skipif(not SEED_FILES, reason="the seed documents are not on this machine")
CONTRACT_KEYS = {"plan", "indicators", "tasks", "reporting"}


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


@needs_seeds
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name[:3])
def test_json_output_is_the_draft_contract(path):
    output = run(str(path), "--json")

    draft = json.loads(output)
    assert set(draft) == CONTRACT_KEYS
    assert "\\u" not in output  # Vietnamese stays readable
    assert isinstance(draft["tasks"], list) and isinstance(draft["plan"], dict)


@needs_seeds
def test_the_summary_is_in_vietnamese():
    output = run(str(SEED_FILES[0]))

    assert f"Tệp: {SEED_FILES[0].name} (text," in output
    for label in ("Tiêu đề:", "Cơ quan ban hành:", "Chỉ tiêu:", "Nhiệm vụ:", "Chế độ báo cáo:"):
        assert label in output


def test_a_missing_file_is_a_command_error():
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("/nonexistent/ke-hoach.docx")


def test_an_unreadable_file_is_a_command_error_with_the_readers_message(tmp_path):
    fake = tmp_path / "ke-hoach.docx"
    fake.write_text("KẾ HOẠCH", encoding="utf-8")

    with pytest.raises(CommandError, match="Nội dung tệp không khớp với phần mở rộng “.docx”."):
        run(str(fake))


def test_a_file_that_is_not_a_plan_creates_nothing(tmp_path):
    letter = tmp_path / "cong-van.txt"
    letter.write_text("Kính gửi: các trường\nĐề nghị các đơn vị gửi báo cáo.", encoding="utf-8")

    with pytest.raises(CommandError, match="Không nhận ra cấu trúc kế hoạch trong tệp."):
        run(str(letter), "--json")


def test_a_huge_file_is_refused_from_its_size_alone(tmp_path, settings):
    settings.CCHC_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    huge = tmp_path / "ke-hoach.pdf"
    with huge.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)

    with pytest.raises(CommandError, match=r"Tệp quá lớn \(50 MB\); tối đa 20 MB\."):
        run(str(huge))


@needs_seeds
def test_the_hyphenated_command_name_works_from_the_shell(tmp_path):
    cchc = Path(sys.executable).with_name("cchc")
    result = subprocess.run([str(cchc), "import-plan", str(SEED_FILES[1]), "--json"],
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) == CONTRACT_KEYS


def test_an_error_from_the_shell_is_a_message_and_exit_code_1_not_a_traceback(tmp_path):
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    cchc = Path(sys.executable).with_name("cchc")

    result = subprocess.run([str(cchc), "import-plan", str(empty)], capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 1
    assert "Tệp không có nội dung." in result.stderr
    assert "Traceback" not in result.stderr
