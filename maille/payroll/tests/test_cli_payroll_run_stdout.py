"""``maille payroll run --json`` prints one JSON object and nothing else, even
with the embedded default's console mailer (posting emails every payslip)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as project_settings
from django.core import mail
from django.core.management import call_command

from maille.payroll.models import Payslip
from maille.payroll.tests.test_cli_payroll_run import KEYS, requests_waiting  # noqa: F401

pytestmark = pytest.mark.django_db

CONSOLE = "maille.core.mail_console.StderrEmailBackend"


def test_the_embedded_default_prints_emails_to_stderr():
    """Settings loaded as ``maille up`` loads them (no SMTP host): an email sent
    leaves standard output empty."""
    env = {k: v for k, v in os.environ.items() if k not in ("SMTP_HOST", "MAILLE_PRODUCTION")}
    env["DJANGO_SETTINGS_MODULE"] = "maille.settings"
    code = (
        "import django; django.setup();"
        "from django.core.mail import send_mail;"
        "send_mail('Bulletin de paie', 'Corps', 'a@maille.coop', ['b@maille.coop'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout == ""
    assert "Subject: Bulletin de paie" in done.stderr


def test_run_json_stdout_is_one_object_while_payslips_are_emailed(
    requests_waiting,  # noqa: F811
    anne,
    settings,
    capsys,
    django_capture_on_commit_callbacks,
):
    settings.MAILERS = {"default": {"BACKEND": CONSOLE}}
    # As in a real run: what posting leaves for after commit (PDFs, emails) runs.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("payroll", "run", "--pay-date", "2026-01-22", "--json")
    out, err = capsys.readouterr()
    assert Payslip.objects.filter(sent_at__isnull=False).count() == 2  # the emails went out
    assert err.count("Subject:") == 2
    data = json.loads(out)  # the whole of standard output
    assert list(data) == KEYS
    assert mail.outbox == []
