"""Writes of payroll, one import for the pages, the API, the CLI and the tasks.

The writes live by concern: ``requests`` (employment records, salary
requests), ``runs`` (preparing, approving, previewing a pay run), ``posting``
(posting a run and reversing a payslip), ``rendering`` (payslip PDFs and their
emails, after the run), ``bankfile`` (the CPA-005 file, returned deposits) and
``remittances``. This module only gathers them.
"""

from __future__ import annotations

from maille.payroll.posting import (
    CHUNK,
    payrun_post,
    payrun_resume,
    payslip_entry,
    payslip_reverse,
)
from maille.payroll.requests import (
    MAX_HOURS,
    MAX_REQUEST,
    MAX_SPREAD,
    MEMBER_FIELDS,
    STAFF_FIELDS,
    employment_record_of,
    employment_record_update,
    salary_request_cancel,
    salary_request_create,
)
from maille.payroll.runs import (
    Computed,
    Preview,
    compute_requests,
    payrun_approve,
    payrun_prepare,
    payrun_preview,
    run_requests,
)

__all__ = [
    "CHUNK",
    "MAX_HOURS",
    "MAX_REQUEST",
    "MAX_SPREAD",
    "MEMBER_FIELDS",
    "STAFF_FIELDS",
    "Computed",
    "Preview",
    "compute_requests",
    "employment_record_of",
    "employment_record_update",
    "payrun_approve",
    "payrun_post",
    "payrun_prepare",
    "payrun_preview",
    "payrun_resume",
    "payslip_entry",
    "payslip_reverse",
    "run_requests",
    "salary_request_cancel",
    "salary_request_create",
]
