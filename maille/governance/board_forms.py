"""Forms of the staff and board pages (meetings, ballots, shares, ristournes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maille.core.forms import DateInput, DecimalInputField, Form
from maille.governance.board import Decision
from maille.governance.models import (
    AttendanceMode,
    BallotKind,
    Majority,
    Meeting,
    MeetingKind,
    PaymentMethod,
)
from maille.members.models import Member
from maille.members.selectors import directors


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DecisionFields(Form):
    """The board's decision: date, text, the directors present."""

    decision_date = forms.DateField(label=_("date of the board's decision"), widget=DateInput())
    decision_text = forms.CharField(
        label=_("decision and reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )
    directors_present: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(  # type: ignore[type-arg]
        label=_("directors present"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directors_present"].queryset = directors()  # type: ignore[attr-defined]

    def decision(self) -> Decision:
        d = self.cleaned_data
        return Decision(d["decision_date"], d["decision_text"], list(d["directors_present"]))


class MeetingForm(Form):
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("online link"), required=False)
    fiscal_year_end = forms.DateField(
        label=_("fiscal year ended (annual meeting)"), widget=DateInput(), required=False
    )
    agenda = forms.CharField(label=_("agenda"), widget=forms.Textarea, max_length=10_000)
    statements = forms.CharField(
        label=_("Financial statements"), widget=forms.Textarea, required=False, max_length=50_000
    )
    report = forms.CharField(
        label=_("Board's report"), widget=forms.Textarea, required=False, max_length=50_000
    )
    resolutions = forms.CharField(
        label=_("Proposed resolutions"), widget=forms.Textarea, required=False, max_length=50_000
    )


class CallForm(DecisionFields):
    """The call is dated today (the convocation is emailed now): no date to type."""


class AttendanceForm(Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=Member.objects.none())
    mode = forms.ChoiceField(label=_("present"), choices=AttendanceMode.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            membership__isnull=False
        ).order_by("number")


class MinutesForm(Form):
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea, max_length=100_000)


class ApproveForm(Form):
    at = forms.ModelChoiceField(label=_("approved at the meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Meeting.objects.filter(status="held")
        if meeting is not None:
            qs = qs.filter(starts_at__gt=meeting.starts_at)
        self.fields["at"].queryset = qs  # type: ignore[attr-defined]


class BallotForm(Form):
    question = forms.CharField(label=_("question"), max_length=300)
    kind = forms.ChoiceField(label=_("kind"), choices=BallotKind.choices)
    majority = forms.ChoiceField(label=_("majority"), choices=Majority.choices)
    seats = forms.IntegerField(label=_("seats to fill"), min_value=1, max_value=50, initial=1)
    candidates = forms.ModelMultipleChoiceField(
        label=_("candidates (election)"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    secret = forms.BooleanField(label=_("secret ballot"), required=False, initial=True)
    record_date = forms.DateField(label=_("record date"), widget=DateInput())
    opens_at = forms.DateTimeField(label=_("opens at"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("closes at"), widget=DateTimeInput())
    meeting = forms.ModelChoiceField(
        label=_("general meeting"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            membership__withdrawn_on__isnull=True, membership__isnull=False
        ).order_by("number")
        self.fields["meeting"].queryset = Meeting.objects.exclude(  # type: ignore[attr-defined]
            status="held"
        )


class SeatForm(Form):
    started_on = forms.DateField(label=_("on the board from"), widget=DateInput())
    ended_on = forms.DateField(label=_("on the board until"), widget=DateInput(), required=False)


class TransferForm(DecisionFields):
    to = forms.ModelChoiceField(label=_("to the member"), queryset=Member.objects.none())
    shares = forms.IntegerField(label=_("shares"), min_value=1, max_value=100_000)
    date = forms.DateField(label=_("date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            membership__withdrawn_on__isnull=True, membership__isnull=False
        ).order_by("number")


class RedeemForm(DecisionFields):
    shares = forms.IntegerField(label=_("shares"), min_value=1, max_value=100_000)
    date = forms.DateField(label=_("date"), widget=DateInput())


class AmountForm(Form):
    amount = DecimalInputField(label=_("amount"))
    date = forms.DateField(label=_("date"), widget=DateInput())


class PaymentForm(AmountForm):
    method = forms.ChoiceField(
        label=_("method"),
        choices=PaymentMethod.choices,
    )


class ResignationForm(Form):
    requested_on = forms.DateField(label=_("resignation requested on"), widget=DateInput())


class WithdrawalForm(Form):
    effective_on = forms.DateField(label=_("withdrawn on"), widget=DateInput())


class ExclusionForm(DecisionFields):
    effective_on = forms.DateField(label=_("withdrawn on"), widget=DateInput())
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea, max_length=10_000)
    hearing_notice_on = forms.DateField(label=_("notified of the hearing on"), widget=DateInput())
    hearing_on = forms.DateField(label=_("hearing given on"), widget=DateInput())


class AllocateForm(Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    meeting = forms.ModelChoiceField(label=_("general meeting"), queryset=Meeting.objects.none())
    ballot = forms.IntegerField(label=_("resolution adopted (ballot number)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            status="held"
        )


class PayForm(Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
