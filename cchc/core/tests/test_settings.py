"""Production mode: `check --deploy` is clean and the secret key is never the test one."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_manage(args, env_extra, tmp_path):
    env = {
        k: v for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    env |= {"CCHC_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)} | env_extra
    return subprocess.run(
        [sys.executable, "-c", "from cchc.manage import main; main()", *args],
        env=env, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "0", "SECRET_KEY": "x" * 20 + "a-long-random-production-key-9f8e7d6c5b4a",
         "ALLOWED_HOSTS": "cchc.example.gov.vn"},
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_secret_key_a_random_one_is_kept_in_var(tmp_path):
    result = run_manage(["check"], {"DEBUG": "0"}, tmp_path)
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_collectstatic_works_in_production_mode(tmp_path):
    """whitenoise's manifest storage refuses a CSS/JS file that references a missing file."""
    result = run_manage(
        ["collectstatic", "--noinput", "-v0"],
        {"DEBUG": "0", "SECRET_KEY": "k" * 50, "STATIC_ROOT": str(tmp_path / "static")},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
