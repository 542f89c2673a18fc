"""With production settings, Django's deployment checklist reports nothing."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_reports_nothing():
    env = {
        **os.environ,
        "MAILLE_PRODUCTION": "1",
        "SECRET_KEY": "x" * 20 + "-production-secret-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "maille.example",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": "postgres://maille@db.example:5432/maille",  # production runs on PostgreSQL
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "MAILLE_PRODUCTION": "1", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    env = {
        **os.environ,
        "MAILLE_PRODUCTION": "1",
        "SECRET_KEY": "s" * 60,
        "FIELD_ENCRYPTION_KEYS": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_a_malformed_encryption_key_fails_the_deploy_check():
    env = {
        **os.environ,
        "MAILLE_PRODUCTION": "1",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "maille.example",
        "FIELD_ENCRYPTION_KEYS": "not-a-key",
        "DATABASE_URL": "sqlite:////tmp/maille-deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "maille.E002" in result.stderr + result.stdout
