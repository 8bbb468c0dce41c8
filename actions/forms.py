"""Forms for logging, editing and updating actions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils import formats, timezone

from actions.models import Action
from actions.services import EDITABLE_FIELDS, allowed_statuses, default_due_date
from core.bounds import SEARCH_MAX_LENGTH, BoundedFormMixin
from core.text import clean_text
from core.widgets import BootstrapForm
from meetings.models import Meeting
from members.models import Group, Membership, Person

# Generous for a note, but a pasted document belongs in a linked file, not the log.
MAX_DETAIL = 20_000
MAX_NOTE = 5_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# The "Find a person" box beside an owner picker, and the button that finds without JS.
OWNER_SEARCH = "owner_search"
FIND_OWNER = "find_owner"
NO_SEAT = "No current seat"


# The most people a search offers: the owner search's answer, and the log's Find.
OWNER_MATCHES = 20
# The most meetings a "Raised at" choice lists, newest first.
RECENT_MEETINGS = 50
# With no group chosen, a new action's "Raised at" lists the meetings this near today.
NEAR_DAYS = 28


def search_words(text: str) -> list[str]:
    """The words a person's name must all contain, ignoring case (the JS filter's rule too).
    Control characters are dropped: no name holds one, and the database refuses a NUL."""
    return clean_text(text).casefold().split()[:10]


def people_named(people, words: Sequence[str]):
    """The people whose name contains every word, ignoring case, first by name: the
    database's side of `search_words`, so a search never reads everybody."""
    for word in words:
        people = people.filter(full_name__icontains=word)
    return people.order_by("full_name", "pk")


def meetings_offered(*, group: str = "", chosen: str = "", near: bool = False):
    """The meetings a "Raised at" select lists, newest first: the chosen group's latest,
    and the meeting already chosen. With no group chosen, that meeting alone or, if
    `near`, with every group's meetings of the NEAR_DAYS either side of today. At most
    RECENT_MEETINGS besides the chosen one. Both are as the query or form gave them, so
    anything not a number offers nothing."""
    wanted = Q(pk=chosen) if chosen.isdigit() else Q(pk__in=[])
    if group.isdigit():
        recent = Meeting.objects.filter(group_id=group)
    elif near:
        now = timezone.now()
        around = dt.timedelta(days=NEAR_DAYS)
        recent = Meeting.objects.filter(starts_at__range=(now - around, now + around))
    else:
        recent = Meeting.objects.none()
    latest = recent.order_by("-starts_at", "-pk").values("pk")[:RECENT_MEETINGS]
    wanted |= Q(pk__in=latest)
    return Meeting.objects.filter(wanted).select_related("group").order_by("-starts_at", "-pk")


def owner_optgroups(
    people, *, words: Sequence[str] = (), keep: str = "", group: int | None = None
) -> list[tuple[str, list[tuple[int, str]]]]:
    """People grouped by the seats they hold now: "<group> — <agency>", in one query.

    A person with seats on two groups is listed under each (the same value twice), since
    staff look for an owner under the group the action is for; one with a seat on `group`
    (the form's group, listed first) is listed under it alone. Anyone without a current
    seat is listed under "No current seat — <their agency>". `words` narrows the list to
    matching names, but the person chosen (`keep`) always stays, so the select never
    shows somebody other than the one the form holds.
    """
    today = timezone.localdate()
    rows = people.order_by().values_list(
        "pk",
        "full_name",
        "agency__name",
        "memberships__group_id",
        "memberships__group__name",
        "memberships__group__is_active",
        "memberships__agency__name",
        "memberships__agency__order",
        "memberships__start_date",
        "memberships__end_date",
    )
    seats: dict[int, set[tuple]] = defaultdict(set)
    agencies: dict[int, tuple[str, str]] = {}
    for pk, name, agency, group_id, group_name, active, seat_agency, order, start, end in rows:
        if words and str(pk) != str(keep) and not all(w in name.casefold() for w in words):
            continue
        agencies[pk] = (name, agency)
        current = (start is None or start <= today) and (end is None or end >= today)
        if group_id is not None and active and current:
            seats[pk].add((group_id, group_name, order, seat_agency))
    groups: dict[tuple, set[tuple[int, str]]] = defaultdict(set)
    for pk, (name, agency) in agencies.items():
        held = seats.get(pk, set())
        on_group = {seat for seat in held if seat[0] == group}
        for group_id, group_name, order, seat_agency in on_group or held:
            groups[(0, group_id != group, group_name, order, seat_agency)].add((pk, name))
        if not held:
            groups[(1, True, NO_SEAT, 0, agency)].add((pk, name))
    return [
        (f"{key[2]} — {key[4]}", sorted(options, key=lambda option: (option[1], option[0])))
        for key, options in sorted(groups.items(), key=lambda item: item[0])
    ]


def seated_on(group: int):
    """The ids of the people holding a current seat on `group` (an active one)."""
    seats = Membership.objects.current().filter(group_id=group, group__is_active=True)
    return seats.filter(person__isnull=False).values("person_id")


class OwnerChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        field = self.field
        keep = str(field.keep)
        listed = Q(pk=keep) if keep.isdigit() else Q(pk__in=[])
        if field.words:
            found = people_named(self.queryset, field.words).values("pk")[:OWNER_MATCHES]
            listed |= Q(pk__in=found)
        elif field.group is not None:
            listed |= Q(pk__in=seated_on(field.group))
        yield from owner_optgroups(
            self.queryset.filter(listed), words=field.words, keep=keep, group=field.group
        )


class OwnerChoiceField(forms.ModelChoiceField):
    """An owner picker grouped by group and agency (<optgroup>) that never lists everybody.

    It lists the person chosen (`keep`) and, until a name is searched, the people with a
    current seat on `group` (nobody if it is None); once `words` are searched, the first
    OWNER_MATCHES who match instead. Any person of the queryset is still a valid choice,
    listed or not, so one found by the owner search is accepted.
    """

    iterator = OwnerChoiceIterator
    words: Sequence[str] = ()
    keep = ""
    group: int | None = None


class ShownChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.shown():
            yield self.choice(obj)

    def shown(self):
        return self.queryset if self.field.shown is None else self.field.shown

    def __len__(self):
        return self.shown().count() + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or self.shown().exists()


class ShownChoiceField(forms.ModelChoiceField):
    """A select that lists only `shown` (a short queryset) but accepts anything of its
    queryset, so a link naming an older choice still works."""

    iterator = ShownChoiceIterator
    shown = None


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localdate(meeting.starts_at)


def due_after(meeting: Meeting | None) -> dt.date:
    """The day a default due date counts from: today, or a meeting still to come."""
    today = timezone.localdate()
    return max(today, meeting_day(meeting)) if meeting is not None else today


class ActionForm(BoundedFormMixin, forms.ModelForm):
    """Log an action: staff only. The agency and due date fill themselves in when left blank."""

    owner = OwnerChoiceField(
        queryset=Person.objects.active().select_related("agency"),
        help_text="The person who will do it.",
    )
    detail = forms.CharField(
        required=False, max_length=MAX_DETAIL, widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting = ShownChoiceField(
        queryset=Meeting.objects.select_related("group"),
        required=False,
        help_text="The meeting the action was raised at, if any.",
    )

    class Meta:
        model = Action
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "due_date": DateInput(),
        }
        help_texts = {
            "agency": "Leave blank to use the owner's agency.",
            "due_date": "Leave blank for the group's next meeting (or 90 days from today).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_search = ""
        self.finding_owner = False
        if self.is_bound:
            self.owner_search = self.data.get(self.add_prefix(OWNER_SEARCH), "")[:SEARCH_MAX_LENGTH]
            self.finding_owner = self.add_prefix(FIND_OWNER) in self.data
            self.fields["owner"].words = search_words(self.owner_search)
        for name in ("agency", "due_date"):
            if name in self.fields:
                self.fields[name].required = False
        if "group" in self.fields:
            self.fields["group"].queryset = Group.objects.active()
        # The tracker's choices are labelled with their code, ordered as the ToR numbers them.
        for name in ("toc_activity", "crest_recommendation", "performance_measure"):
            field = self.fields[name]
            field.queryset = field.queryset.order_by("code")
        self.fields["task_group"].queryset = Group.objects.task_and_finish().active()
        if "meeting" in self.fields:
            self._offer_meetings()
        self._offer_owners()

    def _chosen(self, name: str) -> str:
        """The value a field holds as the form is shown: as sent, or as it opened."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        return "" if value is None else str(getattr(value, "pk", value))

    def _offer_meetings(self) -> None:
        """List the group's meetings, not every meeting: thousands make the page heavy."""
        group, chosen = self._chosen("group"), self._chosen("meeting")
        field = self.fields["meeting"]
        field.shown = meetings_offered(group=group, chosen=chosen, near=True)
        if group.isdigit():
            field.help_text = (
                "The meeting the action was raised at, if any: the group's meetings, "
                f"newest first (up to {RECENT_MEETINGS})."
            )
        else:
            field.help_text = (
                "The meeting the action was raised at, if any: meetings of the "
                f"{NEAR_DAYS // 7} weeks either side of today. For an older one, log the "
                "action from that meeting's page."
            )

    def _offer_owners(self) -> None:
        """List the group's people and the one chosen, not every person: a thousand names
        make the page heavy. Anybody else is found by name, and still accepted."""
        owner = self.fields["owner"]
        owner.keep = self._chosen("owner")
        fixed = getattr(self, "group", None)
        group = str(fixed.pk) if fixed is not None else self._chosen("group")
        owner.group = int(group) if group.isdigit() else None
        if owner.group is None:
            owner.help_text = (
                "The person who will do it. Nobody is listed until the group is chosen: "
                "find the person below, or choose the group and press Find to list its people."
            )
        else:
            owner.help_text = (
                "The person who will do it. The group's people are listed: find anybody else below."
            )

    @property
    def owners_url(self) -> str:
        """The owner search, as you type: active people only, as the owner must be."""
        return f"{reverse('actions:owners')}?active=1"

    owner_matches = OWNER_MATCHES

    @property
    def owner_search_name(self) -> str:
        return self.add_prefix(OWNER_SEARCH)

    @property
    def find_owner_name(self) -> str:
        return self.add_prefix(FIND_OWNER)

    def full_clean(self):
        if self.finding_owner:
            # "Find" only narrows the owner choices: nothing typed is judged, nothing saved.
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.finding_owner and super().is_valid()

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("owner")
        if owner and not cleaned.get("agency"):
            cleaned["agency"] = owner.agency
        group = cleaned.get("group") or getattr(self, "group", None)
        meeting = cleaned.get("meeting") if "meeting" in self.fields else self.instance.meeting
        if not cleaned.get("due_date") and "due_date" in self.fields:
            cleaned["due_date"] = default_due_date(group, today=due_after(meeting))
        if meeting and group and meeting.group_id != group.pk:
            self.add_error("meeting", "Choose a meeting of the action's group.")
        due = cleaned.get("due_date")
        # Checked only when either changes, so an old action's other fields stay editable.
        changed = {"due_date", "meeting"} & set(self.changed_data)
        if meeting and due and due < meeting_day(meeting) and changed:
            self.add_error(
                "due_date",
                f"The due date is before the meeting it was raised at "
                f"({formats.date_format(meeting_day(meeting))}).",
            )
        return cleaned


class ActionEditForm(ActionForm):
    """Staff edit an action. The hidden version refuses a save over somebody else's."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        # Reassigning to a person who has since left is still shown as the current owner.
        self.fields["owner"].queryset = Person.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.owner_id)
        ).select_related("agency")

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("owner")
        # A reassigned action goes with its new owner's agency unless staff chose another.
        if owner and "owner" in self.changed_data and "agency" not in self.changed_data:
            cleaned["agency"] = owner.agency
        return cleaned


class MeetingActionForm(ActionForm):
    """The meeting page's inline form: the group and meeting come from the meeting."""

    meeting = None  # taken from the page, not chosen

    class Meta(ActionForm.Meta):
        fields = [
            "title",
            "owner",
            "due_date",
            "detail",
            "toc_activity",
            "crest_recommendation",
            "performance_measure",
            "task_group",
        ]
        help_texts = {"due_date": "Filled in with the group's next meeting."}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        self.meeting = meeting
        self.group = meeting.group
        kwargs.setdefault("prefix", "log")
        super().__init__(*args, **kwargs)
        self.instance.group = meeting.group
        self.instance.meeting = meeting
        if not self.is_bound:
            self.initial.setdefault(
                "due_date", default_due_date(meeting.group, today=due_after(meeting))
            )

    def clean(self):
        cleaned = super().clean()
        if self.meeting.status == Meeting.Status.CANCELLED:
            raise forms.ValidationError(
                "This meeting was cancelled, so no action can be raised at it."
            )
        return cleaned


class ProgressForm(BoundedFormMixin, BootstrapForm):
    """The owner's quick update: a note, a status change, or both.

    Its fields are drawn by templates/actions/partials/progress_form.html without
    crispy-forms, with the same markup: My actions draws one per outstanding action."""

    status = forms.ChoiceField(label="Status")
    text = forms.CharField(
        label="Progress update",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What has happened since the last update. Needed when marking it done.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("prefix", f"action-{action.pk}")
        super().__init__(*args, **kwargs)
        self.action = action
        statuses = allowed_statuses(action)
        self.fields["status"].choices = [(s, Action.Status(s).label) for s in statuses]
        self.fields["status"].initial = action.status
        self.fields["version"].initial = action.version

    def clean(self):
        cleaned = super().clean()
        if not self.action.is_outstanding:
            raise forms.ValidationError(
                f"This action is {self.action.get_status_display().lower()}: "
                "ask VRU staff to reopen it before adding progress."
            )
        status, text = cleaned.get("status"), (cleaned.get("text") or "").strip()
        if status == Action.Status.DONE and not text:
            self.add_error(
                "text", "Write a short completion note: say how the action was completed."
            )
        elif status == self.action.status and not text:
            self.add_error("text", "Write an update, or change the status.")
        return cleaned


class CancelForm(BoundedFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the action log: cancelled actions are never deleted.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["version"].initial = action.version

    def clean(self):
        cleaned = super().clean()
        if not self.action.is_outstanding:
            raise forms.ValidationError(
                f"This action is already {self.action.get_status_display().lower()}."
            )
        return cleaned


class VersionForm(BoundedFormMixin, forms.Form):
    """A button that changes an action (reopen) still says which version it was pressed on."""

    version = forms.IntegerField(widget=forms.HiddenInput)
