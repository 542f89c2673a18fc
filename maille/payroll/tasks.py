"""Slow payroll work, run by task workers after commit, each job defined beside
the work it runs: posting a run (``posting``), rendering its PDFs
(``rendering``). Named here too, where callers and jobs queued before they
moved find them."""

from __future__ import annotations

from maille.payroll.posting import payrun_post_job
from maille.payroll.rendering import payslip_pdfs_job

__all__ = ["payrun_post_job", "payslip_pdfs_job"]
