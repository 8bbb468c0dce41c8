"""The demo's groups in build order, and the seats each is given.

The Comms Working Group and the SVRP come from the ToR; the Website Launch Task
and Finish group, and at a larger scale one working group per theme with its
own Task and Finish group, are the demo's.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable

from actions.models import Action
from core.permissions import MEMBER
from members.models import Agency, Group, Membership
from portal import tor
from portal.demo.accounts import COMMS_ACCOUNTS, Accounts
from portal.demo.content import (
    COMMS_TASK_GROUP,
    COMMS_TASK_SEATS,
    LOCAL_AUTHORITIES,
    ROLE_TITLES,
    SVRP_NOT_YET_REQUIRED,
    SVRP_SEATS,
    THEMES,
    Theme,
)

# Gives a group its seats and fills them: (group, the group's random generator).
SeatGiver = Callable[[Group, random.Random], None]
# One group to build: (its name, get or create it, give it seats).
Step = tuple[str, Callable[[], Group], SeatGiver]


class GroupPlan:
    """Which groups the demo builds at a scale, and how each is seated.

    Counts the groups and seats it makes in `created`; `accounts` fills the seats.
    """

    def __init__(self, *, scale: int, accounts: Accounts, created: Counter):
        self.scale = scale
        self.accounts = accounts
        self.created = created
        self.agencies = {agency.name: agency for agency in Agency.objects.all()}

    def steps(self) -> list[Step]:
        """Every demo group in build order."""
        comms = Group.objects.get(name=tor.COMMS_WORKING_GROUP.name)
        svrp = Group.objects.get(name=tor.SVRP.name)
        steps = [
            (comms.name, lambda: comms, self.seat_comms),
            (svrp.name, lambda: svrp, self.seat_svrp),
            self._task_group_step(COMMS_TASK_GROUP, comms.name),
        ]
        for index in range(1, self.scale):
            theme = THEMES[(index - 1) % len(THEMES)]
            suffix = f" {(index - 1) // len(THEMES) + 1}" if index > len(THEMES) else ""
            steps.append(self._working_group_step(theme, suffix, svrp))
            steps.append(self._task_group_step(theme, theme.name + suffix, suffix))
        return steps

    def _working_group_step(self, theme: Theme, suffix: str, svrp: Group) -> Step:
        name = theme.name + suffix

        def get_group() -> Group:
            group, created = Group.objects.get_or_create(
                name=name,
                defaults={
                    "short_name": theme.short_name + suffix,
                    "kind": Group.Kind.WORKING,
                    "parent": svrp,
                    "purpose": theme.purpose,
                    "meeting_frequency": Group.Frequency.QUARTERLY,
                    "default_format": "teams",
                    "in_person_every": 3,
                },
            )
            self.created["groups"] += created
            return group

        return name, get_group, self.seat_working_group

    def _task_group_step(self, theme: Theme, parent_name: str, suffix: str = "") -> Step:
        name = theme.task_group + suffix

        def get_group() -> Group:
            group, created = Group.objects.get_or_create(
                name=name,
                defaults={
                    "short_name": name.replace("Task and Finish Group", "T&F"),
                    "kind": Group.Kind.TASK_AND_FINISH,
                    "parent": Group.objects.get(name=parent_name),
                    "purpose": theme.task_purpose,
                    "meeting_frequency": Group.Frequency.QUARTERLY,
                    "default_format": "teams",
                    # Short Teams calls between the working group's meetings.
                    "in_person_every": 0,
                },
            )
            self.created["groups"] += created
            return group

        return name, get_group, self.seat_task_group

    # Seats

    def _seat(self, group: Group, agency: Agency, role_title: str, **defaults) -> Membership:
        seat, created = Membership.objects.get_or_create(
            group=group, agency=agency, role_title=role_title, defaults=defaults
        )
        self.created["seats"] += created
        return seat

    def seat_comms(self, group: Group, rng: random.Random) -> None:
        """Fill every Comms seat that requires attendance; the demo accounts sit here."""
        seats = group.memberships.attendance_required().select_related("agency", "person")
        for seat in seats.order_by("agency__order", "order", "pk"):
            email, roles = COMMS_ACCOUNTS.get(seat.role_title, ("", (MEMBER,)))
            self.accounts.fill_seat(seat, rng, email=email, roles=roles)

    def seat_svrp(self, group: Group, rng: random.Random) -> None:
        director = (
            Membership.objects.filter(
                group__name=tor.COMMS_WORKING_GROUP.name, role_title="VRU Director"
            )
            .exclude(person=None)
            .first()
        )
        for order, (agency_name, role_title, position) in enumerate(SVRP_SEATS, start=1):
            status = (
                Membership.AttendanceStatus.NOT_YET_REQUIRED
                if role_title in SVRP_NOT_YET_REQUIRED
                else Membership.AttendanceStatus.REQUIRED
            )
            seat = self._seat(
                group,
                self.agencies[agency_name],
                role_title,
                position=position,
                attendance_status=status,
                order=order,
            )
            if role_title == "VRU Director" and director and not seat.person_id:
                # The VRU Director sits on the board too: the same person, not a new one.
                seat.person = director.person
                seat.save(update_fields=["person"])
            elif status == Membership.AttendanceStatus.REQUIRED:
                self.accounts.fill_seat(seat, rng)

    def seat_working_group(self, group: Group, rng: random.Random) -> None:
        """A VRU lead in the chair and a realistic mix of partners, one or two seats vacant."""
        vru = self.agencies[tor.AGENCIES[0].name]
        topic = re.sub(r" WG( \d+)?$", "", group.short_name)
        chair = self._seat(group, vru, f"VRU {topic} Lead", position=Membership.Position.CHAIR)
        self.accounts.fill_seat(chair, rng)

        others = list(tor.AGENCIES[1:])
        specified = [row for row in others if row.duty_status == Agency.DutyStatus.SPECIFIED]
        chosen = rng.sample(specified, k=rng.randint(4, len(specified)))
        chosen += [
            row for row in others if row not in specified and rng.random() < 0.5
        ]  # OPCC, Education, Prison Service, Voluntary Sector sit on some groups
        chosen.sort(key=tor.AGENCIES.index)
        vacant = set(rng.sample(range(1, len(chosen)), k=rng.randint(1, 2)))
        for index, row in enumerate(chosen):
            title = rng.choice(ROLE_TITLES[row.name])
            if row.sector == Agency.Sector.LOCAL_AUTHORITY:
                title = f"{title}, {rng.choice(LOCAL_AUTHORITIES)}"
            not_yet = row.duty_status == Agency.DutyStatus.RELEVANT and rng.random() < 0.5
            seat = self._seat(
                group,
                self.agencies[row.name],
                title,
                position=(
                    Membership.Position.VICE_CHAIR if index == 0 else Membership.Position.MEMBER
                ),
                attendance_status=(
                    Membership.AttendanceStatus.NOT_YET_REQUIRED
                    if not_yet
                    else Membership.AttendanceStatus.REQUIRED
                ),
                order=index + 1,
            )
            if index not in vacant and not not_yet:
                self.accounts.fill_seat(seat, rng)

    def seat_task_group(self, group: Group, rng: random.Random) -> None:
        """Drawn from the parent working group's filled seats, the same people in them."""
        parent_seats = list(
            group.parent.memberships.attendance_required()
            .exclude(person=None)
            .select_related("agency", "person")
            .order_by("agency__order", "order", "pk")
        )
        if group.parent.name == tor.COMMS_WORKING_GROUP.name:
            picked = [seat for seat in parent_seats if seat.role_title in COMMS_TASK_SEATS]
            chair_title = COMMS_TASK_SEATS[0]
        else:
            chairs = [s for s in parent_seats if s.position == Membership.Position.CHAIR]
            chair_seat = (chairs or parent_seats)[0]
            rest = [s for s in parent_seats if s is not chair_seat]
            picked = [chair_seat, *rng.sample(rest, k=min(len(rest), rng.randint(3, 5)))]
            chair_title = chair_seat.role_title
        for order, parent_seat in enumerate(picked, start=1):
            seat = self._seat(
                group,
                parent_seat.agency,
                parent_seat.role_title,
                position=(
                    Membership.Position.CHAIR
                    if parent_seat.role_title == chair_title
                    else Membership.Position.MEMBER
                ),
                order=order,
            )
            if not seat.person_id:
                seat.person = parent_seat.person
                seat.save(update_fields=["person"])
        if group.name == COMMS_TASK_GROUP.task_group:
            # The website work (ToC 3.a) raised at Comms meetings is this group's.
            Action.objects.filter(
                group=group.parent, toc_activity__code="3.a", task_group=None
            ).update(task_group=group)
