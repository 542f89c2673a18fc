"""People who log in, and their role.

One user model for every role (member, staff, admin, client contact). The role
is the single source of truth: ``is_staff`` and ``is_superuser`` are derived
from it so they can never disagree with it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    STAFF = "staff", _("Staff")
    ADMIN = "admin", _("Administrator")
    CLIENT = "client", _("Client contact")


class Province(models.TextChoices):
    QC = "QC", _("Québec")
    ON = "ON", _("Ontario")
    NB = "NB", _("New Brunswick")
    NS = "NS", _("Nova Scotia")
    PE = "PE", _("Prince Edward Island")
    NL = "NL", _("Newfoundland and Labrador")
    MB = "MB", _("Manitoba")
    SK = "SK", _("Saskatchewan")
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    YT = "YT", _("Yukon")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["role"] = Role.ADMIN
        extra.pop("is_superuser", None)
        extra.pop("is_staff", None)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_staff(self) -> bool:
        """Staff and admins reach the back office and the Django admin."""
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_superuser(self) -> bool:  # type: ignore[override]
        """Replaces PermissionsMixin's column, so it cannot drift from the role."""
        return self.role == Role.ADMIN

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER

    @property
    def is_client_contact(self) -> bool:
        return self.role == Role.CLIENT

    def has_perm(self, perm: str, obj: object = None) -> bool:
        if not self.is_active:
            return False
        if self.role == Role.ADMIN:
            return True
        if self.role == Role.STAFF:
            # Staff run the co-op's daily work; roles and co-op settings are
            # the admins' (ARCHITECTURE §1).
            app_label = perm.split(".", 1)[0]
            return perm not in STAFF_DENIED_PERMS and app_label in STAFF_APPS
        return False

    def has_perms(self, perm_list: Any, obj: object = None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        if not self.is_active:
            return False
        if self.role == Role.ADMIN:
            return True
        return self.role == Role.STAFF and app_label in STAFF_APPS


STAFF_APPS = frozenset({"members", "clients", "core", "ledger", "payroll"})
STAFF_DENIED_PERMS = frozenset(
    {"core.add_user", "core.delete_user", "core.change_user", "members.delete_member"}
)


class Counter(models.Model):
    """A named sequence (member numbers, activity codes).

    ``core.sequences.counter_next`` locks the row for the length of the
    caller's transaction, so two people admitted at the same instant never get
    the same number.
    """

    name = models.CharField(max_length=50, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
