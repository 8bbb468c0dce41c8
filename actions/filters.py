"""The action log's filters: a GET form, so every view of the log has its own address."""

from __future__ import annotations

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone

from actions.forms import (
    FIND_OWNER,
    OWNER_MATCHES,
    OWNER_SEARCH,
    RECENT_MEETINGS,
    DateInput,
    OwnerChoiceField,
    ShownChoiceField,
    meetings_offered,
    search_words,
)
from actions.models import Action
from core.bounds import SEARCH_MAX_LENGTH
from core.widgets import BootstrapForm
from meetings.models import Meeting
from members.models import Agency, Group, Person

OUTSTANDING = "outstanding"
ALL = "all"
# Keys that change how the log is shown, not which actions it holds.
NOT_FILTERS = {"sort", "page", OWNER_SEARCH, FIND_OWNER}

# The "linked item" filter takes "<kind>-<id>"; each kind is one of the action's links.
LINKS = {
    "toc": ("toc_activity", "tracker.ToCActivity", "ToC activities"),
    "crest": ("crest_recommendation", "tracker.CrestRecommendation", "Crest recommendations"),
    "measure": ("performance_measure", "tracker.PerformanceMeasure", "Performance measures"),
    "task": ("task_group", None, "Task and Finish groups"),
}


def _link_choices() -> list:
    choices: list = [("", "Any")]
    for kind, (_field, model_label, heading) in LINKS.items():
        if model_label:
            items = apps.get_model(model_label).objects.order_by("code")
            options = [(f"{kind}-{item.pk}", str(item)[:90]) for item in items]
        else:
            groups = Group.objects.task_and_finish().order_by("name").values_list("pk", "name")
            options = [(f"{kind}-{pk}", name) for pk, name in groups]
        if options:
            choices.append((heading, options))
    return choices


def _group_choices() -> list:
    return list(Group.objects.values_list("pk", "name"))


def _status_choices() -> list:
    return [
        (OUTSTANDING, "Outstanding (open or in progress)"),
        (ALL, "All actions"),
        *Action.Status.choices,
    ]


def is_filtered(data) -> bool:
    """Whether a query names any filter; the log's opening view names none."""
    return any(value for key, value in data.items() if key not in NOT_FILTERS)


def with_status(data):
    """The query with the status it shows: the log opens on the outstanding actions, and
    a query naming other filters but no status (a link from a person's page) shows all,
    as it always did. The status select then says what is applied."""
    if data.get("status"):
        return data
    data = data.copy()
    data["status"] = ALL if is_filtered(data) else OUTSTANDING
    return data


class OwnerFilter(django_filters.ModelChoiceFilter):
    """The owner picker of the forms: grouped by group and agency, narrowed by a name."""

    field_class = OwnerChoiceField


class MeetingFilter(django_filters.ModelChoiceFilter):
    """The "Raised at" filter: lists the chosen group's meetings, but takes any meeting."""

    field_class = ShownChoiceField


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=SEARCH_MAX_LENGTH)
    status = django_filters.ChoiceFilter(
        choices=_status_choices, method="filter_status", label="Status", empty_label=None
    )
    owner = OwnerFilter(queryset=Person.objects.all(), empty_label="Anyone")
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), empty_label="Any")
    # Read as (id, name) pairs: a model per group cost more than the rest of the filters.
    group = django_filters.ChoiceFilter(choices=_group_choices, empty_label="Any")
    meeting = MeetingFilter(
        queryset=Meeting.objects.select_related("group"),
        label="Raised at",
        empty_label="Any meeting",
    )
    linked = django_filters.ChoiceFilter(
        choices=[], method="filter_linked", label="Linked item", empty_label=None
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    due_from = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due from", widget=DateInput
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due to", widget=DateInput
    )
    # Opened and completed between two dates: the quarterly SVRP update's own figures.
    raised_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Logged from", widget=DateInput
    )
    raised_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Logged to", widget=DateInput
    )
    completed_from = django_filters.DateFilter(
        field_name="completed_on", lookup_expr="gte", label="Completed from", widget=DateInput
    )
    completed_to = django_filters.DateFilter(
        field_name="completed_on", lookup_expr="lte", label="Completed to", widget=DateInput
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("due_date", "due"),
            ("title", "title"),
            ("owner__full_name", "owner"),
            ("agency__name", "agency"),
            ("updated_at", "updated"),
        ),
        choices=[
            ("due", "Due date, soonest first"),
            ("-due", "Due date, latest first"),
            ("title", "Title, A to Z"),
            ("owner", "Owner, A to Z"),
            ("agency", "Agency, A to Z"),
            ("-updated", "Recently updated first"),
        ],
        label="Sort by",
        empty_label=None,
    )

    owner_search_name = OWNER_SEARCH
    find_owner_name = FIND_OWNER
    # The log lists nobody until a name is typed: the box asks this address as you type.
    owners_url = reverse_lazy("actions:owners")
    owner_matches = OWNER_MATCHES

    class Meta:
        model = Action
        fields: list[str] = []
        # Drawn by templates/partials/field.html: crispy-forms took half the log's time.
        form = BootstrapForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(None if data is None else with_status(data), *args, **kwargs)
        # Read the tracker's items once per request (a callable would be read on every use).
        self.filters["linked"].extra["choices"] = _link_choices()
        self.owner_search = (self.data.get(OWNER_SEARCH) or "")[:SEARCH_MAX_LENGTH]
        owner = self.form.fields["owner"]
        owner.words = search_words(self.owner_search)
        owner.keep = self.data.get("owner", "")
        owner.help_text = "Find a person below to list them here."
        group, chosen = str(self.data.get("group", "")), str(self.data.get("meeting", ""))
        meeting = self.form.fields["meeting"]
        meeting.shown = meetings_offered(group=group, chosen=chosen)
        meeting.help_text = (
            f"The group's meetings, newest first (up to {RECENT_MEETINGS})."
            if group.isdigit()
            else "Choose a group and apply the filters to list its meetings."
        )

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(detail__icontains=word)
                | Q(owner__full_name__icontains=word)
                | Q(agency__name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        if value == OUTSTANDING:
            return queryset.outstanding()
        if value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_linked(self, queryset, name, value):
        kind, _, pk = value.partition("-")
        field = LINKS[kind][0]
        return queryset.filter(**{f"{field}_id": int(pk)})

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset

    @property
    def qs(self):
        queryset = super().qs
        # A stable order, so pages and exports never shuffle rows with equal sort keys.
        ordering = list(queryset.query.order_by or Action._meta.ordering)
        if "pk" not in ordering:
            ordering.append("pk")
        return queryset.order_by(*ordering)
