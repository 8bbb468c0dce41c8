"""The people list, a person's page, and the staff pages that add, edit, invite and deactivate.

Who may do what:

- Everyone signed in with a portal role (member, chair, VRU staff) sees the list
  and each person's page: name, job title, agency, seats and outstanding actions.
  Email addresses and account details are shown to VRU staff only (UK GDPR: the
  least personal data each role needs).
- Only VRU staff add, edit, invite, deactivate and reactivate people. Anyone else
  gets 403 and nothing changes. Nobody is deleted.
- A person whose account can use the admin (a superuser or Django staff) is changed
  by a superuser only: VRU staff who could change that person's email could take the
  account over through "forgotten password", so they get 403.
- The email, role and active state of VRU staff and the chair are changed by a
  superuser only too; staff still keep their names, job titles and agencies.
- A new email of a person with an account takes effect once the new address
  confirms it (members.services.person_edit).
"""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import jobs
from core.models import Job
from core.permissions import MEMBER, has_role, is_vru_staff, role_required, staff_required
from core.versioning import CONFLICT_STATUS, EditConflict, conflict_context, conflict_message
from members import gdpr, services
from members import jobs as member_jobs
from members.models import Membership, Person
from members.people_forms import InviteForm, PersonCreateForm, PersonEditForm, PersonFilter
from members.services import AccountState, role_label, role_of

PAGE_SIZE = 25
EMAIL_TAKEN = "Someone in the portal already has this email address."


def _people():
    """People with their agency, account, account state and current seats: one query each."""
    seats = (
        Membership.objects.current()
        .select_related("group")
        .order_by("group__name", "group_id", "order", "pk")
    )
    return services.with_account_state(
        Person.objects.select_related("agency", "user").prefetch_related(
            Prefetch("memberships", queryset=seats, to_attr="current_seats")
        )
    )


def may_change(user, person: Person) -> bool:
    """VRU staff change people; an administrator's account only a superuser changes."""
    account = person.user
    if account is not None and (account.is_superuser or account.is_staff):
        return bool(getattr(user, "is_superuser", False))
    return is_vru_staff(user)


def _get_person(request, pk: int, *, to_change: bool = False) -> Person:
    """The person `pk` if the user may see people (else 404); `to_change`: and change them
    (else 403)."""
    if not has_role(request.user):
        raise Http404
    person = get_object_or_404(_people(), pk=pk)
    if to_change and not may_change(request.user, person):
        raise PermissionDenied("Only a superuser can change an administrator, in the admin.")
    return person


@require_GET
@role_required
def people(request):
    person_filter = PersonFilter(request.GET, queryset=_people(), request=request)
    page_obj = Paginator(person_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/people/list.html",
        {
            "filter": person_filter,
            "page_obj": page_obj,
            "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


def _render_person(request, person: Person, *, invite_form: InviteForm | None = None):
    staff = is_vru_staff(request.user)
    context = {
        "person": person,
        "outstanding_actions": person.actions.outstanding().count(),
        "is_self": person.user_id is not None and person.user_id == request.user.pk,
        "may_change": may_change(request.user, person),
        "is_anonymised": gdpr.is_anonymised(person),
    }
    if staff:
        context["role"] = role_label(role_of(person.user)) if person.user else ""
        context["pending_email"] = services.pending_email(person.user)
        if person.user is None:
            context["invite_form"] = invite_form or InviteForm()
    return render(request, "members/people/detail.html", context)


@require_GET
def person(request, pk: int):
    person = _get_person(request, pk)
    return _render_person(request, person)


def _send_invitation(request, person: Person, *, role: str = MEMBER) -> None:
    """Queue the invitation, making the person's account first if need be, and say so.

    A background job sends the email (members.jobs), tried again if the mail server
    fails; the person's page shows how it went. Only the job's outcome, not the person's
    name, is kept in its record: the name is added to the message here.

    Invitations are throttled like password resets, per address and per client
    (ACCOUNT_RATE_LIMITS["invitation"]), so nobody can flood a mailbox with them: the
    request is what is throttled, so the limit holds however long the queue takes. One
    already on its way is not queued again.
    """
    if jobs.on_its_way(member_jobs.send_invitation, person):
        messages.info(
            request,
            f"An invitation to {person.full_name} is already on its way: this page shows "
            "when it has been sent.",
        )
        return
    if not ratelimit.consume(request, action="invitation", key=person.email):
        messages.error(
            request,
            f"Too many invitations have gone to {person.full_name} or from your network "
            "lately. Try again in an hour.",
        )
        return
    services.invitation_account(person=person, role=role)
    queued = jobs.enqueue(
        member_jobs.send_invitation,
        # The person's page lists the job; a name kept in its record would outlive
        # anonymisation (members.gdpr), so the description names the record instead.
        description=f"Invitation to sign in (person no. {person.pk})",
        about=person,
        by=request.user,
        person_id=person.pk,
    )
    if queued.state == Job.State.DONE:
        messages.success(request, f"Invitation sent to {person.full_name}.")
    elif queued.state == Job.State.FAILED:
        messages.error(
            request,
            f"The invitation to {person.full_name} could not be sent. {queued.outcome} "
            "Try again later with “Send the invitation again”.",
        )
    else:
        messages.info(
            request,
            f"Invitation to {person.full_name} queued: this page shows when it has been sent.",
        )


@require_http_methods(["GET", "POST"])
@staff_required
def person_create(request):
    if request.method == "POST":
        form = PersonCreateForm(request.POST, by=request.user)
        if form.is_valid():
            try:
                person = services.person_create(
                    person=form.save(commit=False), role=form.cleaned_data["role"], by=request.user
                )
            except IntegrityError:  # somebody added the same email a moment ago
                form.add_error("email", EMAIL_TAKEN)
            else:
                if form.cleaned_data["send_invitation"]:
                    _send_invitation(request, person)
                else:
                    messages.success(
                        request,
                        f"{person.full_name} added. No invitation has been sent yet: send it "
                        "from this page when they should sign in.",
                    )
                return redirect("members:person", person.pk)
    else:
        form = PersonCreateForm(by=request.user)
    return render(
        request,
        "members/people/form.html",
        {"form": form, "reset_days": services.invitation_days()},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def person_edit(request, pk: int):
    person = _get_person(request, pk, to_change=True)
    name = person.full_name  # the form changes `person` as it validates
    initial = {"role": role_of(person.user) or MEMBER}
    if request.method == "POST":
        form = PersonEditForm(request.POST, instance=person, initial=initial, by=request.user)
        if form.is_valid():
            if not form.has_changed():
                messages.info(request, "Nothing was changed.")
                return redirect("members:person", pk)
            person = form.save(commit=False)
            try:
                waiting = services.person_edit(
                    person=person,
                    role=form.cleaned_data.get("role"),
                    by=request.user,
                    request=request,
                    version=form.cleaned_data["version"],
                )
            except EditConflict as conflict:
                return _person_conflict(request, form, conflict.current)
            except IntegrityError:
                form.add_error("email", EMAIL_TAKEN)
            else:
                message = f"Changes to {person.full_name} saved."
                if waiting:
                    message += (
                        f" Their email changes to {waiting} once they confirm it from there: "
                        "we have emailed that address a link, and told their current address."
                    )
                messages.success(request, message)
                return redirect("members:person", pk)
    else:
        form = PersonEditForm(instance=person, initial=initial, by=request.user)
    return render(
        request, "members/people/edit.html", {"form": form, "person": person, "name": name}
    )


def _person_conflict(request, form: PersonEditForm, current: Person):
    """The person was saved by somebody else since the form was opened (409)."""
    messages.error(request, conflict_message(f"{current.full_name}'s details"))
    context = conflict_context(
        form,
        current,
        back_url=reverse("members:person", args=[current.pk]),
        initial={"role": role_of(current.user) or MEMBER},
        by=request.user,
    )
    return render(
        request,
        "members/people/edit.html",
        {**context, "person": current, "name": current.full_name},
        status=CONFLICT_STATUS,
    )


@require_POST
@staff_required
def person_invite(request, pk: int):
    person = _get_person(request, pk, to_change=True)
    if person.account_state == AccountState.DEACTIVATED:
        messages.error(
            request, f"{person.full_name} is deactivated: reactivate them to send an invitation."
        )
        return redirect("members:person", pk)
    if person.account_state == AccountState.ACTIVE:
        messages.info(
            request,
            f"{person.full_name} has already chosen a password. If they have forgotten it, "
            "they can reset it from the sign-in page.",
        )
        return redirect("members:person", pk)
    role = MEMBER
    if person.user is None:
        form = InviteForm(request.POST)
        if not form.is_valid():
            return _render_person(request, person, invite_form=form)
        if services.email_has_account(person.email):
            messages.error(
                request,
                f"A sign-in account not linked to {person.full_name} already uses their email "
                "address. Ask an administrator to link it to them.",
            )
            return redirect("members:person", pk)
        role = form.cleaned_data["role"]
    _send_invitation(request, person, role=role)
    return redirect("members:person", pk)


def _may_change_access(request, person: Person) -> None:
    if not services.may_change_access(request.user, person.user):
        raise PermissionDenied("Only a superuser can change the access of VRU staff or the chair.")


@require_POST
@staff_required
def person_deactivate(request, pk: int):
    person = _get_person(request, pk, to_change=True)
    if person.user_id is not None and person.user_id == request.user.pk:
        messages.error(request, "You cannot deactivate your own account.")
        return redirect("members:person", pk)
    _may_change_access(request, person)
    if person.account_state == AccountState.DEACTIVATED:
        messages.info(request, f"{person.full_name} is already deactivated.")
        return redirect("members:person", pk)
    services.person_deactivate(person=person, by=request.user)
    message = f"{person.full_name} is deactivated and can no longer sign in."
    if seats := len(person.current_seats):
        message += f" They still hold {seats} seat{'s' if seats > 1 else ''}: listed below."
    messages.success(request, message)
    return redirect("members:person", pk)


@require_POST
@staff_required
def person_reactivate(request, pk: int):
    person = _get_person(request, pk, to_change=True)
    _may_change_access(request, person)
    if person.account_state != AccountState.DEACTIVATED:
        messages.info(request, f"{person.full_name} is already active.")
        return redirect("members:person", pk)
    if gdpr.is_anonymised(person):
        messages.error(request, f"{person.full_name} is anonymised and cannot be reactivated.")
        return redirect("members:person", pk)
    services.person_reactivate(person=person, by=request.user)
    messages.success(request, f"{person.full_name} is active again.")
    return redirect("members:person", pk)
