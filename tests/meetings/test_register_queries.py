import pytest

from meetings.models import MeetingReply
from tests.meetings.conftest import record

pytestmark = pytest.mark.django_db


def _fill(meeting, seats: int) -> None:
    """Seats with a register row each, and a reply sent ahead by one of them."""
    rows = record(meeting, *["present"] * seats)
    seat = rows[0].membership
    MeetingReply.objects.create(
        meeting=meeting, membership=seat, kind="apologies", sent_by=seat.person
    )


def test_the_register_costs_the_same_queries_at_small_and_ten_times_the_data(
    staff_client, past_meeting, django_assert_num_queries
):
    url = f"/meetings/{past_meeting.pk}/attendance/"
    _fill(past_meeting, 2)
    staff_client.get(url)  # the session and roles are read once either way
    with django_assert_num_queries(11) as small:
        staff_client.get(url)

    _fill(past_meeting, 20)
    with django_assert_num_queries(len(small.captured_queries)):
        response = staff_client.get(url)
    assert response.context["summary"].present == 22
