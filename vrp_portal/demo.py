"""Deterministic demo data on top of the ToR, for trying the portal and for benchmarks.

`manage.py seed_demo` calls `demo_seed`. Everything random comes from one
`random.Random` per group, seeded with the group's name, so the same scale on
the same day always gives the same rows, whatever was seeded before. Dates
derive from fixed anchors (the financial quarters from 2023-24 Q1 to 2027-28 Q1);
only the split between past and future depends on today.

A group that already has meetings was built by an earlier run and is skipped
whole, so re-running adds nothing and a larger scale adds only the new groups.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group as Role
from django.db import transaction
from django.db.models import Model

from actions.models import Action, ActionUpdate
from core.permissions import CHAIR, MEMBER, VRU_STAFF
from meetings.models import Attendance, KeyUpdate, Meeting
from members.models import Agency, Group, Membership, Person
from tracker.models import (
    CrestRecommendation,
    MeasureValue,
    PerformanceMeasure,
    ToCActivity,
)
from vrp_portal import tor
from vrp_portal.quarters import Quarter

LONDON = ZoneInfo("Europe/London")
SEED = 2024
# Published on purpose: demo accounts only, and seed_demo refuses to run with DEBUG off.
PASSWORD = "vrp-demo-2024"  # noqa: S105
SITE_URL = "http://127.0.0.1:8000"
ADMIN_EMAIL = "admin@example.org"
STAFF_EMAIL = "staff@example.org"

FIRST_QUARTER = Quarter(2023, 1)
LAST_QUARTER = Quarter(2027, 1)
MEETING_START = dt.time(10, 0)
MEETING_LENGTH = dt.timedelta(minutes=90)
ACTIONS_PER_MEETING = (6, 10)
MEASURE_TARGET = Decimal(5000)

# The demo's sign-in accounts on the Comms Working Group: seat → (email, roles).
COMMS_ACCOUNTS = {
    "VRU Programmes and Projects Officer": (STAFF_EMAIL, (VRU_STAFF,)),
    "VRU Director": ("chair@example.org", (CHAIR,)),
    "VRU Manager": ("vice-chair@example.org", (CHAIR, VRU_STAFF)),
    "Corporate Communications, Serious Violence Lead": ("member@example.org", (MEMBER,)),
}
MEMBER_SEAT = "Corporate Communications, Serious Violence Lead"

FIRST_NAMES = (
    "Aisha", "Alex", "Amelia", "Amir", "Beth", "Callum", "Carys", "Chloe", "Daniel", "Deborah",
    "Dev", "Eleanor", "Emma", "Fiona", "Gareth", "Grace", "Hannah", "Harriet", "Imran", "Isla",
    "Jack", "James", "Jasmine", "Joanne", "Kate", "Kieran", "Laura", "Leah", "Liam", "Lucy",
    "Mark", "Megan", "Mohammed", "Naomi", "Nathan", "Niamh", "Oliver", "Owen", "Priya", "Rachel",
    "Rebecca", "Rhys", "Rosie", "Ruth", "Sam", "Sarah", "Simon", "Sophie", "Tariq", "Tom",
    "Victoria", "Will", "Yasmin", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Ashworth", "Barker", "Bennett", "Bradshaw", "Carter", "Chambers", "Clarke",
    "Cooper", "Davies", "Dawson", "Ellis", "Evans", "Fletcher", "Foster", "Gill", "Graham",
    "Hale", "Harding", "Hughes", "Hussain", "Jenkins", "Kaur", "Kelly", "Khan", "Lawson",
    "Lloyd", "Marsh", "Mason", "Morgan", "Murphy", "Nash", "O'Brien", "Osei", "Parsons",
    "Patel", "Pearce", "Price", "Reid", "Rowe", "Shah", "Sinclair", "Stephens", "Taylor",
    "Thornton", "Turner", "Wallace", "Walsh", "Webb", "Whitfield", "Wilkinson", "Young",
)  # fmt: skip

# Where each Specified Authority hosts the in-person meetings.
HOST_LOCATIONS = {
    "Police": "Police Headquarters, Conference Room 2, Eastleigh",
    "Hampshire Fire & Rescue Service (HRFS)": "Fire and Rescue Headquarters, Eastleigh",
    "Youth Justice Service (YJS)": "Civic Offices, Guildhall Square, Portsmouth",
    "Health – Integrated Care Boards": "Education Centre, Southampton General Hospital",
    "Local Authorities": "Civic Centre, Southampton",
    "Probation": "Probation Office, Winchester",
}

# Role titles for seats on the demo's further groups, by agency.
ROLE_TITLES = {
    "Police": (
        "Serious Violence Problem Solving Lead",
        "Neighbourhood Policing Inspector",
        "Violence Reduction Analyst",
        "Youth Engagement Sergeant",
    ),
    "Hampshire Fire & Rescue Service (HRFS)": (
        "Community Safety Manager",
        "Safeguarding Lead",
        "Youth Engagement Coordinator",
    ),
    "Youth Justice Service (YJS)": (
        "Youth Justice Service Manager",
        "Prevention and Diversion Lead",
        "Participation Officer",
    ),
    "Health – Integrated Care Boards": (
        "Public Health Consultant",
        "Safeguarding Lead, Integrated Care Board",
        "Emergency Department Navigator Lead",
        "Health Intelligence Analyst",
    ),
    "Local Authorities": (
        "Community Safety Partnership Manager",
        "Public Health Principal",
        "Youth Services Manager",
        "Early Help Team Manager",
    ),
    "Office of Police and Crime Commissioner (OPCC)": ("Commissioning Officer", "Policy Officer"),
    "Probation": ("Head of Public Protection", "Interventions Lead"),
    "Education": ("Inclusion and Attendance Lead", "Further Education Safeguarding Lead"),
    "Prison Service": ("Head of Reducing Reoffending", "Safer Custody Lead"),
    "Voluntary Sector": ("Youth Work Manager", "Lived Experience Coordinator"),
}
LOCAL_AUTHORITIES = ("Hampshire", "Isle of Wight", "Portsmouth", "Southampton")

# The board's seats: (agency, role title, position, attendance status).
SVRP_SEATS = (
    ("Office of Police and Crime Commissioner (OPCC)", "Police and Crime Commissioner", "chair"),
    ("Violence Reduction Unit (VRU)", "VRU Director", "member"),
    ("Police", "Assistant Chief Constable", "vice_chair"),
    ("Hampshire Fire & Rescue Service (HRFS)", "Area Manager, Prevention and Protection", "member"),
    ("Youth Justice Service (YJS)", "Head of Youth Justice", "member"),
    ("Health – Integrated Care Boards", "Chief Nursing Officer, Integrated Care Board", "member"),
    ("Local Authorities", "Director of Public Health, Hampshire", "member"),
    ("Local Authorities", "Director of Children's Services, Portsmouth", "member"),
    ("Probation", "Head of Probation Delivery Unit", "member"),
    ("Education", "Secondary Headteachers' Representative", "member"),
    ("Prison Service", "Governor, HMP Winchester", "member"),
    ("Voluntary Sector", "Chief Executive, Voluntary Sector Network", "member"),
)
SVRP_NOT_YET_REQUIRED = {"Governor, HMP Winchester"}


@dataclass(frozen=True)
class Theme:
    """A further working group of the demo, with its Task and Finish group."""

    name: str
    short_name: str
    purpose: str
    task_group: str
    task_purpose: str


COMMS_TASK_GROUP = Theme(
    tor.COMMS_WORKING_GROUP.name,
    tor.COMMS_WORKING_GROUP.short_name,
    "",
    "Website Launch Task and Finish Group",
    "Launch the VRP website and brand, and keep its content current (ToC 3.a).",
)
# The Website Launch group is drawn from these Comms seats, the officer chairing.
COMMS_TASK_SEATS = (
    "VRU Programmes and Projects Officer",
    "Corporate Communications, Serious Violence Lead",
    "Representation from Communications team",
    "Representations from University Hospital Southampton (UHS) Communications",
    "Representation from Southampton",
)

THEMES = (
    Theme(
        "Education Working Group",
        "Education WG",
        "Reduce exclusions and improve inclusion for children at risk of violence.",
        "Exclusions Pathway Task and Finish Group",
        "Agree a pathway for pupils at risk of permanent exclusion.",
    ),
    Theme(
        "Data and Insight Working Group",
        "Data WG",
        "Share data across partners and refresh the Strategic Needs Assessment every year.",
        "Strategic Needs Assessment Refresh Task and Finish Group",
        "Refresh the Strategic Needs Assessment for the coming year.",
    ),
    Theme(
        "Community Engagement Working Group",
        "Community WG",
        "Work with and for communities, embedding their voices in the Partnership's work.",
        "Community Mapping Task and Finish Group",
        "Map the community organisations that could join violence reduction efforts.",
    ),
    Theme(
        "Youth Voice Working Group",
        "Youth Voice WG",
        "Bring the voices of young people into the Partnership's decisions.",
        "Youth Panel Recruitment Task and Finish Group",
        "Recruit and support the VRP youth panel.",
    ),
    Theme(
        "Early Intervention Working Group",
        "Early Intervention WG",
        "Reach children and young people early, before harm escalates.",
        "Teachable Moments Task and Finish Group",
        "Commission navigators in custody suites and emergency departments.",
    ),
    Theme(
        "Night-Time Economy Working Group",
        "NTE WG",
        "Reduce violence in town centres at night, with licensees and transport partners.",
        "Safer Streets Task and Finish Group",
        "Deliver the Safer Streets bid and evaluate its interventions.",
    ),
    Theme(
        "Trauma Informed Practice Working Group",
        "Trauma Informed WG",
        "Embed trauma informed practice across partner organisations.",
        "Training Roll-out Task and Finish Group",
        "Roll out trauma informed training to frontline staff.",
    ),
    Theme(
        "Violence Against Women and Girls Working Group",
        "VAWG WG",
        "Align the Partnership's work with the local VAWG strategies.",
        "Bystander Campaign Task and Finish Group",
        "Design and evaluate the bystander intervention campaign.",
    ),
    Theme(
        "Knife Crime Prevention Working Group",
        "Knife Crime WG",
        "Prevent knife crime through education, enforcement and diversion.",
        "Knife Surrender Task and Finish Group",
        "Coordinate the knife surrender weeks and bin locations.",
    ),
    Theme(
        "Reducing Reoffending Working Group",
        "Reoffending WG",
        "Support people leaving custody away from violence.",
        "Mentoring Pathway Task and Finish Group",
        "Set up a mentoring pathway for young adults on probation.",
    ),
)

# Comms actions: (title, detail, tracker link code or "").
COMMS_ACTIONS = (
    ("Draft the VRP brand guidelines", "Share a first draft with partners for comment.", "3.a"),
    ("Agree the website sitemap with partners", "Circulate for comments by email.", "3.a"),
    ("Write the 'About the VRP' page for the website", "Plain English, under 400 words.", "3.a"),
    ("Commission accessible versions of the website's documents", "", "3.a"),
    ("Add partner logos to the VRP website footer", "Collect logos in SVG format.", "3.a"),
    ("Set up website analytics and a quarterly views report", "", "4.1.1.a"),
    ("Report the quarter's website views to the VRU", "Figures for measure 4.1.1.a.", "4.1.1.a"),
    ("Promote the website in partners' staff newsletters", "", "4.1.1.a"),
    ("Collect three community case studies for the website", "With consent forms.", "3.b"),
    ("Nominate community projects for the VRP awards", "", "3.b"),
    ("Film a short video with the youth panel", "Check safeguarding arrangements.", "3.b"),
    ("Share good news stories on partner social media channels", "", "3.b"),
    ("Draft strengths based key messages for partners", "Avoid fear-based language.", "3.c"),
    ("Review press release templates against the counter-narrative", "", "3.c"),
    ("Brief partner press offices on strengths based reporting", "", "3.c"),
    ("List community groups each partner works with", "For the community mapping.", "8.1"),
    ("Share the community mapping survey with partners", "", "8.1"),
    ("Prepare the Knife Crime Awareness Week social media plan", "", ""),
    ("Circulate the partner communications calendar", "", ""),
    ("Agree joint lines to take after a serious incident", "", ""),
    ("Update the Comms Working Group distribution list", "", ""),
    ("Send ToR V2 to new members", "", ""),
    ("Share the evaluation of the summer campaign", "", ""),
    ("Draft the VRP annual report communications plan", "", ""),
    ("Arrange a hosting venue for the next in-person meeting", "", ""),
    ("Check partners' websites link to the VRP website", "", "3.a"),
)
GENERAL_ACTIONS = (
    ("Circulate the {short} action log to members", ""),
    ("Share {agency} data for the quarterly performance report", "Anonymised and aggregated."),
    ("Map {agency} services that support the {short}'s aims", ""),
    ("Present the {short} update at the next SVRP meeting", ""),
    ("Draft the {short} work plan for next year", ""),
    ("Review the {short} risk register", ""),
    ("Identify a {agency} lead for the Task and Finish group", ""),
    ("Share the evaluation framework with {agency} colleagues", ""),
    ("Arrange a training session for {agency} staff", ""),
    ("Collect lived experience feedback for the {short}", "With the VRU participation lead."),
    ("Produce a funding summary for the {short}", ""),
    ("Agree data sharing arrangements with {agency}", "Check the DPIA first."),
    ("Confirm {agency} attendance at the partnership event", ""),
    ("Draft the {short} terms of reference refresh", ""),
    ("Report progress against the {short}'s outcomes", ""),
    ("Circulate the minutes of the multi-agency workshop", ""),
    ("Send the case study template to {agency}", ""),
    ("Update the {short} stakeholder map", ""),
    ("Write the {short} section of the annual report", ""),
    ("Check the locality profiles with {agency} analysts", ""),
)
COMMS_KEY_UPDATES = (
    ("decision", "The group agreed the VRP brand guidelines for use by all partners."),
    ("update", "The VRP website had its highest quarterly views since launch."),
    ("decision", "Partners agreed a joint communications protocol after serious incidents."),
    ("update", "Three community case studies were published on the VRP website."),
    ("update", "The Knife Crime Awareness Week campaign reached over 40,000 people online."),
    ("decision", "The group agreed to adopt strengths based key messages in all press releases."),
    ("update", "The community mapping survey was shared with all Specified Authorities."),
    ("decision", "The Website Launch Task and Finish Group will close once the website is live."),
    ("update", "Partner press offices were briefed on the counter-narrative."),
    ("update", "The youth panel's video was shown at the VRP conference."),
)
GENERAL_KEY_UPDATES = (
    ("decision", "The {short} agreed its work plan for the year."),
    ("update", "The {short} refreshed its membership; two new partners have joined."),
    ("decision", "The {short} agreed to set up a Task and Finish group."),
    ("update", "Data sharing agreements are now in place with all Specified Authorities."),
    ("update", "The {short} reported good progress against its outcomes this quarter."),
    ("decision", "The {short} will escalate a funding gap to the SVRP."),
    ("update", "Training was delivered to 120 frontline staff across partners."),
    ("decision", "The {short} agreed to align its reporting with the SVRP's quarterly cycle."),
)
PROGRESS_NOTES = (
    "Started on this; first draft under way.",
    "Met with colleagues to scope the work.",
    "Waiting for sign-off from the communications manager.",
    "Draft shared with the VRU for comments.",
    "Chased partners for their input.",
    "Half done: the rest needs information from partners.",
    "On track for the next meeting.",
)
DONE_NOTES = (
    "Done and circulated to the group.",
    "Completed; copy saved in the shared folder.",
    "Sent to partners by email.",
    "Finished and signed off.",
    "Done: published on the website.",
)
OPEN_NOTES = (
    "Not started yet: capacity is tight this month.",
    "Will pick this up after the campaign.",
    "Awaiting a response from partners before starting.",
)
CANCEL_REASONS = (
    "No longer needed after the group agreed a new approach.",
    "Superseded by a national campaign.",
    "Covered by the Task and Finish group's work instead.",
    "Funding for this piece of work was withdrawn.",
)
# Notes that explain a rise, and notes that explain a fall, so each reads true.
MEASURE_NOTES_UP = (
    "Rise during Knife Crime Awareness Week.",
    "Growth after partners linked to the website from their own.",
    "Spike after the VRP conference and press coverage.",
    "Social media campaign drove new visitors.",
)
MEASURE_NOTES_DOWN = (
    "Quieter over the holiday period.",
    "Fewer campaigns this quarter; steady traffic from partner links.",
)
# Demo tracker progress, applied only while the ToR's rows are untouched.
TOC_STATUSES = {"3.a": "complete", "3.b": "in_progress", "3.c": "in_progress"}
CREST_EVIDENCE = (
    "Community mapping survey sent to all Specified Authorities; returns from Police, "
    "Health and two Local Authorities are being collated by the VRU."
)


def quarters() -> list[Quarter]:
    """The demo's quarters, from 2023-24 Q1 to 2027-28 Q1."""
    result, quarter = [], FIRST_QUARTER
    while quarter <= LAST_QUARTER:
        result.append(quarter)
        quarter = quarter.next()
    return result


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def meeting_dates(rng: random.Random) -> list[dt.date]:
    """One date a quarter: the group's fixed weekday (Tuesday–Thursday) in the middle month."""
    weekday, nth = rng.choice((1, 2, 3)), rng.choice((1, 2, 3))
    dates = []
    for quarter in quarters():
        middle = quarter.start + dt.timedelta(days=40)
        dates.append(_nth_weekday(middle.year, middle.month, weekday, nth))
    return dates


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=LONDON)


def _working_time(rng: random.Random, day: dt.date) -> dt.datetime:
    return _at(day, dt.time(rng.randint(9, 16), rng.choice((0, 10, 20, 30, 40, 50))))


def _london_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Friday before when it falls at a weekend."""
    return day - dt.timedelta(days=max(day.weekday() - 4, 0))


def _name_of(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _email_name(text: str) -> str:
    return re.sub(r"[^a-z-]", "", text.lower().replace(" ", "-"))


def _backdate(model: type[Model], rows: list, fields: dict[str, Callable]) -> None:
    """Set timestamps that auto_now/auto_now_add overwrote in bulk_create.

    bulk_create stamps those fields with the current time; bulk_update writes
    the given values as they are.
    """
    for row in rows:
        for name, value_of in fields.items():
            setattr(row, name, value_of(row))
    model.objects.bulk_update(rows, list(fields), batch_size=500)


# Gives a group its seats and fills them: (group, the group's random generator).
SeatGiver = Callable[[Group, random.Random], None]


@dataclass
class Accounts:
    """Roles and the one password hash every demo account shares."""

    roles: dict[str, Role]
    password_hash: str

    @classmethod
    def prepare(cls) -> Accounts:
        # get_or_create: a flushed database (transactional tests) lacks the migration's roles.
        roles = {
            name: Role.objects.get_or_create(name=name)[0] for name in (VRU_STAFF, CHAIR, MEMBER)
        }
        # Hashing is deliberately slow: do it once and share the hash.
        return cls(roles=roles, password_hash=make_password(PASSWORD))


class DemoBuilder:
    """Builds the demo groups one at a time, each in its own transaction."""

    def __init__(self, *, scale: int, today: dt.date, write: Callable[[str], None]):
        self.scale = scale
        self.today = today
        self.write = write
        self.created: Counter = Counter()
        self.accounts: Accounts | None = None
        self.agencies = {agency.name: agency for agency in Agency.objects.all()}
        self.midnight = _at(today, dt.time(0, 0))

    # People and accounts

    def _accounts(self) -> Accounts:
        if self.accounts is None:
            self.accounts = Accounts.prepare()
        return self.accounts

    def ensure_admin(self) -> None:
        User = get_user_model()
        _, created = User.objects.get_or_create(
            email=ADMIN_EMAIL,
            defaults={
                "first_name": "Portal",
                "last_name": "Administrator",
                "is_staff": True,
                "is_superuser": True,
                "password": self._accounts().password_hash,
            },
        )
        self.created["accounts"] += created

    def _free_email(self, rng: random.Random) -> tuple[str, str]:
        """An invented name whose email is not taken yet, numbered if need be."""
        for _ in range(20):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{_email_name(first)}.{_email_name(last)}@example.org"
            if not Person.objects.filter(email=email).exists():
                return f"{first} {last}", email
        for number in range(2, 1000):
            numbered = email.replace("@", f"{number}@")
            if not Person.objects.filter(email=numbered).exists():
                return f"{first} {last}", numbered
        raise RuntimeError("Ran out of demo names.")

    def fill_seat(
        self, seat: Membership, rng: random.Random, *, email: str = "", roles=(MEMBER,)
    ) -> Person:
        """Give a vacant seat a person, with a sign-in account; a filled seat keeps its holder."""
        if seat.person_id:
            return seat.person
        full_name, generated = self._free_email(rng)
        email = email or generated
        person = Person.objects.filter(email=email).first()
        if person is None:
            person = Person.objects.create(
                full_name=full_name, email=email, job_title=seat.role_title, agency=seat.agency
            )
            self.created["people"] += 1
        if person.user_id is None:
            person.user = self._user_for(person, roles)
            person.save(update_fields=["user"])
        seat.person = person
        seat.save(update_fields=["person"])
        return person

    def _user_for(self, person: Person, roles: Iterable[str]):
        accounts = self._accounts()
        first, _, last = person.full_name.partition(" ")
        user, created = get_user_model().objects.get_or_create(
            email=person.email,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": accounts.password_hash,
            },
        )
        if created:
            user.groups.set([accounts.roles[name] for name in roles])
            self.created["accounts"] += 1
        return user

    # Groups

    def plan(self) -> list[tuple[str, Callable[[], Group], SeatGiver]]:
        """Every demo group in build order: (name, get or create it, give it seats)."""
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

    def _working_group_step(self, theme: Theme, suffix: str, svrp: Group):
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

    def _task_group_step(self, theme: Theme, parent_name: str, suffix: str = ""):
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
            self.fill_seat(seat, rng, email=email, roles=roles)

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
                self.fill_seat(seat, rng)

    def seat_working_group(self, group: Group, rng: random.Random) -> None:
        """A VRU lead in the chair and a realistic mix of partners, one or two seats vacant."""
        vru = self.agencies[tor.AGENCIES[0].name]
        topic = re.sub(r" WG( \d+)?$", "", group.short_name)
        chair = self._seat(group, vru, f"VRU {topic} Lead", position=Membership.Position.CHAIR)
        self.fill_seat(chair, rng)

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
                self.fill_seat(seat, rng)

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

    # Meetings, attendance, key updates and actions

    def build(self) -> Counter:
        self.ensure_admin()
        steps = self.plan()
        for number, (name, get_group, give_seats) in enumerate(steps, start=1):
            prefix = f"[{number}/{len(steps)}] {name}"
            existing = Group.objects.filter(name=name).first()
            if existing is not None and existing.meetings.exists():
                self.write(f"{prefix}: already seeded.")
                continue
            with transaction.atomic():
                before = Counter(self.created)
                group = get_group()
                rng = random.Random(f"{SEED}:{group.name}")
                give_seats(group, rng)
                self.hold_meetings(group, rng)
                if group.name == tor.COMMS_WORKING_GROUP.name:
                    self.track_progress(group, rng)
            made = self.created - before
            self.write(f"{prefix}: {made['meetings']} meetings, {made['actions']} actions.")
        return self.created

    def hold_meetings(self, group: Group, rng: random.Random) -> None:
        dates = meeting_dates(rng)
        meetings = self._meetings(group, dates, rng)
        Meeting.objects.bulk_create(meetings)
        _backdate(
            Meeting,
            meetings,
            {
                # Scheduled eight weeks ahead, but never later than today.
                "created_at": lambda m: min(m.starts_at - dt.timedelta(weeks=8), self.midnight),
                "updated_at": lambda m: (
                    m.ends_at if m.status == Meeting.Status.HELD else m.created_at
                ),
            },
        )
        self.created["meetings"] += len(meetings)

        held = [m for m in meetings if m.status == Meeting.Status.HELD]
        self._register(held, rng)
        self._key_updates(group, held, rng)
        self._actions(group, meetings, dates, rng)

    def _meetings(self, group: Group, dates: list[dt.date], rng: random.Random) -> list[Meeting]:
        """Teams meetings, every n-th in person, hosted in turn by the Specified Authorities."""
        hosts = sorted(
            {seat.agency for seat in group.memberships.select_related("agency")
             if seat.agency.is_specified},
            key=lambda agency: (agency.order, agency.name),
        )  # fmt: skip
        last_hosted = {agency.pk: -1 for agency in hosts}
        past = [i for i, day in enumerate(dates) if day < self.today]
        every = group.in_person_every
        # At most one past Teams meeting was called off (never the latest one).
        cancelled = None
        if len(past) > 2 and group.kind == Group.Kind.WORKING and rng.random() < 0.6:
            cancelled = rng.choice(
                [i for i in past[1:-1] if not (every and (i + 1) % every == 0)] or [None]
            )
        meetings = []
        for index, day in enumerate(dates):
            starts_at = _at(day, MEETING_START)
            meeting = Meeting(
                group=group,
                starts_at=starts_at,
                ends_at=starts_at + MEETING_LENGTH,
                status=(
                    Meeting.Status.SCHEDULED
                    if day >= self.today
                    else Meeting.Status.CANCELLED
                    if index == cancelled
                    else Meeting.Status.HELD
                ),
            )
            if every and (index + 1) % every == 0 and hosts:
                host = min(hosts, key=lambda agency: last_hosted[agency.pk])
                last_hosted[host.pk] = index
                meeting.format = Meeting.Format.IN_PERSON
                meeting.host_agency = host
                meeting.location = HOST_LOCATIONS.get(host.name, f"{host.name} offices")
            else:
                meeting.format = Meeting.Format.TEAMS
                meeting.online_link = (
                    f"https://teams.example.org/meet/{_slug(group.short_name or group.name)}"
                    f"-{day:%Y%m%d}"
                )
            meetings.append(meeting)
        return meetings

    def _register(self, held: list[Meeting], rng: random.Random) -> None:
        """A full register for every held meeting: one row per expected seat."""
        rows = []
        statuses = [Attendance.Status.PRESENT] * 16 + [
            Attendance.Status.APOLOGIES,
            Attendance.Status.APOLOGIES,
            Attendance.Status.APOLOGIES,
            Attendance.Status.DEPUTY,
            Attendance.Status.ABSENT,
        ]
        for meeting in held:
            for seat in meeting.expected_memberships().order_by("pk"):
                status = rng.choice(statuses) if seat.person_id else Attendance.Status.ABSENT
                deputy = ""
                if status == Attendance.Status.DEPUTY:
                    deputy = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                rows.append(
                    Attendance(
                        meeting=meeting,
                        membership=seat,
                        person_id=seat.person_id,
                        status=status,
                        deputy_name=deputy,
                    )
                )
        Attendance.objects.bulk_create(rows, batch_size=500)
        _backdate(Attendance, rows, {"updated_at": lambda row: row.meeting.ends_at})
        self.created["attendance"] += len(rows)

    def _key_updates(self, group: Group, held: list[Meeting], rng: random.Random) -> None:
        is_comms = group.name == tor.COMMS_WORKING_GROUP.name
        texts = COMMS_KEY_UPDATES if is_comms else GENERAL_KEY_UPDATES
        staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
        rows = []
        for meeting in held:
            for kind, text in rng.sample(texts, k=rng.randint(1, 2)):
                rows.append(
                    KeyUpdate(
                        meeting=meeting,
                        kind=kind,
                        text=text.format(short=group.display_name),
                        # The board's own decisions are not raised to itself.
                        for_svrp=group.kind != Group.Kind.SVRP and rng.random() < 0.85,
                        created_by=staff,
                    )
                )
        KeyUpdate.objects.bulk_create(rows)
        stamp = {
            "created_at": lambda row: row.meeting.ends_at + dt.timedelta(hours=2),
            "updated_at": lambda row: row.created_at,
        }
        _backdate(KeyUpdate, rows, stamp)
        self.created["key_updates"] += len(rows)

    def _actions(
        self, group: Group, meetings: list[Meeting], dates: list[dt.date], rng: random.Random
    ) -> None:
        """6–10 actions per held meeting, each due at the group's next meeting."""
        User = get_user_model()
        staff = User.objects.filter(email=STAFF_EMAIL).first()
        seats = list(
            group.memberships.exclude(person=None)
            .select_related("person__user", "agency")
            .order_by("agency__order", "order", "pk")
        )
        if not seats:
            return
        is_comms = group.name == tor.COMMS_WORKING_GROUP.name
        links = self._tracker_links() if is_comms else {}
        # The member persona's seat comes up more often, so they have plenty to do.
        weights = [2 if seat.role_title == MEMBER_SEAT else 1 for seat in seats]

        planned: list[tuple[Action, list[ActionUpdate]]] = []
        for index, meeting in enumerate(meetings):
            if meeting.status != Meeting.Status.HELD:
                continue
            due = dates[index + 1]
            count = rng.randint(*ACTIONS_PER_MEETING)
            if is_comms:
                templates = [(t, d, code) for t, d, code in rng.sample(COMMS_ACTIONS, k=count)]
            else:
                templates = [(t, d, "") for t, d in rng.sample(GENERAL_ACTIONS, k=count)]
            for title, detail, code in templates:
                seat = rng.choices(seats, weights=weights)[0]
                action = Action(
                    group=group,
                    meeting=meeting,
                    title=title.format(short=group.display_name, agency=seat.agency.display_name),
                    detail=detail,
                    owner=seat.person,
                    agency=seat.agency,
                    due_date=due,
                    created_by=staff,
                )
                if code in links:
                    setattr(action, *links[code])
                planned.append((action, self._progress(action, meeting, seat, staff, rng)))

        if is_comms:
            planned += self._member_persona_actions(group, meetings, seats, staff)

        actions = [action for action, _ in planned]
        Action.objects.bulk_create(actions, batch_size=500)
        updates = []
        for action, notes in planned:
            for note in notes:
                note.action = action
                updates.append(note)
        ActionUpdate.objects.bulk_create(updates, batch_size=500)
        last_update = {}
        for note in updates:
            last_update[note.action_id] = note.created_at
        _backdate(
            Action,
            actions,
            {
                "created_at": lambda a: a.meeting.starts_at,
                "updated_at": lambda a: last_update.get(a.pk, a.created_at),
            },
        )
        self.created["actions"] += len(actions)
        self.created["action_updates"] += len(updates)

    def _tracker_links(self) -> dict[str, tuple[str, Model]]:
        links = {a.code: ("toc_activity", a) for a in ToCActivity.objects.all()}
        links |= {c.code: ("crest_recommendation", c) for c in CrestRecommendation.objects.all()}
        links |= {m.code: ("performance_measure", m) for m in PerformanceMeasure.objects.all()}
        return links

    def _progress(
        self, action: Action, meeting: Meeting, seat: Membership, staff, rng: random.Random
    ) -> list[ActionUpdate]:
        """Decide the action's status and write the progress notes that led to it."""
        S = Action.Status
        raised = _london_date(meeting.starts_at)
        yesterday = _weekday(self.today - dt.timedelta(days=1))
        age = (self.today - action.due_date).days
        if age <= 0:
            choices = [S.OPEN] * 5 + [S.IN_PROGRESS] * 5
        elif age <= 120:
            choices = [S.DONE] * 14 + [S.OPEN] * 1 + [S.IN_PROGRESS] * 3 + [S.CANCELLED] * 2
        else:
            choices = [S.DONE] * 92 + [S.OPEN] * 2 + [S.IN_PROGRESS] * 2 + [S.CANCELLED] * 4
        action.status = rng.choice(choices)

        end = yesterday
        if action.status == S.DONE:
            completed = action.due_date + dt.timedelta(days=rng.randint(-25, 7))
            action.completed_on = max(
                raised + dt.timedelta(days=1), min(_weekday(completed), yesterday)
            )
            end = action.completed_on
        elif action.status == S.CANCELLED:
            end = min(
                _weekday(action.due_date + dt.timedelta(days=rng.randint(-20, 30))), yesterday
            )
            end = max(end, raised + dt.timedelta(days=1))

        # Steps: (text, old status, new status); blank statuses for a plain note.
        if action.status == S.OPEN:
            steps = [(rng.choice(OPEN_NOTES), "", "")] if rng.random() < 0.4 else []
        elif action.status == S.IN_PROGRESS:
            steps = [(rng.choice(PROGRESS_NOTES), S.OPEN, S.IN_PROGRESS)]
            if rng.random() < 0.5:
                steps.append((rng.choice(PROGRESS_NOTES), "", ""))
        elif action.status == S.DONE:
            steps = [(rng.choice(DONE_NOTES), S.OPEN, S.DONE)]
            if rng.random() < 0.6:
                steps = [
                    (rng.choice(PROGRESS_NOTES), S.OPEN, S.IN_PROGRESS),
                    *([(rng.choice(PROGRESS_NOTES), "", "")] if rng.random() < 0.4 else []),
                    (rng.choice(DONE_NOTES), S.IN_PROGRESS, S.DONE),
                ]
        else:
            action.cancelled_reason = rng.choice(CANCEL_REASONS)
            steps = [(f"Cancelled: {action.cancelled_reason}", S.OPEN, S.CANCELLED)]
            if rng.random() < 0.4:
                steps = [
                    (rng.choice(PROGRESS_NOTES), S.OPEN, S.IN_PROGRESS),
                    (f"Cancelled: {action.cancelled_reason}", S.IN_PROGRESS, S.CANCELLED),
                ]

        # Notes fall between the day after the meeting and the last day; a done or
        # cancelled action's final note is on the day it closed.
        first = raised + dt.timedelta(days=1)
        if not steps or end < first:
            return []
        closes = action.status in (S.DONE, S.CANCELLED)
        span = (end - first).days
        days = sorted(
            max(first, _weekday(first + dt.timedelta(days=rng.randint(0, span))))
            for _ in range(len(steps) - closes)
        )
        days += [end] * closes
        notes = []
        for (text, old, new), day in zip(steps, days, strict=True):
            by_staff = new == S.CANCELLED and staff is not None
            author = staff if by_staff else seat.person.user
            notes.append(
                ActionUpdate(
                    author=author,
                    author_name=_name_of(staff) if by_staff else seat.person.full_name,
                    text=text,
                    old_status=old,
                    new_status=new,
                    created_at=_working_time(rng, day),
                )
            )
        # Several notes on one day must still read in order.
        notes.sort(key=lambda note: note.created_at)
        return notes

    def _member_persona_actions(
        self, group: Group, meetings: list[Meeting], seats: list[Membership], staff
    ) -> list[tuple[Action, list[ActionUpdate]]]:
        """Make sure member@example.org has outstanding work: one overdue, one due soon."""
        seat = next((s for s in seats if s.role_title == MEMBER_SEAT), None)
        held = [m for m in meetings if m.status == Meeting.Status.HELD]
        if seat is None or len(held) < 2:
            return []
        latest, previous = held[-1], held[-2]
        soon = self.today + dt.timedelta(days=10)
        upcoming = [m for m in meetings if m.status == Meeting.Status.SCHEDULED]
        next_date = _london_date(upcoming[0].starts_at) if upcoming else soon
        planned = [
            (
                previous,
                "Send Police campaign dates for the partner communications calendar",
                _london_date(latest.starts_at),
                Action.Status.OPEN,
            ),
            (
                latest,
                "Share the Police serious violence lines to take with the VRU",
                soon,
                Action.Status.IN_PROGRESS,
            ),
            (
                latest,
                "Arrange a Police spokesperson for the counter-narrative campaign",
                next_date,
                Action.Status.OPEN,
            ),
        ]
        result = []
        for meeting, title, due, status in planned:
            action = Action(
                group=group,
                meeting=meeting,
                title=title,
                owner=seat.person,
                agency=seat.agency,
                due_date=due,
                status=status,
                created_by=staff,
            )
            notes = []
            if status == Action.Status.IN_PROGRESS:
                notes.append(
                    ActionUpdate(
                        author=seat.person.user,
                        author_name=seat.person.full_name,
                        text="Draft lines with the Police press office for approval.",
                        old_status=Action.Status.OPEN,
                        new_status=Action.Status.IN_PROGRESS,
                        created_at=_at(
                            min(
                                _london_date(meeting.starts_at) + dt.timedelta(days=3),
                                self.today - dt.timedelta(days=1),
                            ),
                            dt.time(14, 0),
                        ),
                    )
                )
            result.append((action, notes))
        return result

    # The tracker

    def track_progress(self, group: Group, rng: random.Random) -> None:
        """Quarterly website views, a target, and progress on the ToC and Crest rows."""
        staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
        for code, status in TOC_STATUSES.items():
            ToCActivity.objects.filter(code=code, status=ToCActivity.Status.NOT_STARTED).update(
                status=status
            )
        for recommendation in CrestRecommendation.objects.filter(
            group=group, status=CrestRecommendation.Status.NOT_STARTED
        ):
            recommendation.status = CrestRecommendation.Status.IN_PROGRESS
            recommendation.evidence = CREST_EVIDENCE
            recommendation.save()

        measure = PerformanceMeasure.objects.filter(code="4.1.1.a").first()
        if measure is None:
            return
        if measure.target is None:
            measure.target = MEASURE_TARGET
            measure.save(update_fields=["target"])
        previous = None
        for index, quarter in enumerate(q for q in quarters() if q.end < self.today):
            views = round(2400 * 1.08**index + rng.randint(-350, 350))
            notes = (
                MEASURE_NOTES_DOWN
                if previous is not None and views < previous
                else MEASURE_NOTES_UP
            )
            previous = views
            value, created = MeasureValue.objects.get_or_create(
                measure=measure,
                year=quarter.year,
                quarter=quarter.number,
                defaults={
                    "value": Decimal(views),
                    "note": rng.choice(notes),
                    "updated_by": staff,
                },
            )
            if created:
                # Entered a fortnight after the quarter closed.
                entered = _at(quarter.end + dt.timedelta(days=14), dt.time(11, 0))
                MeasureValue.objects.filter(pk=value.pk).update(
                    updated_at=min(entered, self.midnight)
                )
                self.created["measure_values"] += 1


def demo_seed(*, scale: int, today: dt.date, write: Callable[[str], None]) -> Counter:
    """Add the demo groups missing at this scale; return how many rows of each kind it made."""
    return DemoBuilder(scale=scale, today=today, write=write).build()
