"""Issue 10, bug 11: "/invoices/" said "All statuses" but showed only invoices
issued in the last three months (drafts invisible); the batch-issue button showed
with nothing to pick; the pipeline counted drafts the list did not show."""

from __future__ import annotations

import pytest

from maille.contracts.tests.helpers import lines
from maille.invoicing import services
from maille.invoicing.tests.test_pages_and_scoping import issued

pytestmark = pytest.mark.django_db


def _draft(member, activity, client):
    return services.invoice_create(
        activity=activity, client=client, acting_user=member.user, lines=lines(("1", "10"))
    )


def test_the_default_list_shows_drafts(as_camille, camille, camille_activity, client_qc):
    draft = _draft(camille, camille_activity, client_qc)
    page = as_camille.get("/invoices/").content.decode()
    assert f"/invoices/{draft.pk}/" in page


def test_the_pipeline_counts_the_drafts_the_list_shows(
    as_camille, camille, camille_activity, client_qc
):
    drafts = [_draft(camille, camille_activity, client_qc) for _ in range(2)]
    pipeline = as_camille.get(f"/activities/{camille_activity.pk}/pipeline/").content.decode()
    assert "2 factures en brouillon" in pipeline
    page = as_camille.get(f"/invoices/?activity={camille_activity.pk}").content.decode()
    for draft in drafts:
        assert f"/invoices/{draft.pk}/" in page


def test_the_batch_button_shows_only_with_drafts_to_pick(
    as_sylvie, camille, camille_activity, client_qc, sylvie
):
    issued(camille, camille_activity, client_qc, sylvie)
    assert "Émettre les brouillons choisis" not in as_sylvie.get("/invoices/").content.decode()
    _draft(camille, camille_activity, client_qc)
    assert "Émettre les brouillons choisis" in as_sylvie.get("/invoices/").content.decode()


def test_a_status_filter_is_obeyed(as_sylvie, camille, camille_activity, client_qc, sylvie):
    draft = _draft(camille, camille_activity, client_qc)
    page = as_sylvie.get("/invoices/?status=issued").content.decode()
    assert f"/invoices/{draft.pk}/" not in page
