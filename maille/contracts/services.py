"""Writes for quotes: draft, submit, validate, send, the client's decision, cancel.

Each service does the whole change in one transaction, names the acting user
in the audit trail and leaves the database unchanged when it raises. The PDF
put before the client is rendered *before* the transaction that freezes it,
and the email goes out after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.clients.models import Client
from maille.contracts.exceptions import ContractsError, QuoteNotEditable
from maille.contracts.lines import LineIn, clean_lines
from maille.contracts.models import (
    Decision,
    IpOption,
    Quote,
    QuoteDecision,
    QuoteMilestone,
    QuoteStatus,
    TrustedMember,
)
from maille.core.audit import set_actor
from maille.core.dates import near_today_problem
from maille.core.models import User
from maille.documents import links
from maille.documents.drafting import lock, term_problems, write_lines
from maille.documents.numbering import format_number, next_number
from maille.documents.sending import send_after_commit
from maille.members.models import Activity, Member

QUOTE_FIELDS = (
    "title",
    "quote_date",
    "valid_until",
    "start_date",
    "end_date",
    "deliverables",
    "payment_term_days",
    "late_interest_rate",
    "ip_option",
    "extra_clauses",
    "language",
)
LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "tax_treatment", "treatment_reason")


def _check_author(activity: Activity, author: Member, acting_user: User) -> None:
    if not activity.owners.filter(pk=author.pk).exists():
        raise ContractsError(_("The member must be an owner of the activity."))
    if not acting_user.is_staff and author.user_id != acting_user.pk:
        raise PermissionError
    if not activity.is_open:
        raise ContractsError(_("This activity is closed."))


def client_tax_problems(client: Client) -> list[str]:
    """What stops a client from being quoted or invoiced (place of supply)."""
    problems = []
    if client.country == "CA" and not client.province:
        problems.append(
            _("The client %(name)s has no province: it decides the sales taxes.")
            % {"name": client.legal_name}
        )
    return problems


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message))

    if "title" in fields:
        fields["title"] = str(fields["title"] or "").strip()
        if not fields["title"]:
            problem("title", _("Give the quote a title."))
    for name, message in term_problems(fields).items():
        problem(name, message)
    if fields.get("ip_option") and fields["ip_option"] not in IpOption.values:
        problem("ip_option", _("Not one of the allowed values."))
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        problem("end_date", _("The end date is before the start date."))
    quote_date, valid_until = fields.get("quote_date"), fields.get("valid_until")
    for name in ("quote_date", "valid_until", "start_date", "end_date"):
        far = near_today_problem(fields.get(name))
        if far:
            problem(name, far)
    if quote_date and valid_until and valid_until < quote_date:
        problem("valid_until", _("A quote cannot expire before its date."))
    if errors:
        raise ValidationError(errors)
    return fields


def _clean_milestones(milestones: list[dict[str, Any]]) -> list[dict[str, Any]]:
    total = Decimal(0)
    cleaned = []
    for i, m in enumerate(milestones):
        label = str(m.get("label") or "").strip()
        try:
            percent = Decimal(str(m.get("percent")))
        except ArithmeticError:
            percent = Decimal(-1)
        if not label or not (0 < percent <= 100):
            raise ValidationError(
                {
                    f"milestones.{i}": [
                        _("A milestone needs a label and a share between 0 and 100 %.")
                    ]
                }
            )
        far = near_today_problem(m.get("due_date"))
        if far:
            raise ValidationError({f"milestones.{i}.due_date": [far]})
        total += percent
        cleaned.append({"label": label, "percent": percent, "due_date": m.get("due_date")})
    if total > 100:
        raise ValidationError({"milestones": [_("The milestones add up to more than 100 %.")]})
    return cleaned


@transaction.atomic
def quote_create(
    *,
    activity: Activity,
    client: Client,
    author: Member,
    acting_user: User,
    title: str,
    lines: Sequence[LineIn],
    milestones: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Quote:
    """A draft quote. Payment term and late interest default to the co-op's."""
    unknown = set(fields) - set(QUOTE_FIELDS)
    if unknown:
        raise TypeError(f"unknown quote fields: {sorted(unknown)}")
    _check_author(activity, author, acting_user)
    problems = client_tax_problems(client)
    if problems:
        raise ValidationError({"client": problems})
    fields["title"] = title
    fields.setdefault("language", client.language)
    fields.setdefault("payment_term_days", settings.MAILLE_DEFAULT_PAYMENT_TERM_DAYS)
    fields.setdefault("late_interest_rate", Decimal(settings.MAILLE_DEFAULT_LATE_INTEREST_RATE))
    fields.setdefault("quote_date", timezone.localdate())
    fields = _clean_fields(fields)
    fields.setdefault("valid_until", fields["quote_date"] + dt.timedelta(days=30))
    cleaned = clean_lines(lines)
    cleaned_milestones = _clean_milestones(milestones or [])
    year = fields["quote_date"].year
    quote = Quote(
        number=format_number("S", year, next_number("S", year)),
        activity=activity,
        client=client,
        author=author,
        created_by=acting_user,
        **fields,
    )
    set_actor(quote, acting_user)
    quote.save()
    write_lines(quote, cleaned, fields=LINE_FIELDS)
    QuoteMilestone.objects.bulk_create(
        [QuoteMilestone(quote=quote, position=i, **m) for i, m in enumerate(cleaned_milestones)]
    )
    return quote


@transaction.atomic
def quote_update(
    *,
    quote: Quote,
    acting_user: User,
    lines: Sequence[LineIn] | None = None,
    milestones: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Quote:
    unknown = set(fields) - set(QUOTE_FIELDS)
    if unknown:
        raise TypeError(f"unknown quote fields: {sorted(unknown)}")
    quote = lock(quote)
    if not quote.is_editable:
        raise QuoteNotEditable(
            _("Quote %(n)s is %(s)s: it can no longer change.")
            % {"n": quote.number, "s": quote.get_status_display()}
        )
    if not acting_user.is_staff and quote.author.user_id != acting_user.pk:
        raise PermissionError
    merged = {f: getattr(quote, f) for f in QUOTE_FIELDS} | fields
    _clean_fields(merged)
    cleaned = clean_lines(lines) if lines is not None else None
    cleaned_milestones = _clean_milestones(milestones) if milestones is not None else None
    for name, value in fields.items():
        setattr(quote, name, value)
    set_actor(quote, acting_user)
    quote.save()
    if cleaned is not None:
        write_lines(quote, cleaned, fields=LINE_FIELDS)
    if cleaned_milestones is not None:
        quote.milestones.all().delete()
        QuoteMilestone.objects.bulk_create(
            [QuoteMilestone(quote=quote, position=i, **m) for i, m in enumerate(cleaned_milestones)]
        )
    return quote


def member_is_trusted(member: Member, client: Client) -> bool:
    return TrustedMember.objects.filter(member=member, client=client).exists()


def _set_status(quote: Quote, status: str, acting_user: User | None, **extra: Any) -> Quote:
    quote.status = status
    for name, value in extra.items():
        setattr(quote, name, value)
    set_actor(quote, acting_user)
    quote.save()
    return quote


@transaction.atomic
def quote_submit(*, quote: Quote, acting_user: User) -> Quote:
    """Send a draft to staff; a member trusted for this client skips validation."""
    quote = lock(quote)
    if quote.status != QuoteStatus.DRAFT:
        raise QuoteNotEditable(_("Only a draft can be submitted."))
    if not acting_user.is_staff and quote.author.user_id != acting_user.pk:
        raise PermissionError
    if not quote.lines.exists() or quote.subtotal <= 0:
        raise ContractsError(_("A quote must have at least one line and a total above zero."))
    problems = client_tax_problems(quote.client)
    if problems:
        raise ContractsError(" ".join(problems))
    if member_is_trusted(quote.author, quote.client):
        return _set_status(quote, QuoteStatus.APPROVED, acting_user, validated_at=timezone.now())
    return _set_status(quote, QuoteStatus.SUBMITTED, acting_user)


@transaction.atomic
def quote_validate(*, quote: Quote, acting_user: User) -> Quote:
    if not acting_user.is_staff:
        raise PermissionError
    quote = lock(quote)
    if quote.status != QuoteStatus.SUBMITTED:
        raise ContractsError(_("Only a quote awaiting validation can be validated."))
    return _set_status(
        quote,
        QuoteStatus.APPROVED,
        acting_user,
        validated_by=acting_user,
        validated_at=timezone.now(),
    )


@transaction.atomic
def quote_return_to_draft(*, quote: Quote, acting_user: User) -> Quote:
    """Staff send a quote back to its author, or the author takes it back, before it is sent."""
    quote = lock(quote)
    if quote.status not in (QuoteStatus.SUBMITTED, QuoteStatus.APPROVED):
        raise ContractsError(_("Only a quote not yet sent can go back to draft."))
    if not acting_user.is_staff and quote.author.user_id != acting_user.pk:
        raise PermissionError
    return _set_status(quote, QuoteStatus.DRAFT, acting_user, validated_by=None, validated_at=None)


def quote_send(*, quote: Quote, acting_user: User, email: bool = True) -> Quote:
    """Freeze the quote's PDF, open the acceptance link and email it to the client.

    The PDF is rendered before the transaction (slow work outside it); the
    transaction then checks the quote did not move in between.
    """
    from maille.contracts.documents import quote_pdf

    quote = Quote.objects.select_related("client", "activity", "author__user").get(pk=quote.pk)
    if quote.status not in (QuoteStatus.APPROVED, QuoteStatus.SENT):
        raise ContractsError(_("Only a validated quote can be sent."))
    _check_not_expired(quote)
    if email and not quote.client.contacts.exclude(email="").exists():
        # Never say "sent" when nobody was emailed: the link can still be
        # opened without email (email=False) and given to the client by hand.
        raise ContractsError(
            _(
                "The client has no contact to email the quote to: add a contact to the "
                "client, or open the link without email and give it to the client yourself."
            )
        )
    pdf = quote.document_pdf if quote.status == QuoteStatus.SENT else quote_pdf(quote)
    return _quote_mark_sent(
        quote=quote, acting_user=acting_user, pdf=bytes(pdf or b""), email=email
    )


@transaction.atomic
def _quote_mark_sent(*, quote: Quote, acting_user: User, pdf: bytes, email: bool) -> Quote:
    if not acting_user.is_staff and quote.author.user_id != acting_user.pk:
        raise PermissionError
    locked = lock(quote)
    if locked.status not in (QuoteStatus.APPROVED, QuoteStatus.SENT):
        raise ContractsError(_("Only a validated quote can be sent."))
    _check_not_expired(locked)
    if locked.status == QuoteStatus.APPROVED:
        locked.document_pdf = pdf
        locked.document_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.link_nonce = links.new_nonce()
    _set_status(locked, QuoteStatus.SENT, acting_user, sent_at=timezone.now())
    if email:
        send_after_commit(locked)
    return locked


def _check_not_expired(quote: Quote) -> None:
    """An expired quote cannot be accepted, so it is not sent either."""
    if quote.valid_until < timezone.localdate():
        raise ContractsError(
            _("This quote expired on %(d)s: it can no longer be sent.")
            % {"d": quote.valid_until.isoformat()}
        )


def quote_link_token(quote: Quote) -> str:
    return links.link_token(quote)


def quote_from_token(token: str) -> Quote:
    """The quote behind a link, or QuoteLinkInvalid for a tampered, expired or revoked one."""
    quote: Quote = links.document_from_token("quote", token)
    return quote


@transaction.atomic
def quote_link_revoke(*, quote: Quote, acting_user: User) -> Quote:
    quote = lock(quote)
    if quote.status != QuoteStatus.SENT:
        raise ContractsError(_("Only the link of a sent quote can be revoked."))
    links.revoke(quote, acting_user)
    return quote


@transaction.atomic
def quote_decide(
    *,
    quote: Quote,
    decision: str,
    signer_name: str,
    signer_role: str,
    document_sha256: str,
    ip_address: str | None,
    user_agent: str,
    reason: str = "",
) -> QuoteDecision:
    """The client accepts or refuses the exact document they saw (its SHA-256)."""
    errors: dict[str, list[str]] = {}
    signer_name, signer_role = signer_name.strip(), signer_role.strip()
    if not signer_name:
        errors["signer_name"] = [_("Give your name.")]
    if not signer_role:
        errors["signer_role"] = [_("Give your role or title.")]
    if len(signer_name) > 200 or len(signer_role) > 200 or len(reason) > 500:
        errors.setdefault("signer_name", []).append(_("This text is too long."))
    if decision not in Decision.values:
        errors["decision"] = [_("Not one of the allowed values.")]
    if errors:
        raise ValidationError(errors)
    locked = lock(quote)
    if locked.status != QuoteStatus.SENT:
        raise ContractsError(_("This quote has already been answered or withdrawn."))
    if locked.valid_until < timezone.localdate():
        raise ContractsError(_("This quote has expired. Ask the co-op for a new one."))
    if document_sha256 != locked.document_sha256:
        raise ContractsError(
            _("The document you saw is not the current one. Reload the page and check it again.")
        )
    record = QuoteDecision.objects.create(
        quote=locked,
        decision=decision,
        decided_at=timezone.now(),
        signer_name=signer_name,
        signer_role=signer_role,
        ip_address=ip_address or None,
        user_agent=user_agent[:500],
        document_sha256=locked.document_sha256,
        reason=reason.strip(),
    )
    status = QuoteStatus.ACCEPTED if decision == Decision.ACCEPTED else QuoteStatus.REFUSED
    _set_status(locked, status, None)
    return record


@transaction.atomic
def quote_withdraw(*, quote: Quote, acting_user: User) -> Quote:
    quote = lock(quote)
    if quote.status in (QuoteStatus.ACCEPTED, QuoteStatus.REFUSED, QuoteStatus.CANCELLED):
        raise ContractsError(_("An answered quote cannot be withdrawn."))
    if not acting_user.is_staff and quote.author.user_id != acting_user.pk:
        raise PermissionError
    return _set_status(quote, QuoteStatus.WITHDRAWN, acting_user, link_nonce="")


@transaction.atomic
def quote_cancel(*, quote: Quote, acting_user: User, cancelled_on: dt.date, reason: str) -> Quote:
    """The client cancels an accepted contract (CCQ art. 2125); staff record it.

    The client then owes the work done and the costs incurred (art. 2129): see
    ``invoicing.services.invoice_create_final``.
    """
    if not acting_user.is_staff:
        raise PermissionError
    quote = lock(quote)
    if quote.status != QuoteStatus.ACCEPTED:
        raise ContractsError(_("Only an accepted quote can be cancelled by the client."))
    if cancelled_on > timezone.localdate():
        raise ValidationError(
            {"cancelled_on": [_("A cancellation cannot be dated in the future.")]}
        )
    if cancelled_on < quote.quote_date:
        raise ValidationError(
            {"cancelled_on": [_("A cancellation cannot be dated before the quote.")]}
        )
    return _set_status(
        quote,
        QuoteStatus.CANCELLED,
        acting_user,
        cancelled_on=cancelled_on,
        cancellation_reason=reason.strip()[:300],
    )
