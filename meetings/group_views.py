"""Groups and their seats. Staff set up and edit working groups and the SVRP (their
ToR facts, meeting pattern, chair and vice-chair), form Task and Finish groups under a
working group for a separate work stream, and fill, change and end the seats of every
group. VRU staff only, like every change to the schedule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.permissions import staff_required
from core.versioning import (
    CONFLICT_STATUS,
    EditConflict,
    conflict_context,
    conflict_message,
    save_form,
)
from meetings import services
from meetings.forms import SeatForm, TaskGroupForm, WorkingGroupForm
from meetings.models import Meeting
from members.models import Group, Membership

GROUPS_PER_PAGE = 25


def _group_or_404(pk: int) -> Group:
    return get_object_or_404(Group.objects.select_related("parent"), pk=pk)


@staff_required
def group_list(request):
    children = Group.objects.task_and_finish().annotate(
        seat_count=Count("memberships", distinct=True)
    )
    working = (
        Group.objects.filter(kind=Group.Kind.WORKING)
        .annotate(seat_count=Count("memberships", distinct=True))
        .prefetch_related(Prefetch("children", queryset=children.order_by("-is_active", "name")))
        .order_by("name")
    )
    boards = Group.objects.filter(kind=Group.Kind.SVRP).annotate(
        seat_count=Count("memberships", distinct=True)
    )
    page = Paginator(working, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/groups/list.html",
        {"working_groups": page.object_list, "page_obj": page, "boards": boards},
    )


def _render_form(request, form, group: Group | None, *, status: int = 200, **context):
    """The group form: a Task and Finish group's, or a working group's or the SVRP's."""
    if group is not None:
        title, submit = f"Edit {group.name}", "Save changes"
    elif isinstance(form, TaskGroupForm):
        title, submit = "Form a Task and Finish group", "Form the group"
    else:
        title, submit = "Set up a working group", "Set up the group"
    context = {"form": form, "group": group, "title": title, "submit": submit, **context}
    return render(request, "meetings/groups/form.html", context, status=status)


@staff_required
def group_create(request):
    """Form a Task and Finish group under a working group (`?parent=<id>` picks it)."""
    initial = {}
    if (parent := request.GET.get("parent", "")).isdigit():
        initial["parent"] = parent
    form = TaskGroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(
            request, f"{group.name} formed under the {group.parent.name}. Now add its seats."
        )
        return redirect("meetings:group_detail", group.pk)
    return _render_form(request, form, None)


@staff_required
def working_group_create(request):
    """Set up a working group, or the SVRP: its seats, then its chair, come next."""
    form = WorkingGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(
            request,
            f"{group.name} set up. Now add its seats, then choose its chair and vice-chair "
            "on Edit the group.",
        )
        return redirect("meetings:group_detail", group.pk)
    return _render_form(request, form, None)


@staff_required
def group_detail(request, pk: int):
    group = _group_or_404(pk)
    today = timezone.localdate()
    seats = list(
        group.memberships.select_related("agency", "person").order_by(
            "agency__order", "agency__name", "order", "pk"
        )
    )
    current = [s for s in seats if s.end_date is None or s.end_date >= today]
    meetings = (
        Meeting.objects.for_group(group, with_children=False)
        .with_attendance_summary()
        .select_related("group", "host_agency")
        .order_by("-starts_at")[:10]
    )
    return render(
        request,
        "meetings/groups/detail.html",
        {
            "group": group,
            "today": today,
            "current_seats": current,
            "ended_seats": [s for s in seats if s not in current],
            "meetings": meetings,
        },
    )


@staff_required
def group_edit(request, pk: int):
    """Edit any group with the form of its kind: a Task and Finish group keeps its
    working group; a working group or the SVRP also chooses its chair and vice-chair."""
    group = _group_or_404(pk)
    form_class = TaskGroupForm if group.kind == Group.Kind.TASK_AND_FINISH else WorkingGroupForm
    form = form_class(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            if form_class is WorkingGroupForm:
                services.group_save(
                    form,
                    chair=form.cleaned_data["chair"],
                    vice_chair=form.cleaned_data["vice_chair"],
                    by=request.user,
                )
            else:
                save_form(form)
        except EditConflict as conflict:
            messages.error(request, conflict_message("this group"))
            back = reverse("meetings:group_detail", args=[pk])
            context = conflict_context(form, conflict.current, back_url=back)
            return _render_form(
                request,
                context.pop("form"),
                conflict.current,
                status=CONFLICT_STATUS,
                **context,
            )
        except ValidationError as error:
            # A seat ended between showing the form and saving it.
            form.add_error(None, error)
            return _render_form(request, form, group)
        messages.success(request, f"{group.name} updated.")
        return redirect("meetings:group_detail", group.pk)
    return _render_form(request, form, group)


@staff_required
def seat_create(request, pk: int):
    group = _group_or_404(pk)
    form = SeatForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        seat = form.save()
        messages.success(request, f"Seat added to {group.name}: {seat.role_title}.")
        return redirect("meetings:group_detail", group.pk)
    return render(
        request, "meetings/groups/seat_form.html", {"form": form, "group": group, "seat": None}
    )


@staff_required
def seat_edit(request, pk: int, seat_pk: int):
    group = _group_or_404(pk)
    seat = get_object_or_404(Membership, pk=seat_pk, group=group)
    form = SeatForm(request.POST or None, instance=seat, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            save_form(form)
        except EditConflict as conflict:
            messages.error(request, conflict_message("this seat"))
            back = reverse("meetings:group_detail", args=[pk])
            context = conflict_context(form, conflict.current, back_url=back, group=group)
            return render(
                request,
                "meetings/groups/seat_form.html",
                {**context, "group": group, "seat": conflict.current},
                status=CONFLICT_STATUS,
            )
        messages.success(request, f"Seat updated: {seat.role_title}.")
        return redirect("meetings:group_detail", group.pk)
    return render(
        request, "meetings/groups/seat_form.html", {"form": form, "group": group, "seat": seat}
    )


@require_POST
@staff_required
def seat_end(request, pk: int, seat_pk: int):
    """End a seat today. Its attendance history stays: seats are ended, never deleted."""
    group = _group_or_404(pk)
    seat = get_object_or_404(Membership, pk=seat_pk, group=group)
    today = timezone.localdate()
    if seat.end_date is not None and seat.end_date <= today:
        messages.info(request, f"{seat.role_title} had already ended.")
    else:
        seat.end_date = max(today, seat.start_date) if seat.start_date else today
        seat.save(update_fields=["end_date"])
        messages.success(request, f"{seat.role_title} ended today.")
    return redirect("meetings:group_detail", group.pk)
