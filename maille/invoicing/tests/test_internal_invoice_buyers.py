"""The internal-invoice form offers only what the API accepts as buyer (ISSUE 8, finding 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.models import Invoice
from maille.members.models import COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE, Activity
from maille.tests_support import factories

pytestmark = pytest.mark.django_db


def test_the_form_lists_open_member_activities_only(as_camille, camille_activity, jerome_activity):
    closed = factories.ActivityFactory(name="Ancienne activité", status="closed")
    page = as_camille.get(f"/invoices/new/?activity={camille_activity.pk}")
    choices = set(page.context["form"].fields["buyer_activity"].queryset)
    assert jerome_activity in choices
    assert camille_activity not in choices  # an activity cannot invoice itself
    assert closed not in choices
    assert not {a.code for a in choices} & {COOP_ACTIVITY_CODE, FUND_ACTIVITY_CODE}


def test_the_form_refuses_the_co_ops_own_activities(as_camille, camille_activity):
    from maille.invoicing.tests.test_pages_and_scoping import line_post

    fonds = Activity.objects.get(code=FUND_ACTIVITY_CODE)
    response = as_camille.post(
        f"/invoices/new/?activity={camille_activity.pk}",
        line_post(buyer_activity=fonds.pk, payment_term_days="30", late_interest_rate="12"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Invoice.objects.exists()


def test_the_service_refuses_them_too(camille, camille_activity):
    coop = Activity.objects.get(code=COOP_ACTIVITY_CODE)
    with pytest.raises(ValidationError) as err:
        services.invoice_create_internal(
            activity=camille_activity,
            buyer_activity=coop,
            acting_user=camille.user,
            lines=lines(("1", "10.00")),
        )
    assert "buyer_activity" in err.value.message_dict
    assert not Invoice.objects.exists()
