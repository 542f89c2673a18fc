"""When an advance's salary was paid (the fund page's observed delay), recorded
from now on by a payroll hook; the advances made before are filled in here
from the payslips already posted."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Advance = apps.get_model("guarantee", "Advance")
    Payslip = apps.get_model("payroll", "Payslip")
    first_pay = (
        Payslip.objects.filter(
            activity_id=OuterRef("activity_id"),
            status="posted",
            pay_date__gte=OuterRef("advanced_on"),
        )
        .order_by("pay_date")
        .values("pay_date")[:1]
    )
    Advance.objects.filter(salary_paid_on__isnull=True).update(salary_paid_on=Subquery(first_pay))


class Migration(migrations.Migration):
    dependencies = [
        ("guarantee", "0002_advances_account_and_policy"),
        ("payroll", "0013_payslip_overtime"),
    ]

    operations = [
        migrations.AddField(
            model_name="advance",
            name="salary_paid_on",
            field=models.DateField(blank=True, null=True, verbose_name="salary paid on"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
