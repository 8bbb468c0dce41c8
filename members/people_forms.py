"""Forms of the people pages: adding and editing a person, and the list's filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from core.bounds import SEARCH_MAX_LENGTH, BoundedFormMixin
from core.permissions import MEMBER, VRU_STAFF, is_vru_staff
from core.versioning import VersionedForm
from members.models import Agency, Person
from members.services import ROLE_CHOICES, AccountState, email_has_account, may_change_access

SUPERUSER_ONLY = "Only a superuser can change this for VRU staff, the chair or an administrator."


class PersonForm(BoundedFormMixin, forms.ModelForm):
    """A person's details and portal role, as VRU staff keep them."""

    role = forms.ChoiceField(
        label="Portal role",
        choices=ROLE_CHOICES,
        initial=MEMBER,
        help_text="Members update their own actions; the chair also exports the quarterly "
        "update; VRU staff manage everything.",
    )

    class Meta:
        model = Person
        fields = ["full_name", "email", "job_title", "agency"]
        labels = {"full_name": "Full name", "email": "Email address"}
        help_texts = {"email": "Their work address. They sign in with it."}
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["agency"].queryset = Agency.objects.all()
        self.fields["agency"].empty_label = "Choose an agency"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        people = Person.objects.filter(email__iexact=email)
        if self.instance.pk:
            people = people.exclude(pk=self.instance.pk)
        if people.exists():
            raise forms.ValidationError(
                "Someone in the portal already has this email address. Search the people "
                "list for them instead of adding them again."
            )
        if email_has_account(email, except_user_id=self.instance.user_id):
            raise forms.ValidationError("A sign-in account already uses this email address.")
        return email


class PersonCreateForm(PersonForm):
    send_invitation = forms.BooleanField(
        label="Send an invitation now",
        required=False,
        initial=True,
        help_text="An email with a link to choose a password. You can send it later from "
        "their page.",
    )


class PersonEditForm(VersionedForm, PersonForm):
    """Editing: the role field only when the person has an account to hold it.

    The email and role of VRU staff, the chair and administrators are shown but
    only a superuser may change them: whoever could change them could take the
    account over.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id is None:
            del self.fields["role"]
        elif not may_change_access(self.by, self.instance.user):
            for name in ("email", "role"):
                self.fields[name].disabled = True
                self.fields[name].help_text = SUPERUSER_ONLY

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        # Staff cannot take away their own staff role and lock themselves out of this page.
        by = self.by
        own = by is not None and not by.is_superuser and self.instance.user_id == by.pk
        if own and role != VRU_STAFF:
            raise forms.ValidationError("You cannot remove your own VRU staff role.")
        return role


class InviteForm(BoundedFormMixin, forms.Form):
    """The role of the account an invitation makes, for a person who has none yet."""

    role = forms.ChoiceField(label="Portal role", choices=ROLE_CHOICES, initial=MEMBER)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search by name", max_length=SEARCH_MAX_LENGTH
    )
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), empty_label="Any")
    state = django_filters.ChoiceFilter(
        field_name="account_state",
        choices=AccountState.choices,
        label="Account",
        empty_label="Any",
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = is_vru_staff(getattr(self.request, "user", None))
        if self.staff:
            self.filters["q"].label = "Search by name or email"

    def search(self, queryset, name, value):
        for word in value.split():
            matches = Q(full_name__icontains=word)
            # Only staff see email addresses, so only staff may find people by them.
            if self.staff:
                matches |= Q(email__icontains=word)
            queryset = queryset.filter(matches)
        return queryset

    @property
    def qs(self):
        return super().qs.order_by("full_name", "pk")
