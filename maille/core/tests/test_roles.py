import pytest

from maille.conftest import REAL_PASSWORD_HASHERS
from maille.core.models import Role, User

pytestmark = pytest.mark.django_db


def test_staff_and_admin_status_follow_the_role(camille, sylvie, anne, nathalie):
    assert not camille.user.is_staff and not camille.user.is_superuser
    assert sylvie.is_staff and not sylvie.is_superuser
    assert anne.is_staff and anne.is_superuser
    assert not nathalie.is_staff


def test_staff_may_work_on_members_but_not_change_roles(sylvie):
    assert sylvie.has_perm("members.change_member")
    assert sylvie.has_perm("clients.add_client")
    assert not sylvie.has_perm("core.change_user")


def test_members_and_clients_have_no_admin_permission(camille, nathalie):
    assert not camille.user.has_perm("members.view_member")
    assert not nathalie.has_module_perms("clients")


def test_an_inactive_admin_has_no_permission(anne):
    anne.is_active = False
    assert not anne.has_perm("members.change_member")


def test_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = REAL_PASSWORD_HASHERS
    user = User.objects.create_user("x@maille.test", "a-long-password-1", role=Role.MEMBER)
    assert user.password.startswith("argon2")


def test_the_admin_site_is_for_staff_only(as_camille, as_sylvie):
    assert as_camille.get("/admin/").status_code == 302  # to the admin login
    assert as_sylvie.get("/admin/").status_code == 200
    assert as_sylvie.get("/admin/members/member/").status_code == 200
    assert as_sylvie.get("/admin/core/user/add/").status_code == 403
