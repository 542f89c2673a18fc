"""The demo books obey the ledger's rules, and generating twice posts nothing."""

from __future__ import annotations

import pytest

from maille.demo import ledger as demo
from maille.ledger.models import JournalEntry, JournalLine
from maille.ledger.selectors import ledger_problems, trial_balance
from maille.members.models import Activity

pytestmark = pytest.mark.django_db


def test_generate_posts_books_for_every_open_member_activity(camille_activity, jerome_activity):
    calls = []
    posted = demo.generate(seed=3, months=6, progress=lambda done, total: calls.append(done))
    assert posted == 2 * 6 * 4
    assert JournalLine.objects.count() == 2 * 6 * 14
    assert calls == [2]
    assert ledger_problems() == []
    tb = trial_balance()
    assert tb.total_debit == tb.total_credit
    assert demo.generate(seed=3, months=6) == 0
    assert JournalEntry.objects.count() == posted


def test_the_small_demo_has_three_months_of_books(camille_activity, sylvie):
    assert demo.load_small(sylvie) == 12
    assert Activity.objects.get(pk=camille_activity.pk).ledger_lines.count() == 3 * 12
    assert ledger_problems() == []
