"""A person's subject access export, and anonymising a person who has left (UK GDPR).

Only VRU staff do either; anyone else signed in gets 403. Anonymising VRU staff, the
chair or an administrator is a superuser's job (members.gdpr.may_anonymise). Both are
written to the security log by user id, never by name or email.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.permissions import staff_required
from core.security import log_event
from members import gdpr
from members.models import Person

CONTENT_TYPES = {
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
WRITERS = {"json": gdpr.subject_access_json, "docx": gdpr.subject_access_docx}


def _person(pk: int) -> Person:
    return get_object_or_404(Person.objects.select_related("agency", "user"), pk=pk)


@require_GET
@staff_required
def person_export(request, pk: int, extension: str):
    person = _person(pk)
    data = gdpr.subject_access(person, by=request.user)
    body = WRITERS[extension](data)
    log_event("subject_access_export", request, person_id=person.pk, format=extension)
    response = HttpResponse(body, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-person-{person.pk}.{extension}"'
    )
    # Everything held about a person: no proxy or browser may keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@staff_required
def person_anonymise(request, pk: int):
    person = _person(pk)
    if gdpr.is_anonymised(person):
        messages.info(request, f"{person.full_name} is anonymised already.")
        return redirect("members:person", pk)
    if not gdpr.may_anonymise(request.user, person):
        raise PermissionDenied("Only a superuser can anonymise VRU staff, the chair or an admin.")
    blockers = gdpr.anonymise_blockers(person, by=request.user)
    if request.method == "POST":
        if blockers:
            for blocker in blockers:
                messages.error(request, blocker)
            return redirect("members:person_anonymise", pk)
        name = person.full_name
        gdpr.person_anonymise(person=person, by=request.user)
        log_event("person_anonymised", request, person_id=person.pk)
        messages.success(
            request,
            f"{name} is anonymised: the portal now calls them “{person.full_name}”. "
            "Their seats, attendance and actions are kept, so every figure stays as it was.",
        )
        return redirect("members:person", pk)
    return render(
        request,
        "members/people/anonymise.html",
        {
            "person": person,
            "blockers": blockers,
            "pseudonym": gdpr.pseudonym(person),
            "placeholder": gdpr.placeholder_email(person),
        },
    )
