import pytest

from maille.members.models import Activity, ActivityStatus

pytestmark = pytest.mark.django_db


def test_a_member_opens_an_activity_they_own(as_camille, camille):
    response = as_camille.post(
        "/activities/new/", {"name": "Ateliers", "start_date": "2026-02-01", "description": ""}
    )
    activity = Activity.objects.get(name="Ateliers")
    assert response.status_code == 302
    assert list(activity.owners.all()) == [camille]
    assert activity.code.startswith("A")


def test_an_end_date_before_the_start_is_refused(as_camille):
    response = as_camille.post(
        "/activities/new/",
        {"name": "Ateliers", "start_date": "2026-02-01", "end_date": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Activity.objects.filter(name="Ateliers").exists()


def test_staff_open_a_collective_activity(as_sylvie, camille, jerome):
    response = as_sylvie.post(
        "/activities/new/",
        {"name": "Collectif", "start_date": "2026-02-01", "owners": [camille.pk, jerome.pk]},
    )
    assert response.status_code == 302
    assert Activity.objects.get(name="Collectif").owners.count() == 2


def test_both_owners_of_a_collective_activity_see_it(as_camille, as_jerome, camille, jerome):
    from maille.members.services import activity_create

    activity = activity_create(name="Duo", owners=[camille, jerome], acting_user=None)
    assert as_camille.get(f"/activities/{activity.pk}/").status_code == 200
    assert as_jerome.get(f"/activities/{activity.pk}/").status_code == 200


def test_a_closed_activity_cannot_be_edited(as_camille, camille_activity):
    camille_activity.status = ActivityStatus.CLOSED
    camille_activity.save()
    response = as_camille.post(
        f"/activities/{camille_activity.pk}/edit/", {"name": "X", "start_date": "2026-01-01"}
    )
    assert response.status_code == 200
    camille_activity.refresh_from_db()
    assert camille_activity.name != "X"


def test_the_coop_activities_exist(db):
    assert set(
        Activity.objects.filter(code__in=["COOP", "FONDS"]).values_list("kind", flat=True)
    ) == {
        "coop",
        "fund",
    }
