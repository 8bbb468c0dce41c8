"""The chair's part of a quarterly update, drafted before it is finalised: the chair and
VRU staff only."""

from django.contrib import messages
from django.shortcuts import redirect, render

from core.permissions import reporter_required, user_display_name
from core.versioning import (
    CONFLICT_STATUS,
    Difference,
    EditConflict,
    conflict_context,
    conflict_message,
)
from tracker.draft_forms import (
    RATED,
    DraftRiskForm,
    DraftRiskFormSet,
    QuarterlyDraftForm,
    rag_label,
    with_one_more_row,
)
from tracker.models import QuarterlyDraft
from tracker.rag import Rag
from tracker.report import (
    quarterly_draft,
    report_build,
    report_snapshot,
)
from tracker.report_access import (
    group_or_404,
    quarter_or_404,
    quarter_url,
)
from tracker.services import draft_save

RISKS_PREFIX = "risks"


@reporter_required
def draft(request, fy: str, q: str):
    """The chair's part of the quarter's update: ratings (each the portal's suggestion
    unless the chair says otherwise, with a reason), words, and risks and issues."""
    quarter = quarter_or_404(fy, q)
    group, groups = group_or_404(request)
    stored = quarterly_draft(group=group, quarter=quarter)
    snapshot = report_snapshot(group=group, quarter=quarter)
    report = report_build(
        group=group,
        quarter=quarter,
        draft=stored,
        issue=snapshot.issue + 1 if snapshot is not None else 1,
    )
    suggestions = {area["key"]: Rag(area["suggested"]) for area in report["chair"]["areas"]}
    # A page opened before the first draft was saved carries no version: it saves a new
    # draft, and finds somebody else's if one was saved in between (a conflict).
    opened_on_none = request.method == "POST" and "version" not in request.POST
    instance = stored
    if stored is None or opened_on_none:
        instance = QuarterlyDraft(group=group, year=quarter.year, quarter=quarter.number)
    preview = quarter_url("reports:quarterly", quarter, group)
    context = {
        "group": group,
        "groups": groups,
        "quarter": quarter,
        "report": report,
        "snapshot": snapshot,
    }
    if request.method != "POST":
        form = QuarterlyDraftForm(instance=instance, suggestions=suggestions)
        risks = DraftRiskFormSet(
            initial=[DraftRiskForm.initial_for(r) for r in _risks_of(stored)],
            prefix=RISKS_PREFIX,
        )
        return _render_draft(request, form, risks, stored, **context)
    form = QuarterlyDraftForm(request.POST, instance=instance, suggestions=suggestions)
    if "add_risk" in request.POST:
        risks = DraftRiskFormSet(
            with_one_more_row(request.POST, prefix=RISKS_PREFIX), prefix=RISKS_PREFIX
        )
        if risks.forms:
            risks.forms[-1].fields["text"].widget.attrs["autofocus"] = True
        return _render_draft(request, form, risks, stored, **context)
    risks = DraftRiskFormSet(request.POST, prefix=RISKS_PREFIX)
    if not (form.is_valid() and risks.is_valid()):
        messages.error(request, "Nothing was saved: correct what is marked below.")
        return _render_draft(request, form, risks, stored, **context)
    try:
        draft_save(form=form, risks=risks.rows(), by=request.user)
    except EditConflict as conflict:
        messages.error(request, conflict_message(f"the chair's part of the {quarter.label} update"))
        current = conflict.current
        built = conflict_context(form, current, back_url=preview, suggestions=suggestions)
        built["conflict"]["differences"] += _risk_differences(_risks_of(current), risks.rows())
        return _render_draft(
            request,
            built["form"],
            risks,
            current,
            conflict=built["conflict"],
            status=CONFLICT_STATUS,
            **context,
        )
    message = f"The chair's part of the {quarter.label} update is saved."
    if snapshot is not None:
        message += (
            f" Issue {snapshot.issue}, which is current, does not change until the update is "
            "re-issued."
        )
    messages.success(request, message)
    return redirect(preview)


def _risks_of(draft: QuarterlyDraft | None) -> list:
    return list(draft.listed_risks()) if draft is not None else []


def _risk_words(rows) -> str:
    return "; ".join(f"{row.text} ({Rag(row.rag).label}, {row.owner})" for row in rows)


def _risk_differences(stored, typed) -> list[Difference]:
    current, yours = _risk_words(stored), _risk_words(typed)
    return [Difference("Risks and issues", current, yours)] if current != yours else []


def _render_draft(request, form, risks, draft, *, report, conflict=None, status=200, **context):
    chair = report["chair"]
    parts = {"overall": chair["overall"], **{area["key"]: area for area in chair["areas"]}}
    rated = [
        {
            "key": key,
            "name": "Overall status" if key == "overall" else parts[key]["name"],
            "part": parts[key],
            "suggested": rag_label(Rag(parts[key]["suggested"])),
            "rating": form[f"{key}_rag"],
            "reason": form[f"{key}_reason"],
        }
        for key in RATED
    ]
    quarter, group = context["quarter"], context["group"]
    return render(
        request,
        "reports/draft.html",
        {
            **context,
            "form": form,
            "risks": risks,
            "rated": rated,
            "draft": draft if draft is not None and draft.pk else None,
            "draft_by": user_display_name(draft.updated_by) if draft is not None else "",
            "conflict": conflict,
            "can_add_risk": risks.total_form_count() < risks.max_num,
            "urls": {
                "preview": quarter_url("reports:quarterly", quarter, group),
                "draft": quarter_url("reports:draft", quarter, group),
                "reissue": quarter_url("reports:reissue", quarter, group),
            },
        },
        status=status,
    )
