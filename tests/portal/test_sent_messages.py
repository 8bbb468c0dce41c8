"""core: one record of a sent message (SentMessage) and one way to build an email
(templated_email), shared by every email the portal sends."""

import datetime as dt

import pytest
from django.apps import apps
from django.test import override_settings

from actions.models import ActionNoteSend
from core.emails import templated_email
from core.models import SentMessage
from meetings.models import InvitationSend
from tests.factories import MeetingFactory, london
from tracker.models import ReportSend, TorSend

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "note_subject.txt": (
                            "{% autoescape off %}A note\n  for {{ name }}\n{% endautoescape %}"
                        ),
                        "note.txt": (
                            "{% autoescape off %}Dear {{ name }},\nsee the note.\x0b"
                            "{% endautoescape %}"
                        ),
                        "note.html": "<p>Dear {{ name }}, see the note.</p>",
                    },
                )
            ]
        },
    }
]


@override_settings(TEMPLATES=TEMPLATES)
def test_an_email_has_its_subject_on_one_line_its_text_and_html_and_attachments():
    message = templated_email(
        "note",
        {"name": "Łucja <Wójcik>"},
        to="lucja@example.org",
        attachments=[("note.pdf", b"%PDF-", "application/pdf")],
    )

    assert message.subject == "A note for Łucja <Wójcik>"
    assert message.to == ["lucja@example.org"]
    assert message.body == "Dear Łucja <Wójcik>,\nsee the note."
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert html == "<p>Dear Łucja &lt;Wójcik&gt;, see the note.</p>"
    assert message.attachments == [("note.pdf", b"%PDF-", "application/pdf")]


@override_settings(TEMPLATES=TEMPLATES, DEFAULT_FROM_EMAIL="vrp@example.org")
def test_a_text_only_email_has_no_html_and_comes_from_the_portal():
    message = templated_email("note", {"name": "Ann"}, to="ann@example.org", html=False)

    assert message.alternatives == []
    assert message.from_email == "vrp@example.org"
    assert "Content-Type: text/plain" in message.message().as_string()


def test_every_sent_message_record_is_one_shape():
    sent = {model for model in apps.get_models() if issubclass(model, SentMessage)}

    assert sent == {ReportSend, InvitationSend, ActionNoteSend, TorSend}
    for model in sent:
        assert model._meta.ordering == ["-sent_at", "-pk"]
        assert model._meta.get_field("sent_by").remote_field.related_name == "+"
        assert hasattr(model, "history"), model


@pytest.mark.django_db
def test_sends_list_newest_first_and_keep_their_history(clock, staff_user):
    clock.move_to(london(2024, 5, 14, 9))
    meeting = MeetingFactory(starts_at=london(2024, 6, 1))
    older = InvitationSend.objects.create(
        meeting=meeting,
        kind=InvitationSend.Kind.INVITATION,
        sequence=0,
        recipients=["ann@example.org"],
        sent_by=staff_user,
        sent_at=london(2024, 5, 14, 9) - dt.timedelta(days=1),
    )
    newer = InvitationSend.objects.create(
        meeting=meeting,
        kind=InvitationSend.Kind.UPDATE,
        sequence=1,
        recipients=["ann@example.org"],
        sent_by=staff_user,
    )

    assert list(meeting.invitation_sends.all()) == [newer, older]
    assert newer.sent_at.date() == dt.date(2024, 5, 14)
    assert [row.kind for row in newer.history.all()] == ["update"]
