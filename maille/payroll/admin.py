"""The co-op's payroll settings in the admin: admins edit them, staff read them.

The project's ``User.has_perm`` gives staff every permission of the apps in
``STAFF_APPS``, payroll included (they run the pay runs). The employer
figures are a co-op setting, the admins' (ARCHITECTURE §1), so this admin
asks for ``is_superuser`` to add, change or delete one.
"""

from __future__ import annotations

from django.contrib import admin

from maille.core.admin_tools import AdminsEditAdmin
from maille.payroll.models import (
    EasterChoice,
    EmployerPayrollSettings,
    MinimumWage,
    PayrollOperationsSettings,
)


class AdminsEdit(AdminsEditAdmin):
    """A dated payroll setting: admins may also delete a row entered by mistake."""

    admins_may_delete = True


@admin.register(EmployerPayrollSettings)
class EmployerPayrollSettingsAdmin(AdminsEdit):
    list_display = (
        "valid_from",
        "cnesst_unit_code",
        "cnesst_unit_label",
        "cnesst_rate",
        "fss_sector",
        "total_payroll",
        "wsdrf_applies",
    )
    fields = (
        "valid_from",
        ("cnesst_unit_code", "cnesst_unit_label"),
        "cnesst_rate",
        "fss_sector",
        "total_payroll",
        "wsdrf_applies",
        "note",
    )


@admin.register(PayrollOperationsSettings)
class PayrollOperationsSettingsAdmin(AdminsEdit):
    list_display = ("valid_from", "first_pay_date", "vacation_pay", "rq_remitter_type")


@admin.register(MinimumWage)
class MinimumWageAdmin(AdminsEdit):
    list_display = ("valid_from", "hourly", "source")


@admin.register(EasterChoice)
class EasterChoiceAdmin(AdminsEdit):
    """The co-op's yearly Easter holiday (LNT art. 60): admins choose, staff read."""

    list_display = ("valid_from", "holiday", "source")
    fields = ("valid_from", "holiday", "source")
