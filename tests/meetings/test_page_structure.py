"""The meeting pages' shape: the meeting page in sections with an "On this page" list of
plain links, the most used first; a trail of breadcrumbs on every page below the
schedule; and lists that say what to do when they are empty."""

import lxml.html
import pytest
from django.urls import reverse

from meetings.models import InvitationSend
from tests.factories import KeyUpdateFactory
from tests.meetings.conftest import record

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _on_this_page(page) -> list[tuple[str, str]]:
    [nav] = page.xpath("//nav[@aria-label='On this page']")
    return [(_text(a), a.get("href")) for a in nav.iter("a")]


def test_staff_jump_from_the_top_of_the_meeting_page_to_each_of_its_sections(
    staff_client, staff_user, past_meeting
):
    record(past_meeting, "present", "apologies")
    InvitationSend.objects.create(
        meeting=past_meeting, kind="invitation", sequence=0, recipients=[], sent_by=staff_user
    )

    page = _page(staff_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    links = _on_this_page(page)
    assert [name for name, _ in links] == [
        "Details",
        "Key updates and decisions",
        "Attendance",
        "Actions",
        "Apologies and deputies",
        "Invitations sent",
        "History",
    ]
    for name, href in links:
        assert href.startswith("#"), name
        [target] = page.xpath("//*[@id=$id]", id=href[1:])
        # Each lands on a part of the page headed by its own title (or its folded summary).
        first = target.xpath("(.//h2 | .//summary)[1]")
        assert first, f"{name} leads to {href}, which has no heading"


def test_members_are_offered_only_the_sections_they_see(member_client, past_meeting):
    page = _page(member_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    assert [name for name, _ in _on_this_page(page)] == [
        "Details",
        "Key updates and decisions",
        "Attendance",
        "Actions",
    ]
    for _, href in _on_this_page(page):
        assert page.xpath("//*[@id=$id]", id=href[1:])


def test_every_section_of_the_meeting_page_is_named_by_its_heading(staff_client, past_meeting):
    page = _page(staff_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    for section_id in ("details", "key-updates", "attendance", "replies", "invitations"):
        [section] = page.xpath("//section[@id=$id]", id=section_id)
        [heading] = page.xpath("//*[@id=$id]", id=section.get("aria-labelledby"))
        assert heading.tag == "h2"


def test_the_key_update_form_comes_before_the_register(chair_client, past_meeting):
    record(past_meeting, *["present"] * 18)
    KeyUpdateFactory(meeting=past_meeting)

    page = _page(chair_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    order = [
        element.get("aria-labelledby") or element.get("class")
        for element in page.xpath("//form[@aria-labelledby='add-key-update'] | //table")
    ]
    assert order.index("add-key-update") < order.index("table table-sm register-table table-stack")


def test_a_long_register_folds_behind_a_summary_of_its_seats(staff_client, past_meeting):
    record(past_meeting, *["present"] * 18)

    page = _page(staff_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    [folded] = page.xpath("//section[@id='attendance']//details")
    assert _text(folded.find("summary")) == "Show the register (19 seats)"
    assert len(folded.xpath(".//table//tbody/tr")) == 19
    # The figures stay in sight above it.
    assert "18 of 19 present" in _text(page.get_element_by_id("attendance"))


def test_a_short_register_is_shown_as_it_is(staff_client, past_meeting):
    record(past_meeting, "present", "apologies")

    page = _page(staff_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    assert not page.xpath("//section[@id='attendance']//details")
    assert len(page.xpath("//section[@id='attendance']//table//tbody/tr")) == 3


def test_the_registers_seats_stack_on_a_phone_each_cell_named(staff_client, past_meeting):
    record(past_meeting, "deputy")

    page = _page(staff_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    [table] = page.xpath("//section[@id='attendance']//table")
    assert "table-stack" in table.get("class").split()
    assert not page.xpath("//*[contains(@class, 'table-responsive')][.//table[@id]]")
    labels = [td.get("data-label") for td in table.xpath(".//tbody/tr[1]/td")]
    assert labels == ["Agency", "Held by", "Attendance"]


def _breadcrumbs(page) -> list[tuple[str, str | None, str | None]]:
    [nav] = page.xpath("//nav[@aria-label='Breadcrumb']")
    return [
        (
            _text(item),
            (item.find("a").get("href") if item.find("a") is not None else None),
            item.get("aria-current"),
        )
        for item in nav.xpath("./ol[contains(@class, 'breadcrumb')]/li")
    ]


@pytest.mark.parametrize(
    ("name", "here"),
    [
        ("meetings:register", "Attendance register"),
        ("meetings:edit", "Edit the meeting"),
        ("meetings:invitation", "Send the invitation"),
    ],
)
def test_the_pages_of_a_meeting_lead_back_through_it(staff_client, upcoming_meeting, name, here):
    page = _page(staff_client.get(reverse(name, args=[upcoming_meeting.pk])))

    assert _breadcrumbs(page) == [
        ("Meetings", reverse("meetings:list"), None),
        (str(upcoming_meeting), reverse("meetings:detail", args=[upcoming_meeting.pk]), None),
        (here, None, "page"),
    ]
    # The trail replaces the old link back.
    assert not page.xpath("//main//p/a[.='Back to the meeting']")


def test_the_reply_and_key_update_pages_lead_back_through_the_meeting(
    member_client, chair_client, upcoming_meeting
):
    update = KeyUpdateFactory(meeting=upcoming_meeting)
    meeting = (str(upcoming_meeting), reverse("meetings:detail", args=[upcoming_meeting.pk]), None)

    reply = _page(member_client.get(reverse("meetings:reply", args=[upcoming_meeting.pk])))
    edit = _page(
        chair_client.get(reverse("meetings:key_update_edit", args=[upcoming_meeting.pk, update.pk]))
    )

    assert _breadcrumbs(reply)[1:] == [meeting, ("Apologies or a deputy", None, "page")]
    assert _breadcrumbs(edit)[1:] == [meeting, ("Edit a key update", None, "page")]


def test_the_meeting_page_ends_its_trail_with_itself(member_client, past_meeting):
    page = _page(member_client.get(reverse("meetings:detail", args=[past_meeting.pk])))

    assert _breadcrumbs(page) == [
        ("Meetings", reverse("meetings:list"), None),
        (str(past_meeting), None, "page"),
    ]


def test_an_empty_schedule_tells_staff_how_to_fill_it(staff_client):
    page = _page(staff_client.get(reverse("meetings:list")))

    upcoming = page.get_element_by_id("upcoming-heading").getparent()
    assert "No meeting is scheduled." in _text(upcoming)
    assert upcoming.xpath(
        ".//a[@href=$url][.='Schedule the next meeting']", url=reverse("meetings:create")
    )
    assert upcoming.xpath(".//a[@href=$url]", url=reverse("meetings:plan"))


def test_an_empty_schedule_tells_members_where_meetings_will_appear(member_client):
    page = _page(member_client.get(reverse("meetings:list")))

    upcoming = page.get_element_by_id("upcoming-heading").getparent()
    assert "No meeting is scheduled." in _text(upcoming)
    assert not upcoming.xpath(".//a[@href=$url]", url=reverse("meetings:create"))
    assert upcoming.xpath(".//a[@href=$url]", url=reverse("meetings:my_meetings"))


def test_a_group_with_no_meeting_offers_staff_to_schedule_one_for_it(staff_client, working_group):
    page = _page(staff_client.get(reverse("meetings:list"), {"group": working_group.pk}))

    upcoming = page.get_element_by_id("upcoming-heading").getparent()
    assert f"No meeting of the {working_group.display_name} is scheduled." in _text(upcoming)
    assert upcoming.xpath(
        ".//a[@href=$url]", url=f"{reverse('meetings:create')}?group={working_group.pk}"
    )


def _error_summary(page):
    [summary] = page.xpath("//*[@data-error-summary]")
    assert (summary.get("role"), summary.get("tabindex")) == ("alert", "-1")
    return [(a.get("href"), _text(a)) for a in summary.iter("a")]


def test_a_refused_register_lists_each_seats_error_linked_to_its_field(staff_client, past_meeting):
    seat = record(past_meeting, "present")[0].membership
    url = reverse("meetings:register", args=[past_meeting.pk])
    past_meeting.refresh_from_db(fields=["register_version"])
    data = {
        "register-version": past_meeting.register_version,
        f"seat-{seat.pk}-status": "deputy",
        f"seat-{seat.pk}-deputy_name": " ",
    }

    page = _page(staff_client.post(url, data))

    assert _error_summary(page) == [
        (
            f"#id_seat-{seat.pk}-deputy_name",
            f"{seat.role_title}, deputy's name: Enter the name of the deputy who attended.",
        )
    ]
    assert page.xpath("//input[@id=$id]", id=f"id_seat-{seat.pk}-deputy_name")


def test_a_refused_meeting_lists_each_error_linked_to_its_field(staff_client, working_group):
    page = _page(staff_client.post(reverse("meetings:create"), {"group": working_group.pk}))

    links = _error_summary(page)
    assert links
    for href, _ in links:
        assert page.xpath("//*[@id=$id]", id=href[1:]), href
