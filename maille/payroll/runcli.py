"""``maille payroll run`` and ``maille payroll bank-file``: the pay run for operators.

    maille payroll run --pay-date 2026-01-22 [--dry-run] [--json] [--as EMAIL]
    maille payroll bank-file RUN -o FILE [--sent]

``run`` prepares, approves and posts the run of that date from the approved
requests, then makes its bank file, acting as the co-op's first admin unless
``--as``. Run again for the same date, it prints the same run and adds
nothing. ``--dry-run`` computes the same figures and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from maille.core.models import Role, User
from maille.core.money import ZERO, money_str
from maille.payroll.bankfile import (
    NetPay,
    bank_file_create,
    bank_file_mark_sent,
    bank_file_total,
)
from maille.payroll.exceptions import PayrollError
from maille.payroll.models import BankFile, PayRun, RunKind, RunStatus
from maille.payroll.remittances import CRA_FIGURES, RQ_FIGURES
from maille.payroll.selectors import EMPLOYER_FIGURES, run_totals


def add_arguments(actions: Any) -> None:
    run = actions.add_parser(
        "run",
        help="prepare, approve and post the pay run of a pay date",
        description="Prepare, approve and post the pay run of a pay date from the approved "
        "salary requests, then make its CPA-005 bank file. Idempotent: run again, it prints "
        "the same run and adds nothing.",
    )
    run.add_argument("--pay-date", required=True, metavar="YYYY-MM-DD")
    run.add_argument("--dry-run", action="store_true", help="compute and print; write nothing")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.add_argument("--as", dest="as_email", metavar="EMAIL", help="act as this staff user")
    run.add_argument("--lang", choices=["fr", "en"], default="fr")
    bank = actions.add_parser("bank-file", help="write the CPA-005 bank file of a posted run")
    bank.add_argument("run_id", type=int, metavar="RUN")
    bank.add_argument("-o", "--output", required=True, metavar="FILE")
    bank.add_argument(
        "--sent", action="store_true", help="also record the file as sent to the bank"
    )
    bank.add_argument("--as", dest="as_email", metavar="EMAIL", help="act as this staff user")
    bank.add_argument("--lang", choices=["fr", "en"], default="fr")


def _acting(email: str | None) -> User:
    if email:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or not user.is_staff:
            raise CommandError(_("%(email)s is not an active staff user.") % {"email": email})
        return user
    user = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    if user is None:
        raise CommandError(_("The co-op has no admin to act as: give --as EMAIL."))
    return user


def _print(command: Any, totals: dict[str, object], as_json: bool) -> None:
    data = {k: (money_str(v) if isinstance(v, Decimal) else v) for k, v in totals.items()}
    if as_json:
        command.stdout.write(json.dumps(data))
        return
    for key, value in data.items():
        command.stdout.write(f"{key}: {value}")


def handle_run(command: Any, options: dict[str, Any]) -> None:
    from maille.payroll import services

    try:
        pay_date = dt.date.fromisoformat(options["pay_date"])
    except ValueError as exc:
        raise CommandError(
            _("--pay-date: give a date as YYYY-MM-DD, not %(value)s.")
            % {"value": options["pay_date"]}
        ) from exc
    user = _acting(options["as_email"])
    try:
        run = PayRun.objects.filter(pay_date=pay_date, kind=RunKind.REGULAR).first()
        if options["dry_run"]:
            _print(command, _dry_run(run, pay_date, user), options["json"])
            return
        run = services.payrun_prepare(pay_date=pay_date, acting_user=user)
        if run.status == RunStatus.DRAFT:
            services.payrun_approve(run=run, acting_user=user)
        if run.status != RunStatus.POSTED:

            def progress(done: int, total: int) -> None:
                if not options["json"]:
                    command.stderr.write(f"{done}/{total}")

            run = services.payrun_post(run=run, acting_user=user, progress=progress)
        bank_file_create(run=run, acting_user=user)
    except PayrollError as exc:
        raise CommandError("\n".join(exc.problems)) from exc
    _print(command, run_totals(run), options["json"])


def _dry_run(run: PayRun | None, pay_date: dt.date, user: User) -> dict[str, object]:
    from maille.payroll import services
    from maille.payroll.calendar import pay_period

    if run is not None and run.status == RunStatus.POSTED:
        return run_totals(run)
    if run is None:
        period = pay_period(pay_date)
        run = PayRun(
            pay_date=pay_date,
            kind=RunKind.REGULAR,
            year=pay_date.year,
            period=period.period,
            periods_per_year=period.periods_per_year,
            period_start=period.start,
            period_end=period.end,
            created_by=user,
        )
    preview = services.payrun_preview(run=run)
    totals = dict.fromkeys(("gross", "net", "employer", "rq", "cra"), ZERO)
    for c in preview.computed:
        f = c.fields
        totals["gross"] += f["gross"] + f["lump_sum"]
        totals["net"] += f["net"]
        totals["employer"] += sum((f[n] for n in EMPLOYER_FIGURES), ZERO)
        totals["rq"] += sum((f[n] for n in RQ_FIGURES), ZERO)
        totals["cra"] += sum((f[n] for n in CRA_FIGURES), ZERO)
    # The same computation as the real file: net pays, expense and supplier
    # credits, client refunds.
    pays = [NetPay(c.request.member, c.fields["net"]) for c in preview.computed]
    totals["bank"] = bank_file_total(run, pays)
    return {
        "run": run.pk,
        "payslips": len(preview.computed),
        "gross": totals["gross"],
        "net": totals["net"],
        "employer_contributions": totals["employer"],
        "remittance_rq": totals["rq"],
        "remittance_cra": totals["cra"],
        "bank_file_total": totals["bank"],
    }


def handle_bank_file(command: Any, options: dict[str, Any]) -> None:
    user = _acting(options["as_email"])
    run = PayRun.objects.filter(pk=options["run_id"]).first()
    if run is None:
        raise CommandError(_("There is no pay run %(id)s.") % {"id": options["run_id"]})
    try:
        bank_file = bank_file_create(run=run, acting_user=user)
        if options["sent"] and bank_file.sent_at is None:
            bank_file = bank_file_mark_sent(bank_file=bank_file, acting_user=user)
    except PayrollError as exc:
        raise CommandError("\n".join(exc.problems)) from exc
    # CRLF records as the bank expects them: no newline translation.
    with open(options["output"], "w", encoding="ascii", newline="") as out:
        out.write(bank_file.content)
    for entry in bank_file.excluded:
        command.stderr.write(_("Left out: %(name)s (%(member)s), %(net)s: %(reason)s") % entry)
    command.stdout.write(
        _("File %(n)04d: %(count)s credits, %(total)s → %(path)s")
        % {
            "n": bank_file.creation_number,
            "count": bank_file.count,
            "total": bank_file.total,
            "path": options["output"],
        }
    )


__all__ = ["BankFile", "add_arguments", "handle_bank_file", "handle_run"]
