"""Clients (donneurs d'ouvrage): whom the co-op supplies on a member's behalf.

Clients are shared across the co-op: any member may invoice an existing
client. The address's province or country will decide the sales taxes (place
of supply), so a Canadian client must have a province.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maille.core.models import Language, Province
from maille.core.validators import format_gst_number, format_qst_number


class ClientKind(models.TextChoices):
    BUSINESS = "business", _("Business")
    PUBLIC = "public", _("Public body")
    INDIVIDUAL = "individual", _("Individual")


class Client(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ClientKind.choices, default=ClientKind.BUSINESS
    )
    street = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CA")
    gst_number = models.CharField(_("GST/HST number"), max_length=15, blank=True)
    qst_number = models.CharField(_("QST number"), max_length=16, blank=True)
    neq = models.CharField(_("Québec enterprise number (NEQ)"), max_length=10, blank=True)
    language = models.CharField(
        _("language of documents"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    notes = models.TextField(_("notes (staff only)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["legal_name"]
        constraints = [
            # Place of supply needs the province of a Canadian address.
            models.CheckConstraint(
                condition=~models.Q(country="CA") | ~models.Q(province=""),
                name="client_canadian_needs_province",
            ),
        ]
        indexes = [
            models.Index(fields=["gst_number"]),
            models.Index(fields=["postal_code"]),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def business_number(self) -> str:
        return self.gst_number[:9]

    @property
    def gst_display(self) -> str:
        return format_gst_number(self.gst_number)

    @property
    def qst_display(self) -> str:
        return format_qst_number(self.qst_number)

    @property
    def is_abroad(self) -> bool:
        return self.country != "CA"


class ClientContact(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("role or title"), max_length=100, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    # A contact with a portal login sees their client's documents, nothing else.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_contact",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
