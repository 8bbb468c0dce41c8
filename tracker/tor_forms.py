"""Forms of a group's Terms of Reference: its text, and publishing a new version."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.bounds import BoundedFormMixin
from core.versioning import VersionedForm
from tracker.models import TorText
from tracker.tor_document import version_label, version_number

PROSE_HELP = 'One paragraph to each line. Start a line with "- " for a bullet point.'
TEXT_FIELDS = [
    "duty_status_note",
    "introduction",
    "aims",
    "crest_introduction",
    "crest_follow_up",
    "performance_introduction",
    "partner_responsibilities",
    "reporting_relationships",
    "meeting_notes",
    "administration",
    "notes",
]


class TorTextForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    """The ToR's sections that are not data, as VRU staff write them."""

    class Meta:
        model = TorText
        fields = TEXT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in TEXT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            field = self.fields[name]
            field.help_text = f"{field.help_text} {PROSE_HELP}".strip()


class TorPublishForm(BoundedFormMixin, forms.Form):
    """A new version's number and publication date; `tor_publish` checks that it grows."""

    version = forms.CharField(
        label="New version",
        max_length=20,
        help_text='Higher than the current one, such as "V3" or "3.1".',
    )
    published = forms.DateField(
        label="Publication date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published"].initial = timezone.localdate()

    def clean_version(self) -> str:
        version = self.cleaned_data["version"]
        if version_number(version) is None:
            raise forms.ValidationError('Enter the version as a number, such as "V3" or "3.1".')
        return version_label(version)

    def clean_published(self):
        published = self.cleaned_data["published"]
        if published > timezone.localdate():
            raise forms.ValidationError("The publication date cannot be in the future.")
        return published
