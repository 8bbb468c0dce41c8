import datetime as dt
import io
import json
import time

import docx
import pytest
from django.utils import timezone

from actions.models import Action
from core.quarters import Quarter
from tests.factories import MeetingFactory, UserFactory, london
from tracker.exports import FORMATS, render_json
from tracker.models import MeasureValue, QuarterlyReport

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"


def finalise(client, url=Q1):
    return client.post(f"{url}finalise/", follow=True)


def test_get_asks_to_confirm_and_changes_nothing(chair_client, quarter_data):
    response = chair_client.get(f"{Q1}finalise/")

    assert response.status_code == 200
    assert "it cannot be changed afterwards" in response.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_the_preview_links_to_the_confirmation_step(chair_client, quarter_data):
    content = chair_client.get(Q1).content.decode()

    group = quarter_data.group.pk
    assert f'href="{Q1}finalise/?group={group}">Finalise the 2024-25 Q1 update</a>' in content
    assert f'action="{Q1}finalise/' not in content


def test_the_chair_finalises_a_quarter(chair_client, chair_user, quarter_data):
    response = finalise(chair_client)

    snapshot = QuarterlyReport.objects.get()
    assert (snapshot.group, snapshot.year, snapshot.quarter) == (quarter_data.group, 2024, 1)
    assert snapshot.finalised_by == chair_user
    assert snapshot.content["finalised"]["by"] == "Chair"
    assert snapshot.content["actions"]["totals"] == {
        "opened": 4,
        "completed": 2,
        "overdue": 2,
        "outstanding": 3,
    }
    assert response.redirect_chain[-1][0] == f"{Q1}?group={quarter_data.group.pk}"
    content = response.content.decode()
    assert "The 2024-25 Q1 update for the Communications Working Group is finalised." in content
    # Version 2's status line names the issue (tracker/report_layout_v2.py).
    assert "<strong>Final, issue 1: finalised by Chair on " in content
    assert "Finalised. Finalised" not in content
    assert "Compare the finalised update with the live figures" in content


def change_everything(data):
    """Data changes after the update was sent."""
    MeasureValue.objects.filter(measure=data.views, year=2024, quarter=1).update(value=2000)
    MeetingFactory(group=data.group, starts_at=london(2024, 6, 20), status="held")
    Action.objects.filter(pk=data.actions["brief"].pk).update(
        status=Action.Status.DONE, completed_on=dt.date(2024, 6, 1)
    )
    data.crest.evidence = "A different story"
    data.crest.save()


def test_every_download_serves_the_snapshot_unchanged_after_the_data_changes(
    staff_client, quarter_data
):
    finalise(staff_client)
    sent = QuarterlyReport.objects.get().content
    change_everything(quarter_data)

    as_json = staff_client.get(f"{Q1}report.json").content
    as_word = staff_client.get(f"{Q1}report.docx").content
    preview = staff_client.get(Q1).content.decode()

    assert as_json == render_json(sent)
    assert json.loads(as_json)["measures"][0]["this_quarter"] == 1250
    assert len(json.loads(as_json)["meetings"]) == 3
    rows = [
        [c.text for c in row.cells]
        for t in docx.Document(io.BytesIO(as_word)).tables
        for row in t.rows
    ]
    assert ["All agencies", "4", "2", "2", "3"] in rows
    assert "1,250" in preview
    assert "2,000" not in preview
    assert "A different story" not in preview
    assert QuarterlyReport.objects.get().content == sent


def test_a_finalised_quarter_is_never_finalised_again(chair_client, staff_client, quarter_data):
    finalise(chair_client)
    sent = QuarterlyReport.objects.get()
    change_everything(quarter_data)

    response = finalise(staff_client)

    assert "2024-25 Q1 was finalised already: it stays as it was sent." in response.content.decode()
    again = QuarterlyReport.objects.get()
    assert (again.content, again.finalised_by_id, again.finalised_at) == (
        sent.content,
        sent.finalised_by_id,
        sent.finalised_at,
    )


def test_a_quarter_still_to_come_cannot_be_finalised(chair_client, working_group):
    future = Quarter.current().next()
    url = f"/reports/quarterly/{future.slug}/"

    response = finalise(chair_client, url)

    assert f"{future.label} has not started yet" in response.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_a_quarter_still_to_come_offers_no_finalise_button(chair_client, working_group):
    future = Quarter.current().next()

    content = chair_client.get(f"/reports/quarterly/{future.slug}/").content.decode()

    assert "Finalise the" not in content
    # Only once it has ended: the day after its last day.
    day = future.next().start
    assert f"{future.label} has not started yet: it can be finalised from {day:%-d %B %Y}." in (
        content
    )


def test_the_current_quarter_cannot_be_finalised_until_it_ends(chair_client, working_group):
    current = Quarter.current()
    url = f"/reports/quarterly/{current.slug}/"

    response = finalise(chair_client, url)

    day = current.next().start
    message = f"{current.label} is still running: it can be finalised from {day:%-d %B %Y}."
    content = response.content.decode()
    assert message in content
    assert response.redirect_chain[-1][0] == f"{url}?group={working_group.pk}"
    assert "Finalise the" not in content
    assert not QuarterlyReport.objects.exists()
    assert current.end >= timezone.localdate()


def test_a_finalised_update_downloads_as_the_same_bytes_every_time(
    staff_client, staff_user, quarter_data, monkeypatch
):
    finalise(staff_client)
    first = {ext: staff_client.get(f"{Q1}report.{ext}").content for ext in FORMATS}
    later = time.time() + 3600
    # An hour later, whatever the file format would otherwise stamp on it; the idle
    # session has ended by then, so staff sign in again.
    monkeypatch.setattr(time, "time", lambda: later)
    staff_client.force_login(staff_user)

    again = {ext: staff_client.get(f"{Q1}report.{ext}").content for ext in FORMATS}

    assert again == first


def test_an_administrator_who_finalises_is_named_without_their_email(client, quarter_data):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True))

    finalise(client)

    assert QuarterlyReport.objects.get().content["finalised"]["by"] == "a portal administrator"
