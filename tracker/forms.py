from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.bounds import BoundedFormMixin
from core.versioning import VersionedForm
from tracker.imports import (
    MAX_FILE_BYTES,
    NOTE_MAX_LENGTH,
    TOO_LARGE,
    ImportedValue,
    ImportFailed,
    note_field,
    open_quarter,
    read_measure_values,
    value_field,
)
from tracker.models import CrestRecommendation, MeasureValue, PerformanceMeasure, ToCActivity

MAX_IMPORT_BYTES = MAX_FILE_BYTES


class ToCActivityStatusForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    class Meta:
        model = ToCActivity
        fields = ["status"]


class CrestRecommendationForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    """The readiness of one recommendation: achieving it needs evidence and a date."""

    # A summary for the tracker and the quarterly update, not a document.
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = CrestRecommendation
        fields = ["status", "evidence", "achieved_on"]
        widgets = {
            "achieved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"achieved_on": "Only for an achieved recommendation."}

    def clean(self):
        data = super().clean()
        achieved = data.get("status") == CrestRecommendation.Status.ACHIEVED
        achieved_on = data.get("achieved_on")
        if achieved:
            if not achieved_on and "achieved_on" not in self.errors:
                self.add_error("achieved_on", "Enter the date the recommendation was achieved.")
            if not (data.get("evidence") or "").strip():
                self.add_error("evidence", "Say what shows the recommendation is achieved.")
        elif achieved_on:
            self.add_error("achieved_on", "Leave this empty unless the recommendation is achieved.")
        if achieved_on and achieved_on > timezone.localdate():
            self.add_error("achieved_on", "The date cannot be in the future.")
        return data


class MeasureValueForm(BoundedFormMixin, VersionedForm):
    """Enter a quarter's value, or correct it: a correction says why. A measure's values
    are edited as one unit: the hidden version is the measure's."""

    quarter = forms.CharField(
        label="Quarter", max_length=20, help_text="The financial-year quarter, such as 2024-25 Q1."
    )
    value = value_field()
    note = note_field()

    def __init__(self, *args, measure: PerformanceMeasure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["version"].initial = measure.version
        self.existing: MeasureValue | None = None

    def clean_quarter(self):
        return open_quarter(self.cleaned_data["quarter"], timezone.localdate())

    def clean(self):
        data = super().clean()
        quarter, value = data.get("quarter"), data.get("value")
        if quarter is None or value is None:
            return data
        self.existing = MeasureValue.objects.filter(
            measure=self.measure, year=quarter.year, quarter=quarter.number
        ).first()
        if self.existing and self.existing.value != value and not data.get("note", "").strip():
            self.add_error(
                "note",
                f"{quarter.label} already has the value {self.existing.value.normalize():f}: "
                "say why it is corrected.",
            )
        return data


class MeasureValuesImportForm(BoundedFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Headings on the first line: quarter, value, note. "
        "One row per quarter, such as: 2024-25 Q1,1250,From the website statistics.",
    )

    def clean_file(self) -> list[ImportedValue]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(TOO_LARGE)
        try:
            return read_measure_values(upload.read(), today=timezone.localdate())
        except ImportFailed as failure:
            raise ValidationError(failure.errors) from failure
