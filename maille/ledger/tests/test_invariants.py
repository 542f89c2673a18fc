"""Random sequences of postings, reversals, replays and period closings never
break an invariant of the ledger (hypothesis state machine).

After every step: every entry balances, the trial balance is zero, the
running balances equal the lines (``ledger_problems``), and each balance
equals the one a plain Python model of the same operations expects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from maille.core.models import Role, User
from maille.ledger.accounts import CHART
from maille.ledger.exceptions import PeriodError, PostingError
from maille.ledger.models import JournalEntry, JournalLine
from maille.ledger.selectors import balance, ledger_problems, trial_balance
from maille.ledger.services import (
    LineSpec,
    entry_post,
    entry_reverse,
    period_close,
    period_reopen,
)
from maille.members.models import Activity

CODES = [code for code, *_ in CHART]
MONTHS = [dt.date(2026, m, 1) for m in range(1, 7)]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 6, 30))


class LedgerMachine(RuleBasedStateMachine):
    entries = Bundle("entries")

    def __init__(self) -> None:
        super().__init__()
        # Each run works inside a savepoint of the test's transaction, undone
        # at teardown, so runs do not see each other's rows.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.activities: list[Activity] = [
            *Activity.objects.filter(code__in=["COOP", "FONDS"]),
            *(
                Activity.objects.create(code=code, name=code, start_date=dt.date(2026, 1, 1))
                for code in ("HYP-A", "HYP-B")
            ),
        ]
        self.staff = User.objects.create_user("hyp-staff@maille.test", role=Role.STAFF)
        self.admin = User.objects.create_user("hyp-admin@maille.test", role=Role.ADMIN)
        self.expected: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
        self.closed: set[dt.date] = set()
        self.reversed: dict[int, int] = {}
        self.n = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _key(self) -> str:
        self.n += 1
        return f"machine:{self.n}"

    def _counts(self) -> tuple[int, int]:
        return JournalEntry.objects.count(), JournalLine.objects.count()

    @rule(
        target=entries,
        date=days,
        data=st.data(),
        size=st.integers(min_value=1, max_value=4),
    )
    def post_entry(self, date: dt.date, data: st.DataObject, size: int) -> object:
        lines = []
        for _ in range(size):
            amount = data.draw(amounts) * data.draw(st.sampled_from([1, -1]))
            lines.append(
                LineSpec(
                    account=data.draw(st.sampled_from(CODES)),
                    activity=data.draw(st.sampled_from(self.activities)),
                    amount=amount,
                )
            )
        total = sum((ln.amount for ln in lines), Decimal(0))
        if total:
            lines.append(
                LineSpec(
                    account=data.draw(st.sampled_from(CODES)),
                    activity=data.draw(st.sampled_from(self.activities)),
                    amount=-total,
                )
            )
        before = self._counts()
        key = self._key()
        if date.replace(day=1) in self.closed or len(lines) < 2:
            with pytest.raises(PostingError):
                entry_post(
                    date=date,
                    description="random",
                    lines=lines,
                    idempotency_key=key,
                    acting_user=self.staff,
                )
            assert self._counts() == before
            return multiple()
        entry = entry_post(
            date=date,
            description="random",
            lines=lines,
            idempotency_key=key,
            acting_user=self.staff,
        )
        for ln in lines:
            self.expected[(ln.account, ln.activity.pk)] += ln.amount
        assert self._counts() == (before[0] + 1, before[1] + len(lines))
        return entry

    @rule(data=st.data())
    def post_a_bad_entry(self, data: st.DataObject) -> None:
        a, b = self.activities[0], self.activities[1]
        lines = data.draw(
            st.sampled_from(
                [
                    [],
                    [LineSpec("1000", a, Decimal("10.00")), LineSpec("4000", b, Decimal("-9.99"))],
                    [LineSpec("1000", a, Decimal("0.00")), LineSpec("4000", b, Decimal("0.00"))],
                    [LineSpec("1000", a, Decimal("1.00")), LineSpec("0000", b, Decimal("-1.00"))],
                ]
            )
        )
        before = self._counts()
        with pytest.raises(PostingError) as exc:
            entry_post(
                date=dt.date(2026, 7, 1),
                description="bad",
                lines=lines,
                idempotency_key=self._key(),
                acting_user=None,
            )
        assert exc.value.problems
        assert self._counts() == before

    @rule(entry=entries)
    def replay(self, entry: JournalEntry) -> None:
        before = self._counts()
        again = entry_post(
            date=entry.date,
            description="replay",
            lines=[],
            idempotency_key=entry.idempotency_key,
            acting_user=None,
        )
        assert again.pk == entry.pk
        assert self._counts() == before

    @rule(entry=entries, delay=st.integers(min_value=0, max_value=40))
    def reverse(self, entry: JournalEntry, delay: int) -> None:
        date = entry.date + dt.timedelta(days=delay)
        before = self._counts()
        if entry.pk in self.reversed:
            again = entry_reverse(entry=entry, date=date, acting_user=self.staff, reason="again")
            assert again.pk == self.reversed[entry.pk]
            assert self._counts() == before
            return
        if date.replace(day=1) in self.closed:
            with pytest.raises(PostingError):
                entry_reverse(entry=entry, date=date, acting_user=self.staff, reason="mistake")
            assert self._counts() == before
            return
        reversal = entry_reverse(entry=entry, date=date, acting_user=self.staff, reason="mistake")
        self.reversed[entry.pk] = reversal.pk
        for ln in entry.lines.select_related("account"):
            self.expected[(ln.account.code, ln.activity_id)] -= ln.amount

    @rule(month=st.sampled_from(MONTHS))
    def close_period(self, month: dt.date) -> None:
        if month in self.closed:
            with pytest.raises(PeriodError):
                period_close(month=month, acting_user=self.staff)
        else:
            period_close(month=month, acting_user=self.staff)
            self.closed.add(month)

    @rule(month=st.sampled_from(MONTHS))
    def reopen_period(self, month: dt.date) -> None:
        if month in self.closed:
            period_reopen(month=month, acting_user=self.admin, reason="correction")
            self.closed.discard(month)
        else:
            with pytest.raises(PeriodError):
                period_reopen(month=month, acting_user=self.admin, reason="correction")

    @invariant()
    def nothing_derived_differs_from_the_lines(self) -> None:
        assert ledger_problems() == []

    @invariant()
    def the_trial_balance_is_zero(self) -> None:
        tb = trial_balance()
        assert tb.total_debit == tb.total_credit

    @invariant()
    def balances_are_what_the_model_expects(self) -> None:
        by_pair = {
            (code, activity_id): balance(
                account=code, activity=next(a for a in self.activities if a.pk == activity_id)
            )
            for code, activity_id in self.expected
        }
        assert by_pair == {k: v.quantize(Decimal("0.01")) for k, v in self.expected.items()}
        assert balance() == Decimal("0.00")


@pytest.mark.django_db
def test_no_sequence_of_operations_breaks_the_ledger():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
