"""The action log, my actions, the action page, and the forms that change actions."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from actions import exports, reminders, services
from actions.access import can_manage, can_update, get_action
from actions.filters import ALL, OUTSTANDING, ActionFilter, is_filtered
from actions.forms import (
    FIND_OWNER,
    OWNER_MATCHES,
    OWNER_SEARCH,
    ActionEditForm,
    ActionForm,
    CancelForm,
    MeetingActionForm,
    ProgressForm,
    VersionForm,
    people_named,
    search_words,
)
from actions.models import Action, ActionUpdate, ReminderSent
from actions.services import EDITABLE_FIELDS, EditConflict, InvalidTransition
from core.bounds import SEARCH_MAX_LENGTH
from core.permissions import person_of, role_required, staff_required, user_display_name
from meetings.models import Meeting
from members.models import Person

PAGE_SIZE = 25
RECENTLY_COMPLETED_DAYS = 90
# The reminder emails page looks this many days ahead, today included.
SCHEDULE_DAYS = 14
CONFLICT_MESSAGE = (
    "Somebody else changed this action while you were working on it, so your changes "
    "were not saved. The current version is shown below: check it, then save again "
    "if your changes still apply."
)


def _filtered(request) -> ActionFilter:
    return ActionFilter(request.GET, queryset=Action.objects.with_links())


def _page_of(actions, number):
    """One page of the log in three short queries: the count, the page's actions in the
    log's order, then those actions with what their rows name. Joining the linked tables
    before sorting makes the database plan and sort the whole log with them: ten times
    slower at scale."""
    page_obj = Paginator(actions.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page_obj.object_list)
    rows = Action.objects.with_row_names().in_bulk(ids)
    page_obj.object_list = [rows[pk] for pk in ids if pk in rows]
    return page_obj


@require_GET
@role_required
def action_list(request):
    action_filter = ActionFilter(request.GET, queryset=Action.objects.all())
    page_obj = _page_of(action_filter.qs, request.GET.get("page"))
    # The downloads name the status the page shows, so they hold exactly its actions.
    query = action_filter.data.copy()
    for key in ("page", OWNER_SEARCH, FIND_OWNER):
        query.pop(key, None)
    return render(
        request,
        "actions/list.html",
        {
            "filter": action_filter,
            "page_obj": page_obj,
            "export_query": query.urlencode(),
            "is_filtered": is_filtered(request.GET),
            "narrowed": _narrowed(request.GET, action_filter.data["status"]),
            "status": action_filter.data["status"],
            "can_manage": can_manage(request.user),
        },
    )


@require_GET
@role_required
def owner_search(request):
    """The owner boxes, as you type: the first people whose name holds every word typed,
    by name, with the value the select takes. Names only: nothing else is needed. The
    log filters by anybody; the forms (`active=1`) take active people only."""
    words = search_words(request.GET.get("q", "")[:SEARCH_MAX_LENGTH])
    people = Person.objects.active() if request.GET.get("active") == "1" else Person.objects
    people = people_named(people.all(), words).values_list("pk", "full_name")
    # One more than is shown, to say whether there are more.
    found = list(people[: OWNER_MATCHES + 1]) if words else []
    return JsonResponse(
        {
            "results": [{"value": pk, "name": name} for pk, name in found[:OWNER_MATCHES]],
            "more": len(found) > OWNER_MATCHES,
        }
    )


def _narrowed(query, status: str) -> bool:
    """Whether the log shows fewer than its outstanding actions, or than all of them."""
    others = {key: value for key, value in query.items() if key != "status"}
    return is_filtered(others) or status not in (OUTSTANDING, ALL)


@require_GET
@role_required
def export_csv(request):
    return exports.csv_response(_filtered(request).qs)


@require_GET
@role_required
def export_xlsx(request):
    return exports.xlsx_response(_filtered(request).qs)


def _latest_update():
    """Each action's newest update only, in one query (`action.latest_update`, a list)."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("action_id")],
        order_by=[F("created_at").desc(), F("pk").desc()],
    )
    # No order: the model's ("action" first) joins every action to sort by the action's own.
    newest = ActionUpdate.objects.order_by().annotate(rank=newest_first).filter(rank=1)
    return Prefetch("updates", queryset=newest, to_attr="latest_update")


def _my_outstanding(person: Person | None):
    return Action.objects.outstanding().owned_by(person).order_by("due_date", "pk")


@require_GET
@role_required
def my_actions(request):
    person = person_of(request.user)
    outstanding = _my_outstanding(person).select_related("group", "meeting__group")
    page_obj = Paginator(outstanding.prefetch_related(_latest_update()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    since = timezone.localdate() - dt.timedelta(days=RECENTLY_COMPLETED_DAYS)
    # Finished: completed since `since`, or cancelled (last changed) since then.
    finished = (
        Action.objects.owned_by(person)
        .filter(
            Q(status=Action.Status.DONE, completed_on__gte=since)
            | Q(status=Action.Status.CANCELLED, updated_at__date__gte=since)
        )
        .select_related("group")
        .order_by(Coalesce("completed_on", TruncDate("updated_at")).desc(), "-pk")[:PAGE_SIZE]
    )
    finished = list(finished)
    posted = request.GET.get("posted", "")
    return render(
        request,
        "actions/mine.html",
        {
            "person": person,
            "page_obj": page_obj,
            "rows": [(action, ProgressForm(action=action)) for action in page_obj],
            "finished": finished,
            "since": since,
            "posted": posted,
            # An action just marked done is in the finished list: open it to show its row.
            "open_finished": any(str(action.pk) == posted for action in finished),
        },
    )


@require_GET
def action_detail(request, pk: int):
    action = get_action(request, pk)
    may_update = can_update(request.user, action) and action.is_outstanding
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "updates": action.updates.order_by("created_at", "pk"),
            "progress_form": ProgressForm(action=action) if may_update else None,
            "can_manage": can_manage(request.user),
            "version_form": VersionForm(initial={"version": action.version}),
            "created_by": user_display_name(action.created_by),
        },
    )


@staff_required
def action_new(request):
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            action = services.action_create(action=form.save(commit=False), by=request.user)
            messages.success(request, f"Action logged: “{action.title}”.")
            return redirect("actions:detail", action.pk)
    else:
        form = ActionForm(initial=_initial_from_query(request))
    return render(request, "actions/form.html", {"form": form})


def _initial_from_query(request) -> dict:
    """Prefill /actions/new/?meeting=<id> with the meeting and its group."""
    initial = {}
    meeting_id = request.GET.get("meeting", "")
    if meeting_id.isdigit():
        meeting = Meeting.objects.filter(pk=meeting_id).first()
        if meeting is not None:
            initial.update(meeting=meeting.pk, group=meeting.group_id)
    return initial


@staff_required
def action_edit(request, pk: int):
    action = get_action(request, pk, to_manage=True)
    if request.method == "POST":
        form = ActionEditForm(request.POST, instance=action)
        if form.is_valid():
            values = {name: form.cleaned_data.get(name) for name in EDITABLE_FIELDS}
            try:
                saved = services.action_edit(
                    action_id=pk,
                    version=form.cleaned_data["version"],
                    values=values,
                    by=request.user,
                )
            except EditConflict as conflict:
                return _edit_conflict(request, form, conflict.current)
            if saved.version == form.cleaned_data["version"]:
                messages.info(request, "Nothing was changed.")
            else:
                messages.success(request, f"Changes saved to “{saved.title}”.")
            return redirect("actions:detail", pk)
    else:
        form = ActionEditForm(instance=action)
    return render(request, "actions/edit.html", {"form": form, "action": action})


def _edit_conflict(request, form: ActionEditForm, current: Action):
    """Show the current version beside the refused changes; the form keeps what was typed."""
    differences = []
    for name in EDITABLE_FIELDS:
        yours, theirs = form.cleaned_data.get(name), getattr(current, name)
        if yours != theirs and (yours or theirs):
            differences.append({"label": form[name].label, "current": theirs, "yours": yours})
    data = request.POST.copy()
    data["version"] = current.version
    fresh = ActionEditForm(data, instance=Action.objects.get(pk=current.pk))
    messages.error(request, CONFLICT_MESSAGE)
    return render(
        request,
        "actions/edit.html",
        {"form": fresh, "action": current, "conflict": True, "differences": differences},
        status=409,
    )


def _return_to(request, action: Action):
    """Back where the update was posted: on My actions, to the same card (or, once it is
    finished, its row in the finished list), on the page of the list that holds it."""
    if request.POST.get("return_to") != "mine":
        return redirect("actions:detail", action.pk)
    query = {"posted": action.pk}
    if action.is_outstanding:
        before = (
            _my_outstanding(action.owner)
            .filter(Q(due_date__lt=action.due_date) | Q(due_date=action.due_date, pk__lt=action.pk))
            .count()
        )
        if before >= PAGE_SIZE:
            query["page"] = before // PAGE_SIZE + 1
    return redirect(f"{reverse('actions:mine')}?{urlencode(query)}#action-{action.pk}")


def _started_from(request, key: str) -> int | None:
    """The version a posted form was opened on, if it says."""
    value = request.POST.get(key, "")
    return int(value) if value.isdigit() else None


def _check_not_stale(request, key: str, action: Action) -> None:
    """Refuse a form opened on an older version before judging it against the new one."""
    started = _started_from(request, key)
    if started is not None and started != action.version:
        raise EditConflict(action)


def _with_version(data, key: str, version: int):
    """The posted data, now on the current version: saving again is a deliberate choice."""
    data = data.copy()
    data[key] = version
    return data


def _progress_kept(request, form: ProgressForm, action: Action) -> dict:
    """What the owner wrote, offered again on the current version without judging it yet:
    a status the action has since moved past falls back to the current one."""
    status = request.POST.get(form.add_prefix("status"), "")
    return {
        "text": request.POST.get(form.add_prefix("text"), ""),
        "status": status if status in services.allowed_statuses(action) else action.status,
    }


def action_update(request, pk: int):
    """The owner's progress update; also reachable from My actions and the action page."""
    action = get_action(request, pk, to_update=True)
    conflict = False
    if request.method == "POST":
        form = ProgressForm(request.POST, action=action)
        key = form.add_prefix("version")
        try:
            _check_not_stale(request, key, action)
            if form.is_valid():
                saved = services.action_report_progress(
                    action_id=pk,
                    version=form.cleaned_data["version"],
                    text=form.cleaned_data["text"],
                    status=form.cleaned_data["status"],
                    by=request.user,
                )
                if saved.status == Action.Status.DONE:
                    messages.success(request, f"Marked done: “{saved.title}”. Thank you.")
                else:
                    messages.success(request, f"Update posted on “{saved.title}”.")
                return _return_to(request, saved)
        except EditConflict:
            action, conflict = get_action(request, pk), True
            form = ProgressForm(action=action, initial=_progress_kept(request, form, action))
            messages.error(request, CONFLICT_MESSAGE)
        except InvalidTransition as error:
            form.add_error(None, str(error))
    else:
        form = ProgressForm(action=action)
    return render(
        request,
        "actions/update.html",
        {
            "action": action,
            "form": form,
            "conflict": conflict,
            "updates": action.updates.order_by("-created_at", "-pk")[:5],
        },
        status=409 if conflict else 200,
    )


@staff_required
def action_cancel(request, pk: int):
    action = get_action(request, pk, to_manage=True)
    conflict = False
    if request.method == "POST":
        form = CancelForm(request.POST, action=action)
        try:
            _check_not_stale(request, "version", action)
            if form.is_valid():
                saved = services.action_cancel(
                    action_id=pk,
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
                messages.success(
                    request, f"Action cancelled: “{saved.title}”. It stays in the log."
                )
                return redirect("actions:detail", pk)
        except EditConflict:
            action, conflict = get_action(request, pk), True
            form = CancelForm(_with_version(request.POST, "version", action.version), action=action)
            messages.error(request, CONFLICT_MESSAGE)
        except InvalidTransition as error:
            form.add_error(None, str(error))
    else:
        form = CancelForm(action=action)
    return render(
        request,
        "actions/cancel.html",
        {"action": action, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_POST
@staff_required
def action_reopen(request, pk: int):
    action = get_action(request, pk, to_manage=True)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The action could not be reopened: reload the page and try again.")
        return redirect("actions:detail", pk)
    try:
        saved = services.action_reopen(
            action_id=pk, version=form.cleaned_data["version"], by=request.user
        )
    except EditConflict:
        messages.error(request, CONFLICT_MESSAGE)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Action reopened: “{saved.title}”.")
    return redirect("actions:detail", action.pk)


@require_POST
@staff_required
def log_at_meeting(request, meeting_pk: int):
    """The meeting page's inline form: htmx appends the new row; without JS, a normal POST."""
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=meeting_pk)
    form = MeetingActionForm(request.POST, meeting=meeting)
    if form.is_valid():
        action = services.action_create(action=form.save(commit=False), by=request.user)
        if request.htmx:
            fresh = MeetingActionForm(meeting=meeting)
            _focus(fresh, "title")  # ready for the next action
            # htmx reports a missing out-of-band target, so the "none yet" row is removed
            # only by the first action raised at the meeting.
            first = not meeting.actions.exclude(pk=action.pk).exists()
            return render(
                request,
                "actions/partials/meeting_action_logged.html",
                {"action": action, "meeting": meeting, "form": fresh, "first": first},
            )
        messages.success(request, f"Action logged: “{action.title}”.")
        return redirect("meetings:detail", meeting.pk)
    if request.htmx:
        _focus(form, "owner" if form.finding_owner else next(iter(form.errors), "title"))
        response = render(
            request,
            "actions/partials/meeting_action_form.html",
            {"meeting": meeting, "form": form},
        )
        return reswap(retarget(response, "#log-action-form"), "outerHTML")
    return render(request, "actions/meeting_log.html", {"meeting": meeting, "form": form})


def _focus(form, name: str) -> None:
    """Put keyboard focus on a field when htmx swaps the form in."""
    if name in form.fields:
        form.fields[name].widget.attrs["autofocus"] = True


@require_POST
@role_required
def reminders_preference(request):
    """The signed-in person turns reminder emails off or on for themselves."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    opt_out = request.POST.get("reminders") == "off"
    Person.objects.filter(pk=person.pk).update(reminders_opt_out=opt_out)
    if opt_out:
        messages.success(request, "You will not get action reminder emails.")
    else:
        messages.success(request, "You will get action reminder emails again.")
    return redirect("actions:mine")


@require_GET
@staff_required
def reminders_schedule(request):
    """Which reminder emails went out and which will: staff answer "was I reminded?"."""
    sent = ReminderSent.objects.select_related("person", "action").order_by("-sent_at", "-pk")
    page_obj = Paginator(sent, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    due = [
        {"reminder": reminder, "email": reminders.reminder_message(reminder)}
        for reminder in reminders.reminder_schedule(today, SCHEDULE_DAYS)
    ]
    return render(
        request,
        "actions/reminders_schedule.html",
        {
            "page_obj": page_obj,
            "due": due,
            "first_day": today,
            "last_day": today + dt.timedelta(days=SCHEDULE_DAYS - 1),
        },
    )
