"""Issue 10, bug 7: a withdrawn quote read "Démissionnaire" (a member who resigned)."""

from __future__ import annotations

from django.utils import translation

from maille.contracts.models import QuoteStatus
from maille.members.models import MemberStatus


def test_a_withdrawn_quote_is_retiree_and_a_member_still_resigns():
    with translation.override("fr"):
        assert str(QuoteStatus.WITHDRAWN.label) == "Retirée"
        assert str(MemberStatus.WITHDRAWN.label) == "Démissionnaire"
