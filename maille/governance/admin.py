"""The by-law settings in the admin: dated rows that admins add, staff read.

Like the payroll settings (``maille/payroll/admin.py``), adding or changing a
row asks for ``is_superuser``: the by-laws are the admins' (ARCHITECTURE §1).
Other governance rows are written by the services only; the admin shows them.
"""

from __future__ import annotations

from django.contrib import admin

from maille.core.admin_tools import AdminsEditAdmin
from maille.governance.models import Bylaws


@admin.register(Bylaws)
class BylawsAdmin(AdminsEditAdmin):  # a by-law row is replaced by a later one
    list_display = (
        "valid_from",
        "share_price",
        "qualifying_shares_worker",
        "qualifying_shares_auxiliary",
        "instalments_allowed",
        "notice_days",
        "quorum_percent",
        "redemption_allowed",
    )
