"""The tracker: ToC activities, the Crest readiness tracker and the performance measures.

Every portal role sees it (an account with no role does not); VRU staff keep it current.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.models import Action
from core.permissions import has_role, is_vru_staff, role_required, staff_required
from core.quarters import Quarter
from core.versioning import (
    CONFLICT_STATUS,
    Difference,
    EditConflict,
    conflict_context,
    conflict_message,
    save_form,
)
from members.models import Group
from members.selectors import choose_group, covered_groups
from tracker.chart import trend_chart
from tracker.forms import (
    CrestRecommendationForm,
    MeasureValueForm,
    MeasureValuesImportForm,
    ToCActivityStatusForm,
)
from tracker.models import CrestRecommendation, MeasureValue, PerformanceMeasure, ToCActivity
from tracker.report_layout import figure
from tracker.selectors import tor_review
from tracker.services import (
    crest_recommendation_save,
    measure_value_save,
    measure_values_import,
)

MEASURES_PER_PAGE = 25
VALUES_PER_PAGE = 12


@role_required
def index(request):
    group, groups = choose_group(request)
    return _render_index(request, group, groups)


def _working_group_of(group: Group) -> Group:
    """A Task and Finish group's items show on its working group's tracker."""
    return group.parent if group.kind == Group.Kind.TASK_AND_FINISH else group


def _render_index(request, group, groups, *, bound=None, conflict=None, status=200):
    """The tracker page; `bound` holds a form that failed validation, or was refused as
    stale (`conflict`, 409), by its prefix."""
    bound = bound or {}
    group_ids = [g.pk for g in covered_groups(group)] if group else []
    activities = list(
        ToCActivity.objects.filter(group_id__in=group_ids)
        .annotate(
            actions_open=Count("actions", filter=Q(actions__status__in=Action.OUTSTANDING)),
            actions_done=Count("actions", filter=Q(actions__status=Action.Status.DONE)),
        )
        .order_by("code")
    )
    recommendations = list(
        CrestRecommendation.objects.filter(group_id__in=group_ids).order_by("code")
    )
    latest = MeasureValue.objects.filter(measure=OuterRef("pk")).order_by("-year", "-quarter")
    measures = (
        PerformanceMeasure.objects.filter(group_id__in=group_ids)
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_year=Subquery(latest.values("year")[:1]),
            latest_quarter=Subquery(latest.values("quarter")[:1]),
        )
        .order_by("code")
    )
    page_obj = Paginator(measures, MEASURES_PER_PAGE).get_page(request.GET.get("page"))
    for measure in page_obj:
        measure.latest_period = (
            Quarter(measure.latest_year, measure.latest_quarter) if measure.latest_year else None
        )
        measure.status_words = measure.against_target(measure.latest_value)
    if is_vru_staff(request.user):
        for activity in activities:
            prefix = f"toc-{activity.pk}"
            activity.form = bound.get(prefix) or ToCActivityStatusForm(
                instance=activity, prefix=prefix
            )
        for rec in recommendations:
            prefix = f"crest-{rec.pk}"
            rec.form = bound.get(prefix) or CrestRecommendationForm(instance=rec, prefix=prefix)
    return render(
        request,
        "tracker/index.html",
        {
            "group": group,
            "groups": groups,
            "activities": activities,
            "recommendations": recommendations,
            "page_obj": page_obj,
            "measures": page_obj.object_list,
            "conflict": conflict,
            "tor": tor_review(group, timezone.localdate()) if group else None,
        },
        status=status,
    )


def _back_to_tracker(group: Group, anchor: str):
    return redirect(f"{reverse('tracker:index')}?group={group.pk}#{anchor}")


@require_POST
@staff_required
def activity_update(request, pk: int):
    activity = get_object_or_404(ToCActivity.objects.select_related("group"), pk=pk)
    group = _working_group_of(activity.group)
    prefix = f"toc-{pk}"
    form = ToCActivityStatusForm(request.POST, instance=activity, prefix=prefix)
    if not form.is_valid():
        return _render_index(request, group, [group], bound={prefix: form})
    try:
        save_form(form)
    except EditConflict as conflict:
        return _tracker_conflict(request, group, form, conflict.current, activity.code)
    messages.success(request, f"{activity.code} is now {activity.get_status_display().lower()}.")
    return _back_to_tracker(group, prefix)


@require_POST
@staff_required
def crest_update(request, pk: int):
    rec = get_object_or_404(CrestRecommendation.objects.select_related("group"), pk=pk)
    group = _working_group_of(rec.group)
    prefix = f"crest-{pk}"
    form = CrestRecommendationForm(request.POST, instance=rec, prefix=prefix)
    if not form.is_valid():
        return _render_index(request, group, [group], bound={prefix: form})
    try:
        now_due = crest_recommendation_save(form)
    except EditConflict as conflict:
        return _tracker_conflict(
            request, group, form, conflict.current, f"recommendation {rec.code}"
        )
    message = f"Crest recommendation {rec.code} saved: {rec.get_status_display().lower()}."
    if now_due:
        message += " The ToR is now due for revision."
    messages.success(request, message)
    return _back_to_tracker(group, prefix)


def _tracker_conflict(request, group: Group, form, current, title: str):
    """An activity or recommendation saved by somebody else since the page was opened."""
    messages.error(request, conflict_message(title))
    back = f"{reverse('tracker:index')}?group={group.pk}#{form.prefix}"
    context = conflict_context(form, current, back_url=back)
    conflict = {**context["conflict"], "title": title, "prefix": form.prefix}
    return _render_index(
        request,
        group,
        [group],
        bound={form.prefix: context["form"]},
        conflict=conflict,
        status=CONFLICT_STATUS,
    )


def _measure_or_404(request, pk: int) -> PerformanceMeasure:
    """Every portal role sees every measure; an account with no role sees none (404)."""
    if not has_role(request.user):
        raise Http404
    return get_object_or_404(PerformanceMeasure.objects.select_related("group"), pk=pk)


def measure_detail(request, pk: int):
    measure = _measure_or_404(request, pk)
    return _render_measure(request, measure)


def _value_row(measure, value, before) -> dict:
    """A quarter's value, its direction against the previous quarter and its status."""
    is_previous = before is not None and before.period == value.period.previous()
    return {
        "value": value,
        "direction": measure.direction(value.value, before.value if is_previous else None),
        "against_target": measure.against_target(value.value),
    }


def _render_measure(
    request, measure, *, value_form=None, import_form=None, conflict=None, status=200
):
    values = measure.values.order_by("-year", "-quarter")
    page_obj = Paginator(values, VALUES_PER_PAGE).get_page(request.GET.get("page"))
    # One more than the page: the value before the page's oldest tells its direction.
    end = page_obj.end_index()
    newest_first = list(values[page_obj.start_index() - 1 : end + 1]) if end else []
    series = list(reversed(newest_first[:VALUES_PER_PAGE]))
    older = newest_first[VALUES_PER_PAGE:]
    rows = [
        _value_row(measure, value, series[index - 1] if index else next(iter(older), None))
        for index, value in enumerate(series)
    ]
    latest_two = list(values[:2]) if page_obj.number != 1 else newest_first[:2]
    latest = (
        _value_row(measure, latest_two[0], next(iter(latest_two[1:]), None)) if latest_two else None
    )
    context = {
        "measure": measure,
        "page_obj": page_obj,
        "rows": rows,
        "latest": latest,
        "chart": trend_chart(
            [(v.period.label, v.value) for v in series],
            target=measure.target,
            title=f"Trend of {measure.code} {measure.title}",
            chart_id=f"measure-{measure.pk}-chart",
        ),
        "target": figure(measure.target),
    }
    if is_vru_staff(request.user):
        context["value_form"] = value_form or MeasureValueForm(
            measure=measure, initial={"quarter": Quarter.current().previous().label}
        )
        context["import_form"] = import_form or MeasureValuesImportForm()
    context["conflict"] = conflict
    return render(request, "tracker/measure_detail.html", context, status=status)


@require_POST
@staff_required
def measure_value(request, pk: int):
    measure = get_object_or_404(PerformanceMeasure.objects.select_related("group"), pk=pk)
    form = MeasureValueForm(request.POST, measure=measure)
    if not form.is_valid():
        started = form.cleaned_data.get("version")
        if started is not None and started != measure.version:
            # Judged against values that have changed since: the change comes first.
            return _measure_conflict(request, pk, form)
        return _render_measure(request, measure, value_form=form)
    data = form.cleaned_data
    try:
        _, created = measure_value_save(
            measure=measure,
            quarter=data["quarter"],
            value=data["value"],
            note=data["note"].strip(),
            by=request.user,
            version=data["version"],
        )
    except EditConflict:
        return _measure_conflict(request, pk, form)
    verb = "saved" if created else "corrected"
    messages.success(
        request,
        f"{measure.code}: the value for {data['quarter'].label} is {verb} "
        f"({figure(data['value'])} {measure.unit}).".replace(" )", ")"),
    )
    return redirect("tracker:measure", pk=measure.pk)


def _measure_conflict(request, pk: int, form: MeasureValueForm):
    """A value of the measure saved by somebody else since the page was opened (409): the
    quarter's current value beside what was typed, and the form again on the current
    version. The page's table shows every current value."""
    measure = get_object_or_404(PerformanceMeasure.objects.select_related("group"), pk=pk)
    quarter, value = form.cleaned_data.get("quarter"), form.cleaned_data.get("value")
    differences = []
    if quarter is not None:
        existing = measure.values.filter(year=quarter.year, quarter=quarter.number).first()
        current = (existing.value, existing.note) if existing else (None, "")
        yours = (value, (form.cleaned_data.get("note") or "").strip())
        if current[0] != yours[0]:
            differences.append(
                Difference(f"Value for {quarter.label}", figure(current[0]), figure(yours[0]))
            )
        if current[1] != yours[1]:
            differences.append(Difference(f"Note for {quarter.label}", current[1], yours[1]))
    data = form.data.copy()
    data[form.add_prefix("version")] = measure.version
    messages.error(request, conflict_message(f"the values of {measure.code}"))
    return _render_measure(
        request,
        measure,
        value_form=MeasureValueForm(data, measure=measure),
        conflict={"differences": differences, "back_url": measure.get_absolute_url()},
        status=CONFLICT_STATUS,
    )


@require_POST
@staff_required
def measure_import(request, pk: int):
    measure = get_object_or_404(PerformanceMeasure.objects.select_related("group"), pk=pk)
    form = MeasureValuesImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Nothing was imported: correct the file and try again.")
        return _render_measure(request, measure, import_form=form)
    result = measure_values_import(measure=measure, rows=form.cleaned_data["file"], by=request.user)
    messages.success(
        request,
        f"{measure.code}: {result.created + result.updated} values imported "
        f"({result.created} new, {result.updated} corrected).",
    )
    return redirect("tracker:measure", pk=measure.pk)
