"""Guest bookings cancelled before the late-cancellation charge existed for guests.

Until now a guest's cancelled booking was never invoiced, and its ``refund``
stayed 0. The staff list of bookings to invoice now reads a cancelled guest
booking with ``price > refund`` as one cancelled late whose charge is due:
without this step every old cancellation would appear there at full price.
They keep what they were: nothing to invoice (refund = price).
"""

from django.db import migrations
from django.db.models import F


def nothing_due(apps, schema_editor):
    Booking = apps.get_model("coworking", "Booking")
    Booking.objects.filter(
        status="cancelled", activity__isnull=True, invoice__isnull=True, refund=0
    ).update(refund=F("price"))


class Migration(migrations.Migration):
    dependencies = [("coworking", "0002_no_double_booking")]
    operations = [migrations.RunPython(nothing_due, migrations.RunPython.noop)]
