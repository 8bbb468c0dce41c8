from __future__ import annotations

from django import forms
from django.utils import timezone

from core.bounds import BoundedFormMixin
from members.models import Membership


class TorSentForm(BoundedFormMixin, forms.ModelForm):
    """The date the ToR was sent to a seat's holder; empty when not sent yet."""

    class Meta:
        model = Membership
        fields = ["tor_sent_on"]
        widgets = {"tor_sent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_tor_sent_on(self):
        day = self.cleaned_data["tor_sent_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return day
