"""Invoice status derived from payments (issue 11): ``partially_paid`` and
``written_off``, the cached ``amount_paid`` / ``amount_written_off``, no more
``paid_at``. An invoice marked paid by hand before had no payment behind it
and nothing in the ledger: it is owed again until a payment is recorded."""

from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def unmark_paid(apps, schema_editor):
    apps.get_model("invoicing", "Invoice").objects.filter(status="paid").update(status="issued")


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0002_initial'),
        ('contracts', '0001_initial'),
        ('invoicing', '0003_list_indexes'),
        ('members', '0002_coop_activities'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(unmark_paid, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='invoice',
            name='invoice_status_valid',
        ),
        migrations.RemoveIndex(
            model_name='invoice',
            name='invoice_open_due',
        ),
        migrations.RemoveField(
            model_name='historicalinvoice',
            name='paid_at',
        ),
        migrations.AddField(
            model_name='historicalinvoice',
            name='amount_paid',
            field=models.DecimalField(decimal_places=2, default=Decimal('0.00'), editable=False, max_digits=14, verbose_name='paid'),
        ),
        migrations.AddField(
            model_name='historicalinvoice',
            name='amount_written_off',
            field=models.DecimalField(decimal_places=2, default=Decimal('0.00'), editable=False, max_digits=14, verbose_name='written off'),
        ),
        migrations.AddField(
            model_name='invoice',
            name='amount_paid',
            field=models.DecimalField(decimal_places=2, default=Decimal('0.00'), editable=False, max_digits=14, verbose_name='paid'),
        ),
        migrations.AddField(
            model_name='invoice',
            name='amount_written_off',
            field=models.DecimalField(decimal_places=2, default=Decimal('0.00'), editable=False, max_digits=14, verbose_name='written off'),
        ),
        migrations.AlterField(
            model_name='historicalinvoice',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('issued', 'Issued'), ('partially_paid', 'Partially paid'), ('paid', 'Paid'), ('written_off', 'Written off')], default='draft', max_length=14, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='invoice',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('issued', 'Issued'), ('partially_paid', 'Partially paid'), ('paid', 'Paid'), ('written_off', 'Written off')], default='draft', max_length=14, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(condition=models.Q(('kind', 'invoice'), ('status__in', ['issued', 'partially_paid'])), fields=['due_date'], include=('kind', 'status', 'subtotal', 'tax_total', 'total'), name='invoice_open_due'),
        ),
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'issued', 'partially_paid', 'paid', 'written_off'])), name='invoice_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(('amount_paid__gte', 0), ('amount_written_off__gte', 0), ('amount_paid__lte', models.F('total'))), name='invoice_settled_within_total'),
        ),
        migrations.RemoveField(
            model_name='invoice',
            name='paid_at',
        ),
    ]
