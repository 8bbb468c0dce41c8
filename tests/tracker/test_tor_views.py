"""A group's ToR page: every role reads and downloads it; only VRU staff edit its text and
publish a new version, and every published version stays as it was published."""

import datetime as dt
import html
import io

import pytest
from django.urls import reverse
from docx import Document

from members.models import Group
from tests.factories import CrestRecommendationFactory, london
from tracker.models import TorText, TorVersion

pytestmark = pytest.mark.django_db

TEXT_FIELDS = {
    "duty_status_note": "",
    "introduction": "The group was set up to tell people about the VRP.",
    "aims": "",
    "crest_introduction": "",
    "crest_follow_up": "",
    "performance_introduction": "",
    "partner_responsibilities": "",
    "reporting_relationships": "The chair reports to the SVRP every quarter.",
    "meeting_notes": "",
    "administration": "",
    "notes": "",
}


@pytest.fixture(autouse=True)
def may_2024(clock):
    clock.move_to(london(2024, 5, 14, 9))


@pytest.fixture
def group(working_group):
    working_group.tor_version = "V2"
    working_group.tor_published = dt.date(2023, 11, 1)
    working_group.save()
    TorText.objects.create(group=working_group, introduction="The first introduction.")
    return working_group


def url(name, group):
    return reverse(f"tor:{name}", args=[group.pk])


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def edit(client, group, **changes):
    text = group.tor_text
    text.refresh_from_db()
    data = {**TEXT_FIELDS, "version": text.version, **changes}
    return client.post(url("edit", group), data)


def test_every_role_reads_and_downloads_it(group, persona_clients):
    for name in ("owner", "chair", "staff"):
        client = persona_clients[name]
        page = client.get(url("group", group))
        assert page.status_code == 200
        assert "The first introduction." in page.content.decode()
        assert client.get(url("group_docx", group)).status_code == 200
        assert client.get(url("group_pdf", group)).content.startswith(b"%PDF")


def test_it_requires_sign_in(group, client):
    response = client.get(url("group", group))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_members_see_no_staff_controls(group, member_client):
    content = member_client.get(url("group", group)).content.decode()

    assert url("edit", group) not in content
    assert url("publish", group) not in content
    assert url("send_unsent", group) not in content


def test_staff_see_edit_publish_and_send(group, staff_client):
    content = staff_client.get(url("group", group)).content.decode()

    assert url("edit", group) in content
    assert url("publish", group) in content
    assert url("send_unsent", group) in content


def test_members_and_the_chair_cannot_edit_publish_or_send(
    group, member_client, chair_client, mailoutbox
):
    for client in (member_client, chair_client):
        assert client.get(url("edit", group)).status_code == 403
        assert edit(client, group, introduction="Changed").status_code == 403
        publish = client.post(url("publish", group), {"version": "V3", "published": "2024-05-14"})
        assert publish.status_code == 403
        assert client.post(url("send_unsent", group)).status_code == 403
        seat = group.memberships.first()
        assert client.post(reverse("tor:send_seat", args=[seat.pk])).status_code == 403

    group.refresh_from_db()
    assert group.tor_text.introduction == "The first introduction."
    assert group.tor_version == "V2"
    assert not TorVersion.objects.exists()
    assert mailoutbox == []


def test_staff_edit_the_text(group, staff_client):
    response = edit(staff_client, group, introduction="A new introduction.\n- with a point")

    assert response.status_code == 302
    assert response["Location"] == url("group", group)
    group.tor_text.refresh_from_db()
    assert group.tor_text.introduction == "A new introduction.\n- with a point"
    page = staff_client.get(url("group", group)).content.decode()
    assert "<p>A new introduction.</p><ul><li>with a point</li></ul>" in page
    assert "ToR text is saved" in page


def test_staff_write_the_text_of_a_group_that_has_none(working_group, staff_client):
    assert staff_client.get(url("edit", working_group)).status_code == 200

    response = staff_client.post(
        url("edit", working_group), {**TEXT_FIELDS, "administration": "Actions are kept."}
    )

    assert response.status_code == 302
    assert TorText.objects.get(group=working_group).administration == "Actions are kept."


def test_an_edit_started_from_an_older_version_is_refused(group, staff_client):
    text = group.tor_text
    opened_at = text.version
    text.introduction = "Somebody else's introduction."
    text.save()

    response = staff_client.post(
        url("edit", group),
        {**TEXT_FIELDS, "introduction": "Mine", "version": opened_at},
    )

    assert response.status_code == 409
    text.refresh_from_db()
    assert text.introduction == "Somebody else's introduction."
    assert "Mine" in response.content.decode()  # nothing typed is lost


def test_publishing_needs_post(group, staff_client):
    assert staff_client.get(url("publish", group)).status_code == 405
    assert not TorVersion.objects.exists()


def test_publishing_a_new_version_clears_revision_due(group, staff_client):
    Group.objects.filter(pk=group.pk).update(tor_revision_due=True)

    response = staff_client.post(url("publish", group), {"version": "3", "published": "2024-05-14"})

    assert response.status_code == 302
    group.refresh_from_db()
    assert group.tor_version == "V3"
    assert group.tor_published == dt.date(2024, 5, 14)
    assert group.tor_revision_due is False
    version = TorVersion.objects.get()
    assert (version.version, version.published) == ("V3", dt.date(2024, 5, 14))
    assert version.content["version"] == "V3"
    page = html.unescape(staff_client.get(url("group", group)).content.decode())
    assert "V3 of the Communications Working Group's ToR is published" in page


@pytest.mark.parametrize(
    ("version", "published", "error"),
    [
        ("V2", "2024-05-14", "must be higher than V2"),
        ("1.5", "2024-05-14", "must be higher than V2"),
        ("three", "2024-05-14", "Enter the version as a number"),
        ("V3", "2023-10-01", "cannot be before 1 November 2023"),
        ("V3", "2024-05-15", "cannot be in the future"),
    ],
)
def test_a_version_that_does_not_grow_is_refused(group, staff_client, version, published, error):
    response = staff_client.post(
        url("publish", group), {"version": version, "published": published}
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    assert f'value="{version}"' in response.content.decode()  # what was typed stays
    group.refresh_from_db()
    assert group.tor_version == "V2"
    assert not TorVersion.objects.exists()


def test_publishing_keeps_every_earlier_version_as_it_was(group, staff_client, member_client):
    staff_client.post(url("publish", group), {"version": "V3", "published": "2024-05-01"})
    edit(staff_client, group, introduction="The second introduction.")
    staff_client.post(url("publish", group), {"version": "V4", "published": "2024-05-14"})
    edit(staff_client, group, introduction="A draft introduction.")

    v3 = TorVersion.objects.get(version="V3")
    v4 = TorVersion.objects.get(version="V4")
    old = member_client.get(reverse("tor:version", args=[v3.pk])).content.decode()
    assert "The first introduction." in old
    assert "The second introduction." not in old
    old_docx = member_client.get(reverse("tor:version_docx", args=[v3.pk]))
    assert old_docx["Content-Disposition"].endswith('-v3.docx"')
    assert "The first introduction." in docx_text(old_docx.content)
    assert "A draft introduction." not in docx_text(old_docx.content)
    new_docx = member_client.get(reverse("tor:version_docx", args=[v4.pk]))
    assert "The second introduction." in docx_text(new_docx.content)
    new_pdf = member_client.get(reverse("tor:version_pdf", args=[v4.pk]))
    assert new_pdf.status_code == 200
    assert new_pdf.content.startswith(b"%PDF")
    page = member_client.get(url("group", group)).content.decode()
    assert "A draft introduction." in page  # the page reads today's text
    assert reverse("tor:version", args=[v3.pk]) in page
    assert reverse("tor:version", args=[v4.pk]) in page


def test_the_tracker_links_a_revision_due_to_the_tor(group, member_client):
    CrestRecommendationFactory(group=group)
    Group.objects.filter(pk=group.pk).update(tor_revision_due=True)

    content = member_client.get(f"{reverse('tracker:index')}?group={group.pk}").content.decode()

    assert "ToR revision due:" in content
    assert f'href="{url("group", group)}"' in content


def test_the_tracker_links_nothing_when_no_revision_is_due(group, member_client):
    content = member_client.get(f"{reverse('tracker:index')}?group={group.pk}").content.decode()

    assert "ToR revision due:" not in content
    assert f'href="{url("group", group)}"' not in content


def test_an_unknown_group_or_version_is_not_found(group, member_client):
    assert member_client.get(reverse("tor:group", args=[999_999])).status_code == 404
    assert member_client.get(reverse("tor:version", args=[999_999])).status_code == 404


def test_the_tor_lives_at_the_groups_own_address_and_the_group_page_links_to_it(
    group, staff_client
):
    address = f"/meetings/groups/{group.pk}/tor/"

    assert url("group", group) == address
    assert staff_client.get(address).status_code == 200
    group_page = staff_client.get(reverse("meetings:group_detail", args=[group.pk]))
    assert f'href="{address}"' in group_page.content.decode()


def test_the_dashboard_links_a_revision_due_to_the_tor(group, member_client):
    CrestRecommendationFactory(group=group)
    Group.objects.filter(pk=group.pk).update(tor_revision_due=True)

    content = member_client.get(reverse("dashboard")).content.decode()

    assert "ToR revision due:" in content
    assert f'href="{url("group", group)}"' in content
