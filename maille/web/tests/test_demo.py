import pytest
from django.core.management import CommandError, call_command

from maille.clients.models import Client
from maille.core.models import User
from maille.members.models import Activity, Member, MemberStatus

pytestmark = pytest.mark.django_db


def test_the_demo_co_op_has_every_kind_of_person(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    for login in ("admin@maille.coop", "conseil@maille.coop", "camille@exemple.ca"):
        assert login in out
        assert User.objects.get(email=login).check_password("maille-demo")
    assert set(Member.objects.values_list("status", flat=True)) == set(MemberStatus.values)
    provinces = set(Client.objects.values_list("province", flat=True))
    assert {"QC", "ON", "NS", "AB", ""} <= provinces
    assert Client.objects.exclude(country="CA").exists()
    assert Activity.objects.filter(owners__isnull=False).count() >= 5


def test_loading_the_demo_twice_changes_nothing(capsys):
    call_command("demo")
    counts = (User.objects.count(), Client.objects.count())
    call_command("demo")
    assert (User.objects.count(), Client.objects.count()) == counts


def test_the_generator_is_deterministic():
    call_command("demo", "--members", "30", "--clients", "40", "--seed", "7")
    first = list(Member.objects.order_by("number").values_list("user__last_name", "status"))
    clients = list(Client.objects.order_by("legal_name").values_list("legal_name", flat=True))
    assert len(first) == 30 and len(clients) == 40
    assert Activity.objects.filter(owners__isnull=False).count() == 30
    # The same seed gives the same people: rebuild from scratch and compare.
    Activity.owners.through.objects.all().delete()
    Activity.objects.exclude(code__in=["COOP", "FONDS"]).delete()
    Member.history.all().delete()
    for member in Member.objects.all():
        member.status_changes.all().delete()
    Member.objects.all().delete()
    User.objects.all().delete()
    Client.objects.all().delete()
    call_command("demo", "--members", "30", "--clients", "40", "--seed", "7")
    again = list(Member.objects.order_by("number").values_list("user__last_name", "status"))
    assert again == first
    assert (
        list(Client.objects.order_by("legal_name").values_list("legal_name", flat=True)) == clients
    )


def test_the_generator_refuses_to_run_twice_with_the_same_seed():
    call_command("demo", "--members", "3", "--seed", "9")
    with pytest.raises(CommandError, match="already exist"):
        call_command("demo", "--members", "3", "--seed", "9")


def test_the_generator_prints_progress(capsys):
    call_command("demo", "--members", "5", "--seed", "3")
    assert "members: 5/5 (100 %)" in capsys.readouterr().err


def test_the_demo_co_op_has_invoices_and_balanced_books(capsys):
    from maille.invoicing.models import Invoice
    from maille.ledger.models import JournalLine

    call_command("demo")
    assert Invoice.objects.exclude(number="").exists()
    assert sum(JournalLine.objects.values_list("amount", flat=True)) == 0
    call_command("ledger", "verify")  # raises (exit non-zero) on any difference


def test_the_generator_adds_invoices_and_books_for_the_synthetic_co_op(capsys):
    from maille.invoicing.models import Invoice
    from maille.ledger.models import JournalEntry

    call_command(
        "demo",
        "--members",
        "10",
        "--clients",
        "10",
        "--invoices",
        "25",
        "--ledger-months",
        "1",
        "--seed",
        "5",
    )
    assert Invoice.objects.count() >= 25
    assert JournalEntry.objects.exists()
    call_command("ledger", "verify")
