"""A group's Terms of Reference: the page and its Word and PDF, drawn from live data; its
published versions as they were published; and, for VRU staff, editing its text,
publishing a new version and sending it to the seat holders.

Every portal role reads and downloads; only VRU staff change or send anything. A send
is a background job (tracker/jobs.py) that builds the Word and PDF and sends them: the
page returns at once and the ToR page lists the group's sends as they go.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import jobs
from core.documents import CONTENT_TYPES
from core.emails import NotSent
from core.permissions import is_vru_staff, role_required, staff_required, user_display_name
from core.security import posted_next
from core.versioning import (
    CONFLICT_STATUS,
    EditConflict,
    conflict_context,
    conflict_message,
    save_form,
)
from members.models import Group, Membership
from tracker import jobs as tracker_jobs
from tracker.models import TorSend, TorVersion
from tracker.selectors import tor_review
from tracker.tor_document import (
    NotPublished,
    colophon,
    filename,
    page_sections,
    published_words,
    render_file,
    text_of,
    tor_content,
    tor_publish,
    tor_seats,
)
from tracker.tor_forms import TorPublishForm, TorTextForm
from tracker.tor_sending import check_reachable, check_unsent, unsent_seats, version_to_send

RECENT_SENDS = 20
VERSIONS_PER_PAGE = 25


def _group(pk: int) -> Group:
    return get_object_or_404(Group, pk=pk)


def _tor_url(group: Group) -> str:
    return reverse("tor:group", args=[group.pk])


def _file(content: dict, extension: str) -> HttpResponse:
    response = HttpResponse(render_file(content, extension), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename(content, extension)}"'
    return response


def _document(content: dict) -> dict:
    """What the document partial (tracker/tor/document.html) draws from a content dict."""
    return {
        "content": content,
        "sections": page_sections(content),
        "colophon": colophon(content),
        "published_words": published_words(content),
    }


def _render_page(request, group: Group, *, publish_form=None, status=200):
    """The ToR page: the document as today's data and text make it, its versions, and
    staff's controls."""
    staff = is_vru_staff(request.user)
    versions = Paginator(
        group.tor_versions.order_by("-published_at", "-pk"), VERSIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "group": group,
        **_document(tor_content(group)),
        "versions": versions.object_list,
        "page_obj": versions,
        "review": tor_review(group, timezone.localdate()),
        "is_vru_staff": staff,
    }
    if staff:
        current = group.tor_versions.filter(version=group.tor_version).first()
        sends = list(
            TorSend.objects.filter(tor_version__group=group).select_related(
                "tor_version", "seat", "person", "sent_by__person"
            )[:RECENT_SENDS]
        )
        for send in sends:
            send.sent_by_name = user_display_name(send.sent_by)
        context.update(
            publish_form=publish_form or TorPublishForm(),
            current_version=current,
            unsent_count=len(unsent_seats(group, current)) if current else None,
            seats=list(tor_seats(group)),
            sends=sends,
        )
    return render(request, "tracker/tor/page.html", context, status=status)


@require_GET
@role_required
def tor_page(request, pk: int):
    return _render_page(request, _group(pk))


@require_GET
@role_required
def tor_docx(request, pk: int):
    return _file(tor_content(_group(pk)), "docx")


@require_GET
@role_required
def tor_pdf(request, pk: int):
    return _file(tor_content(_group(pk)), "pdf")


@require_http_methods(["GET", "POST"])
@staff_required
def tor_edit(request, pk: int):
    """Staff write the ToR's sections that are not data."""
    group = _group(pk)
    text = text_of(group)
    if request.method != "POST":
        form = TorTextForm(instance=text)
        return render(request, "tracker/tor/edit.html", {"group": group, "form": form})
    form = TorTextForm(request.POST, instance=text)
    if not form.is_valid():
        return render(request, "tracker/tor/edit.html", {"group": group, "form": form})
    form.instance.updated_by = request.user
    try:
        save_form(form) if text.pk else form.save()
    except EditConflict as conflict:
        messages.error(request, conflict_message("this ToR's text"))
        context = conflict_context(form, conflict.current, back_url=_tor_url(group))
        return render(
            request,
            "tracker/tor/edit.html",
            {"group": group, **context},
            status=CONFLICT_STATUS,
        )
    messages.success(
        request,
        f"The {group.name}'s ToR text is saved. Publish a new version to send it.",
    )
    return redirect(_tor_url(group))


@require_POST
@staff_required
def tor_publish_view(request, pk: int):
    group = _group(pk)
    form = TorPublishForm(request.POST)
    if not form.is_valid():
        return _render_page(request, group, publish_form=form, status=400)
    try:
        version = tor_publish(
            group=group,
            version=form.cleaned_data["version"],
            published=form.cleaned_data["published"],
            by=request.user,
        )
    except NotPublished as refused:
        form.add_error("version", str(refused))
        return _render_page(request, group, publish_form=form, status=400)
    messages.success(
        request,
        f"{version.version} of the {group.name}'s ToR is published; earlier versions are kept.",
    )
    return redirect(_tor_url(group))


def _back(request, group: Group) -> str:
    """Where a send goes back to: the page it was made from (the ToR page or the
    distribution list)."""
    return posted_next(request, _tor_url(group))


def _on_its_way(group: Group, function, **arguments) -> None:
    """NotSent if the same send is queued, running or waiting to try again: it would
    send the same email twice."""
    if jobs.on_its_way(function, group, **arguments):
        raise NotSent(
            f"That send of the {group.name}'s ToR is on its way already: the ToR page "
            "shows when it has gone."
        )


@require_POST
@staff_required
def tor_send_seat(request, pk: int):
    seat = get_object_or_404(Membership.objects.select_related("group", "agency", "person"), pk=pk)
    try:
        check_reachable(seat)
        version = version_to_send(seat.group, by=request.user)
        _on_its_way(seat.group, tracker_jobs.send_tor_to_seat, seat_id=seat.pk)
    except NotSent as refused:
        messages.error(request, str(refused))
    else:
        queued = jobs.enqueue(
            tracker_jobs.send_tor_to_seat,
            description=tracker_jobs.tor_description(version, seat),
            about=seat.group,
            by=request.user,
            seat_id=seat.pk,
            version_id=version.pk,
        )
        jobs.tell(request, queued)
    return HttpResponseRedirect(_back(request, seat.group))


@require_POST
@staff_required
def tor_send_unsent(request, pk: int):
    group = _group(pk)
    try:
        version = version_to_send(group, by=request.user)
        check_unsent(group, version)
        _on_its_way(group, tracker_jobs.send_tor_to_unsent)
    except NotSent as refused:
        messages.error(request, str(refused))
    else:
        queued = jobs.enqueue(
            tracker_jobs.send_tor_to_unsent,
            description=tracker_jobs.tor_description(version),
            about=group,
            by=request.user,
            group_id=group.pk,
            version_id=version.pk,
        )
        jobs.tell(request, queued)
    return HttpResponseRedirect(_back(request, group))


def _version(pk: int) -> TorVersion:
    return get_object_or_404(TorVersion.objects.select_related("group", "published_by"), pk=pk)


@require_GET
@role_required
def tor_version_page(request, pk: int):
    """A published version, as it was published."""
    version = _version(pk)
    return render(
        request,
        "tracker/tor/version.html",
        {"version": version, "group": version.group, **_document(version.content)},
    )


@require_GET
@role_required
def tor_version_docx(request, pk: int):
    return _file(_version(pk).content, "docx")


@require_GET
@role_required
def tor_version_pdf(request, pk: int):
    return _file(_version(pk).content, "pdf")
