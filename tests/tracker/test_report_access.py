"""Who may do what with the quarterly SVRP update.

Every portal role previews it and lists the quarters (an account with no role does
not); only the chair and VRU staff download, finalise and compare it. Members get
403, and nothing changes.
"""

import pytest

from core.quarters import Quarter
from tests.factories import PerformanceMeasureFactory, UserFactory
from tracker.models import QuarterlyReport
from tracker.report import report_finalise

pytestmark = pytest.mark.django_db

Q1 = "/reports/quarterly/2024-25/q1/"
READERS = {"owner": 200, "other_member": 200, "chair": 200, "staff": 200}
REPORTERS = {"owner": 403, "other_member": 403, "chair": 200, "staff": 200}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/reports/quarterly/", READERS),
        (Q1, READERS),
        # Finalising starts with a confirmation page: the chair and staff only.
        (f"{Q1}finalise/", REPORTERS),
        *(
            (f"{Q1}report.{extension}", REPORTERS)
            for extension in ("json", "docx", "pdf", "xlsx", "csv")
        ),
    ],
)
def test_who_may_read_what(persona_clients, working_group, url, expected):
    anonymous = persona_clients["anonymous"].get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for persona, status in expected.items():
        assert persona_clients[persona].get(url).status_code == status, persona


def test_only_the_chair_and_staff_compare_a_finalised_update(persona_clients, working_group):
    report_finalise(group=working_group, quarter=Quarter(2024, 1), by=UserFactory())
    expected = {"owner": 403, "other_member": 403, "chair": 200, "staff": 200}

    assert persona_clients["anonymous"].get(f"{Q1}compare/").status_code == 302
    for persona, status in expected.items():
        assert persona_clients[persona].get(f"{Q1}compare/").status_code == status, persona


@pytest.mark.parametrize("persona", ["owner", "other_member"])
def test_members_cannot_finalise(persona_clients, working_group, persona):
    response = persona_clients[persona].post(f"{Q1}finalise/")

    assert response.status_code == 403
    assert not QuarterlyReport.objects.exists()


def test_anonymous_cannot_finalise(client, working_group):
    response = client.post(f"{Q1}finalise/")

    assert response.status_code == 302
    assert not QuarterlyReport.objects.exists()


def test_an_unknown_format_is_404(persona_clients, working_group):
    for persona in ("owner", "staff"):
        assert persona_clients[persona].get(f"{Q1}report.exe").status_code == 404


def test_a_signed_in_user_with_no_portal_role_sees_no_tracker_or_update(client, working_group):
    measure = PerformanceMeasureFactory(group=working_group)
    client.force_login(UserFactory(email="nobody@example.org"))

    for path in ("/tracker/", "/reports/quarterly/", Q1):
        assert client.get(f"{path}?group={working_group.pk}").status_code == 403, path
    assert client.get(f"/tracker/measures/{measure.pk}/").status_code == 404
