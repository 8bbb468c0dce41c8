"""What the demo says: names, seats, group themes, and the text of actions, notes and updates.

Only constant tables live here; the modules beside it decide which row goes where.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal import tor

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

# The board's seats: (agency, role title, position). Those in SVRP_NOT_YET_REQUIRED aside,
# every seat requires attendance.
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
