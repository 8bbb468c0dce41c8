from __future__ import annotations

from django import forms
from django.http import Http404
from django.utils import timezone

from core.bounds import BoundedFormMixin
from members.models import Group, Membership


def working_groups():
    return Group.objects.filter(kind=Group.Kind.WORKING, is_active=True).order_by("name", "pk")


def choose_working_group(request) -> tuple[Group | None, list[Group]]:
    """The working group a page shows, and every one it could show.

    `?group=<id>` picks one; without it, the first working group set up (the
    Communications Working Group, which the ToR loads first). An id that is not
    an active working group is 404.
    """
    groups = list(working_groups())
    wanted = request.GET.get("group")
    if not wanted:
        return min(groups, key=lambda group: group.pk, default=None), groups
    for group in groups:
        if str(group.pk) == wanted:
            return group, groups
    raise Http404("No such working group.")


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
