"""The Communications Working Group's Terms of Reference (V2, November 2023) as data.

Everything here is read from the document itself (the VRP Communications Working
Group ToR, published by the VRU): names, abbreviations and wording are the
document's, including its slips ("HRFS", "Representations from ..."), so that a
reader holding the ToR recognises every row. `manage.py load_tor` loads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from members.models import Agency, Group, Membership
from tracker.models import PerformanceMeasure

Position = Membership.Position
Attendance = Membership.AttendanceStatus
Sector = Agency.Sector
Duty = Agency.DutyStatus


@dataclass(frozen=True)
class Seat:
    role_title: str
    position: str = Position.MEMBER
    attendance_status: str = Attendance.REQUIRED


@dataclass(frozen=True)
class AgencyRow:
    """A row of the ToR's "Distribution list and membership" table."""

    name: str
    short_name: str
    sector: str
    duty_status: str
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class GroupFacts:
    name: str
    short_name: str
    kind: str
    parent: str | None = None
    purpose: str = ""
    vision: str = ""
    mission: str = ""
    tor_version: str = ""
    tor_published: dt.date | None = None
    review_date: dt.date | None = None
    meeting_frequency: str = Group.Frequency.QUARTERLY
    default_format: str = "teams"
    in_person_every: int = 0


SVRP = GroupFacts(
    name="Strategic Violence Reduction Partnership",
    short_name="SVRP",
    kind=Group.Kind.SVRP,
    purpose=(
        "The Strategic Violence Reduction Partnership (SVRP) has been established to develop "
        "and deliver a Strategy to address the root causes of serious violence in our "
        "communities, based on the findings obtained within the Strategic Needs Assessment "
        "(SNA). This is in accordance with the Home Office Serious Violence Duty (SVD) "
        "Statutory Guidance."
    ),
    # The Comms ToR sets no meeting rules for the board itself, so no in-person rule.
    in_person_every=0,
)

COMMS_WORKING_GROUP = GroupFacts(
    name="Communications Working Group",
    short_name="Comms Working Group",
    kind=Group.Kind.WORKING,
    parent=SVRP.name,
    purpose=(
        "The Comms Working Groups brings together the VRP to collaborate and work with and for "
        "communities, embedding voices and lived experiences, as part of a Public Health "
        "Approach. The Comms Working Group oversees the operational delivery of the VRP "
        "Strategy for Communications, which is captured within the VRP Theory of Change (ToC)."
    ),
    vision=(
        "Our vision is for Hampshire, Isle of Wight, Portsmouth and Southampton to be a place "
        "where people can live their lives free from violence and the fear of violence."
    ),
    mission=(
        "Our mission is to prevent violence by building a collaborative, courageous and "
        "sustainable Partnership which will drive the change required to successfully address "
        "the causes and consequences of violence."
    ),
    tor_version="V2",
    # The document gives months only ("Published November 2023", "reviewed in March
    # 2024"): the first of the month for publication, the last for the review.
    tor_published=dt.date(2023, 11, 1),
    review_date=dt.date(2024, 3, 31),
    meeting_frequency=Group.Frequency.QUARTERLY,
    # "held via Teams with every third meeting being held in person and hosted by a
    # different Specified Authority".
    default_format="teams",
    in_person_every=3,
)

GROUPS = (SVRP, COMMS_WORKING_GROUP)

# The three agencies whose row reads "Attendance not yet required" name no role.
# Each gets one seat, "<short name> representative", marked not yet required, so
# that the distribution list shows them and the seat can be filled when needed.
_NOT_YET_REQUIRED = Attendance.NOT_YET_REQUIRED

# In the document's order. The "Date Sent" column is empty, so no seat has a
# tor_sent_on date; no person is named, so every seat starts vacant.
AGENCIES = (
    AgencyRow(
        "Violence Reduction Unit (VRU)",
        "VRU",
        Sector.VRU,
        Duty.NOT_APPLICABLE,
        (
            Seat("VRU Director", Position.CHAIR),
            Seat("VRU Manager", Position.VICE_CHAIR),
            Seat("VRU Programmes and Projects Officer", Position.OFFICER),
        ),
    ),
    AgencyRow(
        "Police",
        "Police",
        Sector.POLICE,
        Duty.SPECIFIED,
        (Seat("Corporate Communications, Serious Violence Lead"),),
    ),
    AgencyRow(
        "Hampshire Fire & Rescue Service (HRFS)",
        "HRFS",
        Sector.FIRE,
        Duty.SPECIFIED,
        (Seat("Representation from Communications team"),),
    ),
    AgencyRow(
        "Youth Justice Service (YJS)",
        "YJS",
        Sector.YOUTH_JUSTICE,
        Duty.SPECIFIED,
        (Seat("Representation from Portsmouth Youth Justice"),),
    ),
    AgencyRow(
        "Health – Integrated Care Boards",
        "Health",
        Sector.HEALTH,
        Duty.SPECIFIED,
        (
            Seat("Representations from University Hospital Southampton (UHS) Communications"),
            Seat("Representations from ICB Communications"),
            Seat("Representation from Southern Health"),
            Seat("Representation from Solent Health"),
        ),
    ),
    AgencyRow(
        "Local Authorities",
        "Local Authorities",
        Sector.LOCAL_AUTHORITY,
        Duty.SPECIFIED,
        (
            Seat("Representation from Hampshire"),
            Seat("Representation from Isle of Wight"),
            Seat("Representation from Portsmouth"),
            Seat("Representation from Southampton"),
        ),
    ),
    AgencyRow(
        "Office of Police and Crime Commissioner (OPCC)",
        "OPCC",
        Sector.OPCC,
        Duty.NOT_APPLICABLE,
        (Seat("OPCC representative", attendance_status=_NOT_YET_REQUIRED),),
    ),
    AgencyRow(
        "Probation",
        "Probation",
        Sector.PROBATION,
        Duty.SPECIFIED,
        (Seat("Regional Communications Lead"),),
    ),
    AgencyRow(
        "Education",
        "Education",
        Sector.EDUCATION,
        Duty.RELEVANT,
        (Seat("Education representative", attendance_status=_NOT_YET_REQUIRED),),
    ),
    AgencyRow(
        "Prison Service",
        "Prison Service",
        Sector.PRISON,
        Duty.RELEVANT,
        (Seat("Prison Service representative", attendance_status=_NOT_YET_REQUIRED),),
    ),
    AgencyRow(
        "Voluntary Sector",
        "Voluntary Sector",
        Sector.VOLUNTARY,
        Duty.NOT_APPLICABLE,
        (Seat("Fundraising, Marketing and Communications Manager"),),
    ),
)

# "Aims and activities linked to the Theory of Change", numbered as in the VRP ToC.
TOC_ACTIVITIES = (
    ("3.a", "Create VRP brand and website to communicate with Partners and public"),
    ("3.b", "Celebrate and highlight work of communities and the VRP working together"),
    ("3.c", "Develop a strengths based counter-narrative"),
)

# Crest Advisory, Joint Readiness Assessment for Hampshire & Isle of Wight (May 2023).
CREST_RECOMMENDATIONS = (
    (
        "8.1",
        "Partners should invest in more comprehensive community mapping, to identify the "
        "individuals and organisations across Hampshire and the Isle of Wight that could be "
        "actively involved in violence reduction efforts.",
    ),
)


@dataclass(frozen=True)
class MeasureFacts:
    code: str
    title: str
    outcome: str
    success_measure: str
    data_source: str
    unit: str
    polarity: str


# The Outcomes Based Performance Framework's element for this group. The
# document sets no target: staff enter one in the portal.
PERFORMANCE_MEASURES = (
    MeasureFacts(
        code="4.1.1.a",
        title="VRU: Number of views of VRU website",
        outcome=(
            "Specified and Relevant authorities and public are well informed about serious "
            "violence and the Partnership response."
        ),
        success_measure=(
            "VRU Communications are reaching Specified and Relevant authorities and public."
        ),
        data_source="VRU",
        unit="views",
        polarity=PerformanceMeasure.Polarity.HIGHER_IS_BETTER,
    ),
)

# The group the ToC activities, the Crest recommendation and the measure belong to.
TRACKER_GROUP = COMMS_WORKING_GROUP.name
# The group whose seats the distribution list describes.
SEATS_GROUP = COMMS_WORKING_GROUP.name

# The Comms Working Group's own words for the sections that are not data (TorText),
# as the document has them; its footnotes are the "Notes". Each line is a paragraph,
# "- " a bullet point. The data between them (seats, activities, recommendations,
# measures, meeting rules) is drawn from the rows above.
TOR_TEXT = {
    "duty_status_note": (
        "As stated within the Home Office Serious Violence Duty (SVD) Statutory Guidance, "
        "December 2022."
    ),
    "introduction": "\n".join(
        (
            "The Strategic Violence Reduction Partnership (SVRP) has been established to "
            "develop and deliver a Strategy to address the root causes of serious violence in "
            "our communities, based on the findings obtained within the Strategic Needs "
            "Assessment (SNA). This is in accordance with the Home Office Serious Violence "
            "Duty (SVD) Statutory Guidance.",
            "Within Hampshire, Isle of Wight, Portsmouth and Southampton (HIPS), the Violence "
            "Reduction Unit (VRU) are responsible for leading on this approach and working "
            "collaboratively with all Partners within the Violence Reduction Partnership (VRP) "
            "to reduce serious violence, promoting a Public Health and Trauma Informed "
            "Approach.",
            "The VRP recognises that tackling serious violence is not a law enforcement issue "
            "alone and requires a collaborative Partnership approach.",
            "One of the sub groups within the SVRP to achieve this is the Communications "
            "(Comms) Working Group.",
        )
    ),
    "aims": "\n".join(
        (
            "The Comms Working Groups brings together the VRP to collaborate and work with and "
            "for communities, embedding voices and lived experiences, as part of a Public "
            "Health Approach.",
            "The Comms Working Group oversees the operational delivery of the VRP Strategy for "
            "Communications, which is captured within the VRP Theory of Change (ToC).",
            "The following activities will be delivered by the Comms Working Group, in "
            "alignment with the ToC:",
        )
    ),
    "crest_introduction": "\n".join(
        (
            "The Home Office commissioned Crest Advisory to assess the VRP’s readiness to meet "
            "the SVD and made necessary recommendations to the Partnership to reach maturity.",
            "The following recommendations are recorded in the Crest Advisory Readiness "
            "Tracker, which will be considered and delivered by the Comms Working Group:",
        )
    ),
    "crest_follow_up": (
        "Once a recommendation has been achieved, the Crest Advisory Readiness Tracker will be "
        "updated and the Comms Working Group ToR will also be revised to reflect this."
    ),
    "performance_introduction": "\n".join(
        (
            "The VRU has developed an Outcomes Based Performance Framework on behalf of the VRP "
            "to track performance progress for each strategic area, under the SVRP, to reduce "
            "serious violence.",
            "The impact of activity from the Comms Working Group should be measured by the "
            "following elements of the Performance Framework, which will be monitored and "
            "reported on quarterly:",
        )
    ),
    "partner_responsibilities": "\n".join(
        (
            "Under the Serious Violence Duty, the following Specified Authorities are required "
            "to collaborate and plan to prevent and reduce serious violence:",
            "- Police",
            "- Justice (Probation Services and Youth Justice Service)",
            "- Fire and Rescue Service",
            "- Health (Integrated Care Boards)",
            "- Local Authorities (District and County Councils)",
            "The following Relevant Authorities are also expected to collaborate and plan to "
            "prevent and reduce serious violence:",
            "- Prison Service",
            "- Education",
            "The responsibility from each member of this group is to represent their "
            "organisation by ensuring the following is achieved:",
            "- Understand the requirements of the SVD and actively seek opportunities to "
            "collaborate and improve the HIPS wide response.",
            "- Be open to and provide support to other Partners, sharing best practice.",
            "- Adopt and promote a Public Health Approach to tackling serious violence to "
            "Partners, Stakeholders and the Public.",
        )
    ),
    "reporting_relationships": (
        "The Chair / Vice Chair of the Comms Working Group will raise any key updates and "
        "decisions to the SVRP on a quarterly basis."
    ),
    "meeting_notes": (
        "There may be separate Task and Finish groups for separate work streams if required."
    ),
    "administration": (
        "No minutes will be taken, however actions and attendance for all meetings will be "
        "recorded and monitored by the VRU."
    ),
    "notes": "\n".join(
        (
            "The Strategic Needs Assessment (SNA) allows us to understand data through analysis "
            "around which communities are impacted by serious violence and what we know about "
            "the root causes of violence.",
            "The World Health Organisation (WHO) provided a 4-step process for implementing a "
            "Public Health Approach, which the Home Office has promoted as a methodology to "
            "tackle serious violence:",
            "- Surveillance",
            "- Identify Risk and Protective Factors",
            "- Develop and Evaluate Interventions",
            "- Implementation",
            "Trauma Informed focuses on ‘what has happened to this person’, rather than ‘what "
            "is wrong with this person’.",
            "The ToC is a high level representation of how the VRP’s resources and activities "
            "lead to the desired short, medium and long term changes, which will reduce "
            "serious violence and risk.",
            "Number per activity aligns to that shown in the VRP Theory of Change.",
            "Recommendations from Crest Advisory (Crime and Justice Specialists) were published "
            "in the ‘Joint Readiness Assessment for Hampshire & Isle of Wight’ (published May "
            "2023).",
            "Number per recommendation aligns to that provided by Crest Advisory.",
            "Number per element aligns to that shown in the Outcomes Based Performance Framework.",
        )
    ),
}
# The group whose ToR text this is.
TEXT_GROUP = COMMS_WORKING_GROUP.name
