import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as Role
from django.core import mail

from core.permissions import CHAIR, MEMBER, VRU_STAFF
from members.models import Person
from tests.factories import PASSWORD, AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(person) -> str:
    return f"/members/people/{person.pk}/edit/"


def _data(person, **changes):
    return {
        "full_name": person.full_name,
        "email": person.email,
        "job_title": person.job_title,
        "agency": person.agency_id,
        "role": MEMBER,
        # The edit page as opened now carries the person's current version.
        "version": Person.objects.values_list("version", flat=True).get(pk=person.pk),
        **changes,
    }


def _roles(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def test_the_form_is_filled_with_the_persons_details_and_role(staff_client, member_user):
    person = member_user.person

    response = staff_client.get(_url(person))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<title>Edit Owner – VRP portal</title>" in content
    assert 'value="owner@example.org"' in content
    assert '<option value="Member" selected>Member</option>' in content


def test_staff_change_the_details_and_the_role(client, staff_client, member_user):
    person = member_user.person
    agency = AgencyFactory(name="Isle of Wight Council")

    response = staff_client.post(
        _url(person),
        _data(
            person,
            full_name="Olive Owner",
            job_title="Head of Communications",
            agency=agency.pk,
            role=CHAIR,
        ),
        follow=True,
    )

    person.refresh_from_db()
    assert response.redirect_chain[-1][0] == f"/members/people/{person.pk}/"
    assert "Changes to Olive Owner saved." in response.content.decode()
    assert (person.full_name, person.email, person.job_title, person.agency) == (
        "Olive Owner",
        "owner@example.org",
        "Head of Communications",
        agency,
    )
    assert _roles(member_user) == [CHAIR]
    assert client.login(username="owner@example.org", password=PASSWORD)


@pytest.fixture
def colleague(db):
    """Another member of VRU staff."""
    user = UserFactory(email="colleague@example.org", roles=[VRU_STAFF])
    PersonFactory(full_name="Colleague", email=user.email, user=user)
    return user


@pytest.mark.parametrize("holder", ["chair_user", "colleague"])
def test_staff_cannot_change_the_email_or_role_of_vru_staff_or_the_chair(
    request, staff_client, holder
):
    """Whoever could change them could take the account over: only a superuser may."""
    target = request.getfixturevalue(holder)
    person = target.person
    roles = _roles(target)

    page = staff_client.get(_url(person)).content.decode()
    response = staff_client.post(
        _url(person), _data(person, email="mine@example.org", role=MEMBER, job_title="Lead")
    )

    assert "Only a superuser can change this" in page
    assert response.status_code == 302
    person.refresh_from_db()
    target.refresh_from_db()
    assert person.email == target.email != "mine@example.org"
    assert person.job_title == "Lead"
    assert _roles(target) == roles
    assert mail.outbox == []


def test_other_groups_of_the_account_stay_when_the_role_changes(staff_client, member_user):
    member_user.groups.add(Role.objects.create(name="Newsletter editors"))

    staff_client.post(_url(member_user.person), _data(member_user.person, role=VRU_STAFF))

    assert _roles(member_user) == ["Newsletter editors", VRU_STAFF]


def test_saving_without_changes_says_nothing_was_changed(staff_client, member_user):
    response = staff_client.post(_url(member_user.person), _data(member_user.person), follow=True)

    assert "Nothing was changed." in response.content.decode()


def test_an_email_in_use_is_refused_by_the_field_and_nothing_is_saved(
    staff_client, member_user, other_member_user
):
    person = member_user.person

    response = staff_client.post(
        _url(person), _data(person, full_name="Typed Name", email="OTHER@example.org")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone in the portal already has this email address." in content
    assert 'value="Typed Name"' in content
    assert "<h1>Edit Owner</h1>" in content
    person.refresh_from_db()
    assert (person.full_name, person.email) == ("Owner", "owner@example.org")


def test_a_person_may_keep_their_own_email_in_another_case(staff_client, member_user):
    person = member_user.person

    staff_client.post(_url(person), _data(person, email="Owner@Example.org", job_title="Lead"))

    person.refresh_from_db()
    assert (person.email, person.job_title) == ("owner@example.org", "Lead")


def test_staff_cannot_remove_their_own_staff_role(staff_client, staff_user):
    person = staff_user.person

    staff_client.post(_url(person), _data(person, role=MEMBER, job_title="Changed"))

    assert _roles(staff_user) == [VRU_STAFF]


def test_a_person_without_an_account_has_no_role_to_edit(staff_client):
    person = PersonFactory(full_name="Noel Noaccount")

    form = staff_client.get(_url(person))
    response = staff_client.post(_url(person), _data(person, job_title="Analyst"), follow=True)

    assert 'name="role"' not in form.content.decode()
    assert "has no sign-in account yet" in form.content.decode()
    person.refresh_from_db()
    assert person.job_title == "Analyst"
    assert person.user is None
    assert "Changes to Noel Noaccount saved." in response.content.decode()
    assert not get_user_model().objects.filter(email=person.email).exists()


def test_missing_details_are_asked_for_by_their_fields(staff_client, member_user):
    person = member_user.person

    response = staff_client.post(_url(person), _data(person, full_name="", agency=""))

    content = response.content.decode()
    # Name and agency: each by its field, and again in the summary, linked to it.
    assert content.count("This field is required.") == 4
    for field in ("full_name", "agency"):
        assert f'href="#id_{field}"' in content
    assert Person.objects.get(pk=person.pk).full_name == "Owner"


@pytest.fixture
def administrator(db):
    """A superuser who is also a person in the portal."""
    user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    return PersonFactory(full_name="Root Admin", email="root@example.org", user=user)


def test_staff_cannot_change_an_administrators_email_to_take_the_account_over(
    staff_client, administrator
):
    response = staff_client.post(
        _url(administrator), _data(administrator, email="mine@example.org", role=VRU_STAFF)
    )

    assert response.status_code == 403
    assert staff_client.get(_url(administrator)).status_code == 403
    administrator.refresh_from_db()
    administrator.user.refresh_from_db()
    assert administrator.email == administrator.user.email == "root@example.org"


def test_staff_see_no_change_buttons_on_an_administrators_page(staff_client, administrator):
    content = staff_client.get(f"/members/people/{administrator.pk}/").content.decode()

    assert f"/members/people/{administrator.pk}/edit/" not in content
    assert "deactivate/" not in content
    assert "a superuser changes their account, in the admin" in content


def test_a_superuser_may_change_an_administrator(client, administrator):
    client.force_login(UserFactory(email="other.root@example.org", is_superuser=True))

    response = client.post(
        _url(administrator), _data(administrator, job_title="Systems", role=VRU_STAFF)
    )

    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.job_title == "Systems"
