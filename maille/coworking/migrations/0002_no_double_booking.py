"""No double booking, enforced by PostgreSQL: an exclusion constraint.

Two active bookings of one resource may not overlap on ``[start,
blocked_until)`` (the end plus the buffer; touching ranges are allowed:
the ranges are half-open). ``btree_gist`` lets one GiST index combine the
resource's equality with the ranges' overlap.

On SQLite there is no such constraint: the booking service checks for an
overlap inside its write transaction, and SQLite runs write transactions one
at a time (``transaction_mode = IMMEDIATE``), which gives the same result.
The constraint is added here, not in the model's ``Meta``, so the SQLite
schema never carries PostgreSQL-only SQL.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func, Q

NAME = "coworking_booking_no_overlap"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def constraint() -> ExclusionConstraint:
    return ExclusionConstraint(
        name=NAME,
        expressions=[
            ("resource", RangeOperators.EQUAL),
            (TsTzRange("start", "blocked_until", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=Q(status="active"),
    )


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_constraint(apps.get_model("coworking", "Booking"), constraint())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_constraint(apps.get_model("coworking", "Booking"), constraint())


class Migration(migrations.Migration):
    dependencies = [("coworking", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add, remove),
    ]
