"""The portal's main journeys with the keyboard alone: Tab to each control, then Enter,
Space, arrow keys or typing, as someone who uses no mouse would.

Every control is reached by pressing Tab until it has focus (`tab_to`), never by clicking
or filling it: a control the keyboard cannot reach, or a trap it cannot leave, fails the
journey with the path focus took. Signing in is the shared helper's; the rest is keys.
"""

import datetime as dt
import re
from collections.abc import Callable

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from actions.models import Action
from members.models import Person
from tests.browser.helpers import assert_accessible, focused, sign_in, tab_to
from tests.factories import ActionFactory, AgencyFactory, MeetingFactory, MembershipFactory
from tests.tracker.fixtures import build_quarter_data

pytestmark = pytest.mark.django_db(transaction=True)

# Everything Tab could stop at, in page order: the upper bound of a walk round the page.
TABBABLE = """() => Array.from(document.querySelectorAll(
  "a[href], button, input, select, textarea, summary, [tabindex]"
)).filter((el) => el.tabIndex >= 0 && !el.disabled && el.checkVisibility()
  && !el.closest("[inert]") && !(el.closest("details:not([open])") && el.tagName !== "SUMMARY"))"""


def link(name: str) -> Callable[[dict], bool]:
    """A link or button whose words are `name`."""
    return lambda stop: stop["tag"] in {"a", "button"} and stop["text"] == name


def press_enter_and_wait(page: Page, url_part: str) -> None:
    """Enter on a link or button that loads a page whose address matches `url_part`."""
    with page.expect_navigation(url=re.compile(url_part)):
        page.keyboard.press("Enter")


# (a) VRU staff: the register and an action, from the navigation.


def test_staff_record_the_register_and_log_an_action_with_the_keyboard(
    page, staff_user, member_user, working_group
):
    for title in ("Alpha seat", "Bravo seat", "Charlie seat"):
        MembershipFactory(group=working_group, role_title=title)
    MembershipFactory(group=working_group, role_title="Delta seat", person=None)
    meeting = MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=2))
    sign_in(page, "staff@example.org")

    tab_to(page, link("Meetings"))
    press_enter_and_wait(page, r"/meetings/$")
    tab_to(page, lambda stop: stop["href"] == f"/meetings/{meeting.pk}/", limit=80)
    press_enter_and_wait(page, rf"/meetings/{meeting.pk}/$")
    expect(page.locator("h1")).to_have_text("Communications Working Group meeting")
    tab_to(page, link("Record attendance"), limit=80)
    press_enter_and_wait(page, rf"/meetings/{meeting.pk}/attendance/$")

    seat = {
        name: page.locator("fieldset", has_text=f"{name} seat")
        for name in ("Bravo", "Charlie", "Delta")
    }
    summary = page.locator("#register-summary")
    expect(summary).to_have_text("Not recorded yet (6 seats expected)")
    # Every filled seat present first (Space on the button), then the exceptions.
    tab_to(page, link("Mark every filled seat not yet chosen as present"))
    page.keyboard.press("Space")
    expect(summary).to_have_text("5 of 6 present, 0 apologies, 1 not recorded")

    # Tab enters a radio group on its chosen radio; the arrows move the choice.
    tab_to(page, seat["Bravo"].get_by_label("Present", exact=True))
    page.keyboard.press("ArrowRight")
    expect(seat["Bravo"].get_by_label("Apologies")).to_be_checked()
    tab_to(page, seat["Charlie"].get_by_label("Present", exact=True))
    page.keyboard.press("ArrowLeft")  # round from the first choice to the last
    expect(seat["Charlie"].get_by_label("Deputy attended")).to_be_checked()
    tab_to(page, seat["Charlie"].get_by_label("Deputy's name"), limit=1)
    page.keyboard.type("Dana Deputy")
    # A vacant seat has no choice made: Tab lands on its first radio, each arrow moves on one.
    tab_to(page, seat["Delta"].get_by_label("Present", exact=True))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(seat["Delta"].get_by_label("Absent")).to_be_checked()
    expect(summary).to_have_text("4 of 6 present (1 by deputy), 1 apology, 1 absent")

    tab_to(page, link("Save the register"))
    press_enter_and_wait(page, rf"/meetings/{meeting.pk}/$")
    expect(page.get_by_test_id("attendance-summary")).to_have_text(
        "4 of 6 present (1 by deputy), 1 apology, 1 absent"
    )
    expect(page.get_by_role("cell", name="Deputy attended (Dana Deputy)")).to_be_visible()

    # Log an action from the meeting page: type the title, pick the owner by typing.
    form = page.locator("#log-action-form")
    tab_to(page, form.get_by_label("Title"), limit=120)
    page.keyboard.type("Book the in-person venue")
    tab_to(page, form.get_by_label("Owner"), limit=3)
    page.keyboard.type("Owner")
    expect(form.get_by_label("Owner")).to_have_value(str(member_user.person.pk))
    tab_to(page, link("Log action"), limit=20)
    page.keyboard.press("Enter")

    expect(
        page.locator("#raised-rows").get_by_role("link", name="Book the in-person venue")
    ).to_be_visible()
    expect(page.locator("#meeting-actions-status")).to_contain_text("Action logged")
    action = Action.objects.get(meeting=meeting)
    assert (action.title, action.owner) == ("Book the in-person venue", member_user.person)

    # And it is in the action log, reached from the navigation.
    tab_to(page, link("Action log"), limit=250)
    press_enter_and_wait(page, r"/actions/$")
    expect(page.get_by_role("link", name="Book the in-person venue")).to_be_visible()


# (b) A member: an update on their own action.


def test_a_member_posts_an_update_on_their_action_with_the_keyboard(
    page, member_user, working_group
):
    mine = ActionFactory(owner=member_user.person, group=working_group, title="Agree the brand")
    sign_in(page, "owner@example.org")

    tab_to(page, link("My actions"))
    press_enter_and_wait(page, r"/actions/mine/$")
    card = page.locator(f"#action-{mine.pk}")
    tab_to(page, card.get_by_label("Status"))
    # A closed list takes the first letters of a choice, as in any desktop program.
    page.keyboard.type("In p")
    expect(card.get_by_label("Status")).to_have_value("in_progress")
    tab_to(page, card.get_by_label("Progress update"), limit=1)
    page.keyboard.type("Draft shared with partners.")
    tab_to(page, link("Post update"), limit=3)
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/actions/mine/?posted={mine.pk}#action-{mine.pk}")
    card = page.locator(f"#action-{mine.pk}")
    expect(card).to_contain_text("Update posted on “Agree the brand”.")
    expect(card).to_contain_text("Draft shared with partners.")
    mine.refresh_from_db()
    assert mine.status == Action.Status.IN_PROGRESS


# (c) The chair: finalise the quarter's update, then download it.


def test_the_chair_finalises_and_downloads_the_quarterly_update_with_the_keyboard(
    page, chair_user, working_group
):
    build_quarter_data(working_group)
    sign_in(page, "chair@example.org")

    tab_to(page, link("Quarterly update"))
    press_enter_and_wait(page, r"/reports/quarterly/")
    tab_to(page, link("2024-25 Q1"), limit=40)
    press_enter_and_wait(page, r"/reports/quarterly/2024-25/q1/")
    expect(page.locator("h1")).to_have_text("Quarterly SVRP update: 2024-25 Q1")
    tab_to(page, link("Finalise the 2024-25 Q1 update"), limit=80)
    press_enter_and_wait(page, r"/reports/quarterly/2024-25/q1/finalise/")
    expect(page.locator("h1")).to_have_text("Finalise the 2024-25 Q1 update")
    tab_to(page, link("Finalise the 2024-25 Q1 update"), limit=40)
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_contain_text("is finalised")
    word = "Word (.docx) file of the 2024-25 Q1 update"
    tab_to(page, link(word), limit=80)
    with page.expect_download() as download:
        page.keyboard.press("Enter")

    assert download.value.suggested_filename == "svrp-update-comms-working-group-2024-25-q1.docx"
    document = docx.Document(download.value.path())
    assert "Communications Working Group" in "\n".join(p.text for p in document.paragraphs)


# (d) No trap: Tab goes through each form and out of it, round to the top of the page.


def walk_round(page: Page) -> list[int]:
    """Tab from the top of the page until focus leaves it or comes back to its first stop.

    Returns the stops, as indexes into the page's tabbable elements (-1 for one not in
    that list). Fails if focus never comes round: somewhere it is held.
    """
    page.evaluate(f"window.tabbable = ({TABBABLE})()")
    count = page.evaluate("window.tabbable.length")
    stops: list[int] = []
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => document.activeElement === document.body
              ? "body" : window.tabbable.indexOf(document.activeElement)"""
        )
        if stop == "body" or (stops and stop == stops[0]):
            return stops
        stops.append(stop)
    pytest.fail(
        f"Tab pressed {count + 5} times on {page.url} (it has {count} places to stop) and "
        f"focus never came back round: last at {focused(page)}"
    )


# A radio group is one stop: Tab reaches its chosen radio, or its first when none is chosen.
ONE_STOP_PER_GROUP = """(indexes) => indexes.filter((i) => {
  const el = window.tabbable[i];
  if (el.type !== "radio") return true;
  const group = Array.from(el.form.querySelectorAll(`input[type=radio][name="${el.name}"]`));
  return el === (group.find((radio) => radio.checked) || group[0]);
})"""
DESCRIBE = "(indexes) => indexes.map((i) => window.tabbable[i].outerHTML.slice(0, 120))"


def assert_no_trap(page: Page, forms: Locator) -> None:
    """Tab from the top reaches every control of `forms`, goes on past them and comes round."""
    stops = walk_round(page)
    controls = forms.evaluate_all(
        """forms => forms.flatMap(form => window.tabbable.filter(el => form.contains(el)))
            .map(el => window.tabbable.indexOf(el))"""
    )
    assert controls, "the form has controls to reach"
    missed = [i for i in page.evaluate(ONE_STOP_PER_GROUP, controls) if i not in stops]
    assert not missed, f"Tab never reached: {page.evaluate(DESCRIBE, missed)}"
    assert stops[0] == 0, "the first Tab goes to the skip link"
    assert max(stops) > max(controls), "focus goes on past the form"


@pytest.mark.parametrize(
    ("page_at", "forms"),
    [
        ("/meetings/{meeting}/", "main form"),
        ("/meetings/{meeting}/attendance/", "form.register-form"),
        ("/actions/new/", "form.action-form"),
    ],
)
def test_focus_passes_through_each_form_and_out_again(
    page, staff_user, member_user, working_group, page_at, forms
):
    meeting = MeetingFactory(group=working_group, starts_at=timezone.now() - dt.timedelta(days=2))
    ActionFactory(group=working_group, meeting=meeting, owner=member_user.person)
    sign_in(page, "staff@example.org")
    page.goto(page_at.format(meeting=meeting.pk))

    assert_no_trap(page, page.locator(forms))


# (e) Errors: summarised at the top of the form, announced, focused, linked to the fields.


def test_errors_are_summarised_focused_and_linked_to_their_fields(page, staff_user):
    AgencyFactory(name="Youth Justice Service")
    sign_in(page, "staff@example.org")
    page.goto("/members/people/new/")

    # A name, but no email address and no agency.
    form = page.locator("main form")
    tab_to(page, form.get_by_label("Full name"), limit=80)
    page.keyboard.type("Priya Shah")
    tab_to(page, link("Add the person"), limit=20)
    press_enter_and_wait(page, r"/members/people/new/$")

    summary = form.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        ["Email address: This field is required.", "Agency: This field is required."]
    )
    # At the top of the form, before every field.
    first = form.locator("input:not([type=hidden]), select, textarea, [data-error-summary]")
    expect(first.first).to_have_attribute("data-error-summary", "")
    expect(form.get_by_label("Full name")).to_have_value("Priya Shah")
    assert_accessible(page)

    # Each link takes focus to its field, with the field's label in sight.
    tab_to(page, link("Email address: This field is required."), limit=1)
    page.keyboard.press("Enter")
    email = form.get_by_label("Email address")
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(form.locator("label[for=id_email]")).to_be_in_viewport()
    page.keyboard.type("priya.shah@example.org")

    # Back up the page to the summary, for its next link.
    tab_to(page, link("Agency: This field is required."), limit=5, key="Shift+Tab")
    page.keyboard.press("Enter")
    agency = form.get_by_label("Agency")
    expect(agency).to_be_focused()
    page.keyboard.type("Youth")
    expect(agency.locator("option:checked")).to_have_text("Youth Justice Service")

    tab_to(page, link("Add the person"), limit=20)
    press_enter_and_wait(page, r"/members/people/\d+/$")
    expect(page.locator("h1")).to_contain_text("Priya Shah")
    assert Person.objects.get(email="priya.shah@example.org").agency.name == "Youth Justice Service"
