"""Forms for meetings, the attendance register, key updates, plans, groups and their seats."""

from __future__ import annotations

import copy
import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from django.utils import timezone

from core.bounds import BoundedFormMixin
from core.quarters import Quarter
from core.versioning import VersionedForm
from meetings import services
from meetings.models import Attendance, KeyUpdate, Meeting
from members.models import Agency, Group, Membership, Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def group_label(group: Group) -> str:
    """A group's name, with its working group for a Task and Finish group."""
    is_task = group.kind == Group.Kind.TASK_AND_FINISH
    return _group_label(group.name, group.kind, group.parent.display_name if is_task else "")


def _group_label(name: str, kind: str, parent: str) -> str:
    if kind == Group.Kind.TASK_AND_FINISH:
        return f"{name} (Task and Finish group, {parent})"
    return name


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return group_label(obj)


def groups_for_choice():
    return Group.objects.select_related("parent").order_by("kind", "name")


def group_choices() -> list[tuple[int, str]]:
    """Every group as (id, label) pairs, labelled as `group_label` labels them: read as
    values, since a model per group cost more than the rest of the schedule's page."""
    rows = Group.objects.order_by("kind", "name").values_list(
        "pk", "name", "kind", "parent__name", "parent__short_name"
    )
    return [
        (pk, _group_label(name, kind, parent_short or parent))
        for pk, name, kind, parent, parent_short in rows
    ]


class MeetingFilter(django_filters.FilterSet):
    """The meeting list's filter: a working group includes its Task and Finish groups."""

    group = django_filters.ChoiceFilter(
        choices=group_choices,
        method="filter_group",
        label="Group",
        empty_label="All groups",
    )

    class Meta:
        model = Meeting
        fields = ["group"]

    def filter_group(self, queryset, name, value):
        return queryset.for_group(value)


class WhenFields(BoundedFormMixin, forms.Form):
    """Date, start and end time, read as London time into `starts_at` and `ends_at`."""

    date = forms.DateField(widget=DATE_WIDGET)
    start_time = forms.TimeField(label="Starts at", widget=TIME_WIDGET)
    end_time = forms.TimeField(label="Ends at", widget=TIME_WIDGET)

    def clean_when(self, cleaned_data: dict) -> tuple[dt.datetime, dt.datetime] | None:
        day = cleaned_data.get("date")
        starts, ends = cleaned_data.get("start_time"), cleaned_data.get("end_time")
        if not (day and starts and ends):
            return None
        if ends <= starts:
            self.add_error("end_time", "The meeting must end after it starts.")
            return None
        return (
            timezone.make_aware(dt.datetime.combine(day, starts)),
            timezone.make_aware(dt.datetime.combine(day, ends)),
        )

    @staticmethod
    def when_initial(meeting: Meeting) -> dict:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {"date": starts.date(), "start_time": starts.time(), "end_time": ends.time()}


class MeetingForm(WhenFields, VersionedForm, forms.ModelForm):
    group = GroupChoiceField(queryset=groups_for_choice().active())
    host_agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("order", "name"),
        required=False,
        label="Host agency",
        help_text="The Specified Authority hosting an in-person or hybrid meeting.",
    )
    online_link = forms.URLField(
        label="Online meeting link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="The Teams link, for a Teams or hybrid meeting.",
    )
    # Shown only once a save was refused for breaking the in-person rule.
    confirm_rule = forms.BooleanField(
        label="Save it anyway: I know this breaks the in-person rule", required=False
    )

    class Meta:
        model = Meeting
        fields = ["group", "format", "host_agency", "location", "online_link", "status"]
        help_texts = {"location": "The address, for an in-person or hybrid meeting."}

    field_order = [
        "group",
        "date",
        "start_time",
        "end_time",
        "format",
        "host_agency",
        "location",
        "online_link",
        "status",
        "confirm_rule",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # How the meeting as entered breaks the in-person rule, once cleaned.
        self.rule_warnings: list[str] = []
        # The meeting as stored, before this edit: a breach it already had was confirmed then.
        self._stored = copy.copy(self.instance) if self.instance.pk else None
        if self.instance.pk:
            # Its register and actions belong to the group: a meeting never moves group.
            self.fields["group"].disabled = True
            self.fields["group"].queryset = groups_for_choice()
            self.initial.update(self.when_initial(self.instance))
        else:
            self.fields["status"].initial = Meeting.Status.SCHEDULED

    def clean(self):
        cleaned_data = super().clean()
        when = self.clean_when(cleaned_data)
        if when:
            self.instance.starts_at, self.instance.ends_at = when
            status, group = cleaned_data.get("status"), cleaned_data.get("group")
            if status == Meeting.Status.HELD and when[0] > timezone.now():
                self.add_error(
                    "status",
                    "This meeting has not started yet, so it cannot have been held: "
                    "keep it scheduled.",
                )
            if group and status != Meeting.Status.CANCELLED:
                clash = services.day_taken(group, when[0], exclude=self.instance.pk)
                if clash:
                    self.add_error("date", clash)
                self._check_rule(group, when, cleaned_data)
        return cleaned_data

    def _check_rule(self, group: Group, when: tuple[dt.datetime, dt.datetime], cleaned_data):
        """Refuse a meeting that breaks the in-person rule (services.rule_warnings) unless
        staff tick `confirm_rule`: the rule may be broken, but knowingly. An edit that
        leaves a breach as it was stored is not asked again."""
        meeting = Meeting(
            pk=self.instance.pk,
            group=group,
            starts_at=when[0],
            ends_at=when[1],
            format=cleaned_data.get("format") or "",
            host_agency=cleaned_data.get("host_agency"),
            status=cleaned_data.get("status") or Meeting.Status.SCHEDULED,
        )
        self.rule_warnings = services.rule_warnings(group, [meeting])
        if not self.rule_warnings or cleaned_data.get("confirm_rule") or self._breach_stored():
            return
        self.add_error(
            "confirm_rule",
            "Change the meeting to keep the rule, or tick this box to save it as it is.",
        )

    def _breach_stored(self) -> bool:
        """Whether the meeting as stored broke the rule in just the same words."""
        stored = self._stored
        if stored is None or stored.is_cancelled:
            return False
        return services.rule_warnings(stored.group, [stored]) == self.rule_warnings

    @property
    def asks_to_confirm_rule(self) -> bool:
        """Whether to show the confirm box: once a save was refused for breaking the rule,
        and for as long as it is ticked, so that another error does not lose the tick."""
        if not (self.is_bound and self.rule_warnings):
            return False
        return "confirm_rule" in self.errors or bool(self.cleaned_data.get("confirm_rule"))

    def rule_hint(self) -> services.RuleHint | None:
        """What the in-person rule expects of the meeting as the form holds it now (typed,
        or as the page opened), for the explanation shown before saving. None without a
        group."""
        group = self._typed("group")
        if group is None:
            return None
        day, start = self._typed("date"), self._typed("start_time")
        starts_at = None
        if day is not None:
            starts_at = timezone.make_aware(dt.datetime.combine(day, start or dt.time.min))
        meeting = Meeting(
            pk=self.instance.pk,
            group=group,
            starts_at=starts_at,
            format=self._typed("format") or "",
            host_agency=self._typed("host_agency"),
            status=self._typed("status") or Meeting.Status.SCHEDULED,
        )
        return services.rule_hint(meeting)

    def _typed(self, name: str):
        """The field's value as typed (or its initial value), cleaned; None when invalid."""
        try:
            return self.fields[name].clean(self[name].value())
        except ValidationError:
            return None


class PlanRowForm(WhenFields):
    """One proposed meeting of a plan; staff may change anything or leave it out."""

    include = forms.BooleanField(label="Include this meeting", required=False, initial=True)
    format = forms.ChoiceField(choices=Meeting.Format.choices)
    host_agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("order", "name"), required=False, label="Host agency"
    )
    location = forms.CharField(max_length=300, required=False)
    online_link = forms.URLField(
        label="Online meeting link", max_length=500, required=False, assume_scheme="https"
    )

    field_order = [
        "include",
        "date",
        "start_time",
        "end_time",
        "format",
        "host_agency",
        "location",
        "online_link",
    ]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("include"):
            cleaned_data["when"] = self.clean_when(cleaned_data)
        return cleaned_data

    def to_meeting(self, group: Group) -> Meeting:
        starts_at, ends_at = self.cleaned_data["when"]
        return Meeting(
            group=group,
            starts_at=starts_at,
            ends_at=ends_at,
            format=self.cleaned_data["format"],
            host_agency=self.cleaned_data["host_agency"],
            location=self.cleaned_data["location"],
            online_link=self.cleaned_data["online_link"],
        )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        return {
            "include": True,
            **cls.when_initial(meeting),
            "format": meeting.format,
            "host_agency": meeting.host_agency,
            "location": meeting.location,
            "online_link": meeting.online_link,
        }


class BasePlanFormSet(forms.BaseFormSet):
    def __init__(self, *args, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def clean(self):
        if any(self.errors):
            return
        included = [form for form in self.forms if form.cleaned_data.get("include")]
        if not included:
            raise forms.ValidationError("Include at least one meeting to save the plan.")
        days = [timezone.localtime(form.cleaned_data["when"][0]).date() for form in included]
        if len(set(days)) < len(days):
            raise forms.ValidationError("Two meetings of this plan fall on the same day.")
        if self.group is not None:
            for form in included:
                clash = services.day_taken(self.group, form.cleaned_data["when"][0])
                if clash:
                    form.add_error("date", clash)


# A year of monthly meetings at most; more is refused, and never even built.
PLAN_MAX_MEETINGS = 12
PlanFormSet = forms.formset_factory(
    PlanRowForm,
    formset=BasePlanFormSet,
    extra=0,
    max_num=PLAN_MAX_MEETINGS,
    absolute_max=PLAN_MAX_MEETINGS,
    validate_max=True,
)


class AttendanceRowForm(BoundedFormMixin, forms.Form):
    """One seat's line of the register. Its prefix ties it to the seat."""

    status = forms.ChoiceField(
        label="Attendance",
        choices=Attendance.Status.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    deputy_name = forms.CharField(
        label="Deputy's name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )

    def __init__(
        self,
        *args,
        membership: Membership,
        attendance: Attendance | None,
        in_advance: bool = False,
        **kwargs,
    ):
        initial = {}
        if attendance is not None:
            initial = {"status": attendance.status, "deputy_name": attendance.deputy_name}
        super().__init__(*args, prefix=f"seat-{membership.pk}", initial=initial, **kwargs)
        self.membership = membership
        self.attendance = attendance
        # Before the meeting's day nobody can have attended it: only apologies come early.
        self.in_advance = in_advance
        # A seat may wait to be recorded; once recorded it can change but never be blanked.
        self.fields["status"].required = attendance is not None
        self.fields["status"].error_messages["required"] = (
            "Choose present, apologies, absent or deputy: a recorded seat cannot be left blank."
        )

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        if self.in_advance and status and status != Attendance.Status.APOLOGIES:
            self.add_error(
                "status",
                "This meeting has not happened yet: only apologies sent in advance can be "
                "recorded.",
            )
        if status == Attendance.Status.DEPUTY:
            if not cleaned_data.get("deputy_name", "").strip():
                self.add_error("deputy_name", "Enter the name of the deputy who attended.")
        else:
            cleaned_data["deputy_name"] = ""
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        # Mark the fields in error and tie them to their message, for screen readers too.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self.prefix}-{name}-error"


class KeyUpdateForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    # A sentence or two: each one goes into the quarterly SVRP update as it is.
    text = forms.CharField(
        label="Key update or decision", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = KeyUpdate
        fields = ["kind", "text", "for_svrp"]
        labels = {"kind": "Type"}


def quarter_choices() -> list[tuple[str, str]]:
    """Quarters from the first meeting's (at least three years back) to the next one,
    newest first."""
    current = Quarter.current()
    first = current
    for _ in range(12):
        first = first.previous()
    earliest = Meeting.objects.aggregate(earliest=Min("starts_at"))["earliest"]
    if earliest is not None:
        first = min(first, Quarter.from_date(timezone.localtime(earliest).date()))
    # A date outside the portal's window is refused everywhere; should one be stored
    # all the same, the list still stops at the first quarter the portal holds.
    first = max(first, Quarter.first())
    quarters = [current.next(), current]
    while quarters[-1] > first:
        quarters.append(quarters[-1].previous())
    return [(q.label, f"{q.label} ({q.months})") for q in quarters]


class MonitoringForm(BoundedFormMixin, forms.Form):
    """The monitoring page's choices: which group, over which quarters (default the last four)."""

    group = GroupChoiceField(queryset=groups_for_choice(), empty_label=None)
    start = forms.ChoiceField(label="From quarter")
    end = forms.ChoiceField(label="To quarter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = quarter_choices()
        self.fields["start"].choices = choices
        self.fields["end"].choices = choices

    @staticmethod
    def defaults(group: Group | None) -> dict:
        current = Quarter.current()
        first = current.previous().previous().previous()
        return {"group": group.pk if group else None, "start": first.label, "end": current.label}

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end:
            start, end = Quarter.parse(start), Quarter.parse(end)
            if start > end:
                self.add_error("end", "The last quarter cannot come before the first.")
            cleaned_data["start"], cleaned_data["end"] = start, end
        return cleaned_data


class TaskGroupForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    """A Task and Finish group under a working group, for a separate work stream."""

    parent = GroupChoiceField(
        label="Working group",
        queryset=Group.objects.working_groups(),
        empty_label=None,
    )
    default_format = forms.ChoiceField(
        label="Usual format", choices=Meeting.Format.choices, initial=Meeting.Format.TEAMS
    )

    class Meta:
        model = Group
        fields = [
            "parent",
            "name",
            "short_name",
            "purpose",
            "meeting_frequency",
            "default_format",
            "in_person_every",
            "review_date",
            "is_active",
        ]
        labels = {"in_person_every": "In person every n-th meeting", "is_active": "Active"}
        help_texts = {
            "purpose": "The work stream this group was formed for.",
            "is_active": "Untick when the group's work is finished; its record is kept.",
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "review_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].disabled = True
            self.fields["parent"].queryset = Group.objects.filter(pk=self.instance.parent_id)
        else:
            del self.fields["is_active"]
            self.fields["in_person_every"].initial = 0
        self.instance.kind = Group.Kind.TASK_AND_FINISH


# The positions a group has one of at a time.
CHAIRING = (Membership.Position.CHAIR, Membership.Position.VICE_CHAIR)


class SeatChoiceField(forms.ModelChoiceField):
    """One of a group's current seats: its role, agency and holder."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Membership.objects.none(), required=False, **kwargs)


class WorkingGroupForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    """A working group or the SVRP: its ToR facts, meeting pattern, chair and vice-chair.

    The chair and vice-chair are seats, chosen among the group's current seats (a new
    group has none yet: they are chosen once its seats are added);
    `services.group_save` moves the positions. A working group reports to the SVRP, as
    the ToR loader's Communications Working Group does: it becomes its parent.
    """

    kind = forms.ChoiceField(
        label="Kind of group",
        choices=[
            (Group.Kind.WORKING, "Working group"),
            (Group.Kind.SVRP, "Strategic partnership board (the SVRP)"),
        ],
        initial=Group.Kind.WORKING,
        help_text="A Task and Finish group is formed under its working group instead.",
    )
    chair = SeatChoiceField(
        label="Chair",
        empty_label="Nobody chairs yet",
        help_text="The seat that chairs the group. Add the seat first if it is missing.",
    )
    vice_chair = SeatChoiceField(label="Vice-Chair", empty_label="No vice-chair yet")
    default_format = forms.ChoiceField(
        label="Usual format", choices=Meeting.Format.choices, initial=Meeting.Format.TEAMS
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "short_name",
            "kind",
            "vision",
            "mission",
            "purpose",
            "meeting_frequency",
            "default_format",
            "in_person_every",
            "tor_version",
            "tor_published",
            "review_date",
            "is_active",
        ]
        labels = {
            "in_person_every": "In person every n-th meeting",
            "review_date": "Review date",
            "is_active": "Active",
        }
        help_texts = {
            "short_name": 'Used where space is short, such as "Comms Working Group".',
            "tor_version": "The version of its Terms of Reference, such as V2.",
            "is_active": "Untick when the group stops meeting; its record is kept.",
        }
        error_messages = {"name": {"unique": "There is already a group with this name."}}
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "mission": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "tor_published": DATE_WIDGET,
            "review_date": DATE_WIDGET,
        }

    field_order = [
        "name",
        "short_name",
        "kind",
        "chair",
        "vice_chair",
        "vision",
        "mission",
        "purpose",
        "meeting_frequency",
        "default_format",
        "in_person_every",
        "tor_version",
        "tor_published",
        "review_date",
        "is_active",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # No seat to chair yet, and a new group meets.
            for name in ("chair", "vice_chair", "is_active"):
                del self.fields[name]
            return
        seats = self.instance.memberships.current().select_related("agency", "person")
        seats = seats.order_by("agency__order", "agency__name", "order", "pk")
        self.fields["chair"].queryset = self.fields["vice_chair"].queryset = seats
        # Should two seats chair (set in the admin, say), the first is offered: saving
        # then leaves it the only one.
        holders: dict[str, int] = {}
        for position, pk in seats.filter(position__in=CHAIRING).values_list("position", "pk"):
            holders.setdefault(position, pk)
        self.initial.setdefault("chair", holders.get(Membership.Position.CHAIR))
        self.initial.setdefault("vice_chair", holders.get(Membership.Position.VICE_CHAIR))

    def clean(self):
        cleaned_data = super().clean()
        name, kind = cleaned_data.get("name"), cleaned_data.get("kind")
        group = self.instance
        if name and Group.objects.filter(name__iexact=name).exclude(pk=group.pk).exists():
            self.add_error("name", "There is already a group with this name.")
        chair, vice_chair = cleaned_data.get("chair"), cleaned_data.get("vice_chair")
        if chair is not None and chair == vice_chair:
            self.add_error("vice_chair", "One seat cannot be both the chair and the vice-chair.")
        if kind and group.pk and kind != group.kind:
            under = group.children.order_by("name").values_list("name", flat=True)
            if under:
                self.add_error(
                    "kind",
                    f"{', '.join(under)} sit under this group, so it cannot change kind: "
                    "close them or move them first.",
                )
        if kind == Group.Kind.SVRP and cleaned_data.get("is_active", True):
            board = Group.objects.active().filter(kind=Group.Kind.SVRP).exclude(pk=group.pk)
            if board := board.first():
                self.add_error(
                    "kind",
                    f"The portal already has the SVRP: {board.name}. There is only one.",
                )
        published, review = cleaned_data.get("tor_published"), cleaned_data.get("review_date")
        if published and review and review < published:
            self.add_error("review_date", "The review cannot come before the ToR was published.")
        if kind == Group.Kind.SVRP:
            group.parent = None
        elif kind == Group.Kind.WORKING and group.parent_id is None:
            group.parent = (
                Group.objects.active().filter(kind=Group.Kind.SVRP).exclude(pk=group.pk).first()
            )
        return cleaned_data


class SeatForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    """A seat on a group: the SVRP, a working group or a Task and Finish group."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.active().select_related("agency"),
        required=False,
        label="Held by",
        help_text="Leave empty while the seat is vacant.",
    )

    class Meta:
        model = Membership
        fields = [
            "agency",
            "role_title",
            "position",
            "person",
            "attendance_status",
            "tor_sent_on",
            "start_date",
            "end_date",
        ]
        widgets = {"tor_sent_on": DATE_WIDGET, "start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        self.fields["agency"].queryset = Agency.objects.order_by("order", "name")
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} ({p.agency})"

    def clean(self):
        cleaned_data = super().clean()
        agency, role_title = cleaned_data.get("agency"), cleaned_data.get("role_title")
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if agency and role_title:
            clash = Membership.objects.filter(
                group=self.instance.group, agency=agency, role_title__iexact=role_title
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("role_title", f"{agency} already has a seat with this role.")
        if start and end and end < start:
            self.add_error("end_date", "A seat cannot end before it starts.")
        self._clean_position(cleaned_data.get("position"))
        return cleaned_data

    def _clean_position(self, position: str | None) -> None:
        """A group has one chair and one vice-chair at a time: moving the position to
        another seat is done on the group's own form, which takes it from the first."""
        if position not in CHAIRING or position == self.initial.get("position"):
            return
        today = timezone.localdate()
        holder = (
            Membership.objects.filter(group=self.instance.group, position=position)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .exclude(pk=self.instance.pk)
            .select_related("agency", "person")
            .first()
        )
        if holder is not None:
            self.add_error(
                "position",
                f"{holder.role_title} ({holder.agency.display_name}) is already the "
                f"{Membership.Position(position).label.lower()} of {self.instance.group}: "
                "choose the chair and vice-chair on the group's edit page.",
            )
