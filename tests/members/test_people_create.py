import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from core.permissions import CHAIR, MEMBER
from members.models import Person
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/members/people/new/"
SITE = "https://portal.example.org"
NEW_PASSWORD = "a-quarterly-password-4-me"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def agency():
    return AgencyFactory(name="Hampshire and Isle of Wight Constabulary")


def _data(agency, **changes):
    return {
        "full_name": "Nia Newcomer",
        "email": "Nia.Newcomer@Police.example.org",
        "job_title": "Press Officer",
        "agency": agency.pk,
        "role": MEMBER,
        "send_invitation": "on",
        **changes,
    }


def _link(message) -> str:
    link = re.search(rf"{re.escape(SITE)}(/accounts/password/reset/key/\S+/)", message.body)
    return link.group(1)


def test_the_form_asks_for_every_detail_with_the_invitation_ticked(staff_client, agency):
    response = staff_client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<title>Add a person – VRP portal</title>" in content
    for label in ("Full name", "Email address", "Job title", "Agency", "Portal role"):
        assert label in content
    assert re.search(r'<input[^>]*name="send_invitation"[^>]*checked', content)
    assert "Send an invitation now" in content
    assert '<option value="Chair">Chair</option>' in content
    assert '<option value="VRU staff">VRU staff</option>' in content


def test_staff_add_a_person_with_an_account_and_an_invitation(staff_client, agency):
    response = staff_client.post(URL, _data(agency, role=CHAIR), follow=True)

    person = Person.objects.get(email="nia.newcomer@police.example.org")
    user = person.user
    assert person.full_name == "Nia Newcomer"
    assert person.job_title == "Press Officer"
    assert person.agency == agency
    assert user.email == "nia.newcomer@police.example.org"
    assert not user.has_usable_password()
    assert user.is_active
    assert list(user.groups.values_list("name", flat=True)) == [CHAIR]
    assert response.redirect_chain[-1][0] == f"/members/people/{person.pk}/"
    assert "Invitation sent to Nia Newcomer." in response.content.decode()
    assert "they have not chosen a password yet" in response.content.decode()


def test_the_invitation_has_a_text_and_an_html_part_with_an_absolute_link(staff_client, agency):
    staff_client.post(URL, _data(agency))

    [message] = mail.outbox
    assert message.to == ["nia.newcomer@police.example.org"]
    assert message.subject == "Your invitation to the VRP portal"
    assert "Dear Nia Newcomer," in message.body
    assert "Staff has invited you" in message.body  # the persona adding her is called Staff
    assert "for 3 days" in message.body
    assert f"{SITE}/accounts/login/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{SITE}{_link(message)}"' in html


def test_the_invitation_link_lets_the_person_choose_a_password_and_sign_in(
    client, staff_client, agency
):
    staff_client.post(URL, _data(agency))
    link = _link(mail.outbox[0])

    to_form = client.get(link)
    assert to_form.status_code == 302
    form = client.get(to_form["Location"])
    assert form.status_code == 200
    assert 'name="password1"' in form.content.decode()
    saved = client.post(to_form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert saved["Location"] == "/accounts/password/reset/key/done/"

    signed_in = client.post(
        "/accounts/login/",
        {"login": "nia.newcomer@police.example.org", "password": NEW_PASSWORD},
    )

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/"
    assert client.get("/").status_code == 200
    assert get_user_model().objects.get(email="nia.newcomer@police.example.org").last_login


def test_the_invitation_link_works_only_once(client, staff_client, agency):
    staff_client.post(URL, _data(agency))
    link = _link(mail.outbox[0])
    set_password = client.get(link)["Location"]
    client.post(set_password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "This link has expired or has been used already." in again.content.decode()


def test_staff_can_add_a_person_without_inviting_them_yet(staff_client, agency):
    data = _data(agency)
    del data["send_invitation"]

    response = staff_client.post(URL, data, follow=True)

    person = Person.objects.get(email="nia.newcomer@police.example.org")
    assert person.user is not None
    assert mail.outbox == []
    assert "Nia Newcomer added. No invitation has been sent yet" in response.content.decode()


@pytest.mark.parametrize("taken", ["owner@example.org", "OWNER@Example.org"])
def test_an_email_in_use_is_refused_by_the_field_and_nothing_is_lost(
    staff_client, member_user, agency, taken
):
    people, users = Person.objects.count(), get_user_model().objects.count()

    response = staff_client.post(URL, _data(agency, email=taken))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone in the portal already has this email address." in content
    assert 'aria-invalid="true"' in content
    assert 'value="Nia Newcomer"' in content
    assert 'value="Press Officer"' in content
    assert (Person.objects.count(), get_user_model().objects.count()) == (people, users)
    assert mail.outbox == []


def test_an_email_used_by_an_account_without_a_person_is_refused(staff_client, agency):
    UserFactory(email="nia.newcomer@police.example.org")

    response = staff_client.post(URL, _data(agency))

    assert "A sign-in account already uses this email address." in response.content.decode()
    assert not Person.objects.filter(full_name="Nia Newcomer").exists()


def test_missing_details_are_asked_for_by_their_fields(staff_client, agency):
    people = Person.objects.count()

    response = staff_client.post(URL, {"job_title": "Press Officer", "role": MEMBER})

    content = response.content.decode()
    # Name, email and agency: each by its field, and again in the summary, linked to it.
    assert content.count("This field is required.") == 6
    for field in ("full_name", "email", "agency"):
        assert f'href="#id_{field}"' in content
    assert 'value="Press Officer"' in content
    assert Person.objects.count() == people


def test_a_role_that_does_not_exist_is_refused(staff_client, agency):
    response = staff_client.post(URL, _data(agency, role="Superuser"))

    assert "Select a valid choice" in response.content.decode()
    assert not Person.objects.filter(full_name="Nia Newcomer").exists()


def test_a_failing_mail_server_keeps_the_person_and_says_so_without_logging_their_email(
    staff_client, agency, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("nia.newcomer@police.example.org refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)

    response = staff_client.post(URL, _data(agency), follow=True)

    assert Person.objects.filter(email="nia.newcomer@police.example.org").exists()
    assert "could not be sent" in response.content.decode()
    assert "Send the invitation again" in response.content.decode()
    assert caplog.records
    assert "nia" not in caplog.text.lower()
    assert "Newcomer" not in caplog.text


def test_an_existing_person_is_not_affected_by_adding_another(staff_client, agency):
    other = PersonFactory(email="other.person@example.org")

    staff_client.post(URL, _data(agency))

    other.refresh_from_db()
    assert other.user is None
