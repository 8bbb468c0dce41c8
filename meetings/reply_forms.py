"""Forms around a meeting's invitation: a member's apologies or deputy for one of their
seats, and the agenda staff send with the invitation."""

from __future__ import annotations

from django import forms

from core.text import validate_no_control_characters
from meetings.models import Meeting, MeetingReply
from members.models import Membership


class MeetingReplyForm(forms.ModelForm):
    """Apologies or a deputy for one seat at one meeting; its prefix ties it to both, so
    that a page may show one for every seat of every meeting."""

    kind = forms.ChoiceField(
        label="Your reply",
        choices=[
            (MeetingReply.Kind.APOLOGIES, "Send apologies"),
            (MeetingReply.Kind.DEPUTY, "Name a deputy to attend in my place"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose apologies or a deputy."},
    )

    class Meta:
        model = MeetingReply
        fields = ["kind", "deputy_name", "deputy_role"]
        help_texts = {
            "deputy_name": "Only when naming a deputy.",
            "deputy_role": "Optional: their job title or agency.",
        }

    def __init__(self, *args, meeting: Meeting, membership: Membership, **kwargs):
        super().__init__(*args, prefix=f"reply-{meeting.pk}-{membership.pk}", **kwargs)
        for name in ("deputy_name", "deputy_role"):
            self.fields[name].validators.append(validate_no_control_characters)
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == MeetingReply.Kind.DEPUTY:
            if not cleaned_data.get("deputy_name", "").strip():
                self.add_error("deputy_name", "Enter the name of the deputy who will attend.")
        else:
            # Apologies name nobody: a name typed before choosing apologies is not kept.
            cleaned_data["deputy_name"] = ""
            cleaned_data["deputy_role"] = ""
        return cleaned_data


class InvitationForm(forms.Form):
    """The agenda sent with a meeting's invitation; `sequence` is the meeting's as the
    sender read it, so that nobody sends a meeting that changed while they read it."""

    agenda = forms.CharField(
        label="Agenda",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_no_control_characters],
        help_text="Sent in the email's text, as typed.",
    )
    sequence = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("sequence") != self.meeting.sequence:
            # Shown again, the form carries the meeting as it is now and keeps the agenda
            # typed, so that sending again is a deliberate choice.
            self.data = self.data.copy()
            self.data["sequence"] = self.meeting.sequence
            raise forms.ValidationError(
                "The meeting was changed while you were reading this page: check the "
                "details below, then send again."
            )
        return cleaned_data
