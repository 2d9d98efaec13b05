"""Notifications: made once per event and person, emailed once however often the task runs
(through GOV.UK Notify, a stub on loopback here, or Django's email backend), retried while the
email service is unreachable; the notifications pages, each person's own."""

from __future__ import annotations

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import email, notifications
from accounts.models import Membership, Notification
from accounts.tasks import send_notification_email
from tests.factories import AuthorityFactory, UserFactory
from tests.roles import assert_each_page_by_role

Kind = Notification.Kind
TEMPLATE = str(uuid.uuid4())
FAKE_KEY = f"portal_test-{uuid.uuid4()}-{uuid.uuid4()}"


class NotifyStub:
    """A tiny GOV.UK Notify on 127.0.0.1: records each POST /v2/notifications/email and answers
    201 as Notify does (or ``status`` when a test sets it)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path == "/v2/notifications/email":
                    stub.requests.append({"body": body, "authorization": self.headers.get("Authorization", "")})
                status = stub.status if self.path == "/v2/notifications/email" else 404
                answer = {
                    "id": str(uuid.uuid4()),
                    "reference": body.get("reference"),
                    "content": {"subject": "A notification", "body": "…", "from_email": "portal@notify.example"},
                    "uri": f"http://127.0.0.1/v2/notifications/{uuid.uuid4()}",
                    "template": {"id": body.get("template_id"), "version": 1, "uri": "http://127.0.0.1/template"},
                }
                if status >= 400:
                    answer = {"status_code": status, "errors": [{"error": "Error", "message": "Try again"}]}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def notify_stub(settings):
    with NotifyStub() as stub:
        settings.NOTIFY_API_KEY = FAKE_KEY
        settings.NOTIFY_BASE_URL = stub.url
        settings.NOTIFY_TEMPLATE_ID = TEMPLATE
        settings.NOTIFY_TEMPLATE_IDS = {}
        yield stub


def shared(people, key="report-shared:1", kind=Kind.REPORT_SHARED):
    return notifications.notify(people, kind=kind, key=key, title="A visit report is shared", url="/visits/1/")


# Once per event -----------------------------------------------------------------------------------------------


def test_an_event_notified_twice_and_sent_twice_goes_to_notify_once(
    notify_stub, hannah, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = shared([hannah])
    with django_capture_on_commit_callbacks(execute=True):
        again = shared([hannah])
    assert (len(made), again) == (1, [])
    send_notification_email.apply(args=[made[0].pk])  # the task delivered twice more
    send_notification_email.apply(args=[made[0].pk])
    assert len(notify_stub.requests) == 1
    sent = notify_stub.requests[0]["body"]
    assert sent["template_id"] == TEMPLATE
    assert sent["email_address"] == hannah.email
    assert sent["reference"] == f"notification-{made[0].pk}"
    assert sent["personalisation"]["title"] == "A visit report is shared"
    assert sent["personalisation"]["link"].endswith(reverse("accounts:notification", args=[made[0].pk]))
    assert notify_stub.requests[0]["authorization"].startswith("Bearer ")
    assert Notification.objects.get().emailed_at is not None
    assert mail.outbox == []


def test_a_template_per_kind_is_used_when_given(notify_stub, settings, hannah, django_capture_on_commit_callbacks):
    settings.NOTIFY_TEMPLATE_IDS = {Kind.REPORT_SHARED: "11111111-2222-3333-4444-555555555555"}
    with django_capture_on_commit_callbacks(execute=True):
        shared([hannah])
    assert notify_stub.requests[0]["body"]["template_id"] == "11111111-2222-3333-4444-555555555555"


def test_without_a_notify_key_the_email_backend_sends_it_once(hannah, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = shared([hannah, hannah.pk])
        shared([hannah])
    send_notification_email.apply(args=[made[0].pk])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [hannah.email]
    assert mail.outbox[0].subject == "A visit report is shared"
    assert reverse("accounts:notification", args=[made[0].pk]) in mail.outbox[0].body


def test_nothing_is_sent_before_the_transaction_commits(hannah, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        shared([hannah])
    assert (len(queued), mail.outbox) == (1, [])


def test_each_person_is_told_once_and_people_already_told_are_left_alone(hannah, alice, olivia):
    assert len(shared([hannah])) == 1
    made = shared([hannah, alice, olivia])
    assert {n.recipient for n in made} == {alice, olivia}
    assert Notification.objects.count() == 3
    assert Notification.objects.filter(recipient=hannah).count() == 1


def test_inactive_people_are_not_told(hannah):
    hannah.is_active = False
    hannah.save()
    assert shared([hannah]) == []


def test_a_kind_the_person_does_not_want_by_email_is_only_in_the_portal(hannah, django_capture_on_commit_callbacks):
    notifications.set_email_choices(user=hannah, kinds=[Kind.PLAN_AGREED])
    with django_capture_on_commit_callbacks(execute=True):
        shared([hannah])
        notifications.notify([hannah], kind=Kind.PLAN_AGREED, key="plan-agreed:1:2", title="Plan agreed", url="/")
    assert [m.subject for m in mail.outbox] == ["Plan agreed"]
    assert notifications.unread_count(hannah) == 2


# The task: retried while the service is unreachable, never twice ----------------------------------------------


@pytest.fixture
def retried_inline(monkeypatch):
    """Run inline, a retried task runs again at once (Celery re-applies it) instead of raising."""
    monkeypatch.setitem(send_notification_email.app.conf, "task_eager_propagates", False)


def test_the_task_is_retried_after_a_connection_failure_and_sends_once(hannah, monkeypatch, retried_inline):
    made = shared([hannah])[0]
    attempts = []
    real = email.send

    def flaky(notification):
        attempts.append(notification.pk)
        if len(attempts) < 3:
            raise email.SendingFailed("Connection refused")
        real(notification)

    monkeypatch.setattr(email, "send", flaky)
    assert send_notification_email.apply(args=[made.pk]).get() is True
    assert (len(attempts), len(mail.outbox)) == (3, 1)
    assert send_notification_email.apply(args=[made.pk]).get() is False
    assert len(attempts) == 3


def test_the_task_gives_up_after_five_retries(hannah, monkeypatch, retried_inline):
    made = shared([hannah])[0]
    attempts = []

    def down(notification):
        attempts.append(1)
        raise email.SendingFailed("Connection refused")

    monkeypatch.setattr(email, "send", down)
    with pytest.raises(email.SendingFailed):
        send_notification_email.apply(args=[made.pk]).get()
    assert len(attempts) == 6
    made.refresh_from_db()
    assert made.emailed_at is None


def test_notify_being_unavailable_is_retried_and_a_refusal_is_not(notify_stub, hannah):
    made = shared([hannah])[0]
    notify_stub.status = 500
    with pytest.raises(email.SendingFailed):
        email.deliver(made.pk)
    notify_stub.status = 400
    assert email.deliver(made.pk) is False  # refused for good: logged, not retried
    notify_stub.status = 201
    assert email.deliver(made.pk) is True
    assert len(notify_stub.requests) == 3


def test_an_unreachable_notify_is_worth_trying_again(settings, hannah):
    settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID = FAKE_KEY, TEMPLATE
    settings.NOTIFY_BASE_URL = "http://127.0.0.1:9"  # the discard port: nothing listens
    made = shared([hannah])[0]
    with pytest.raises(email.SendingFailed):
        email.deliver(made.pk)


# Reading and marking ------------------------------------------------------------------------------------------


def test_unread_count_and_marking_read(hannah, alice):
    first = shared([hannah], key="a")[0]
    shared([hannah], key="b")
    shared([alice], key="c")
    assert notifications.unread_count(hannah) == 2
    assert notifications.mark_read(alice, [first.pk]) == 0  # another person's: untouched
    assert notifications.mark_read(hannah, [first.pk]) == 1
    assert notifications.unread_count(hannah) == 1
    assert notifications.mark_read(hannah) == 1
    assert notifications.unread_count(hannah) == 0


def test_notifications_of_an_authority_the_person_no_longer_works_for_are_not_shown(hannah):
    elsewhere = AuthorityFactory(name="Elsewhere Council")
    shared([hannah], key="here")
    shared([hannah], key="there", kind=Kind.DEADLINE_NEAR)
    Notification.objects.filter(key="there").update(authority=elsewhere)
    assert [n.key for n in notifications.for_user(hannah)] == ["here"]
    assert notifications.unread_count(hannah) == 1


# The pages ----------------------------------------------------------------------------------------------------


def test_each_role_reads_its_own_notifications(client, everyone):
    mine = {who: shared([person], key=f"for-{who}")[0] for who, person in everyone.items()}
    everyone_200 = dict.fromkeys(everyone, 200)
    pages = {
        "list": (reverse("accounts:notifications"), everyone_200),
        "settings": (reverse("accounts:notification-settings"), everyone_200),
    }
    assert_each_page_by_role(client, everyone, pages, ["list", "settings"])
    for who, person in everyone.items():
        client.force_login(person)
        other = mine["olivia" if who != "olivia" else "alice"]
        assert client.get(reverse("accounts:notification", args=[other.pk])).status_code == 404, who
        response = client.get(reverse("accounts:notification", args=[mine[who].pk]))
        assert (response.status_code, response["Location"]) == (302, "/visits/1/"), who


def test_the_list_shows_new_ones_and_opening_one_marks_it_read(client, alice, django_assert_max_num_queries):
    for n in range(30):
        notifications.notify([alice], kind=Kind.REPORT_RESPONSE, key=f"r{n}", title=f"Response {n}", url="/")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:notifications"))
    html = response.content.decode()
    assert 'Notifications (30<span class="govuk-visually-hidden"> unread</span>)' in html
    assert html.count("govuk-tag--blue") == 25
    assert "Response 29" in html
    assert "Response 4" not in html
    assert "govuk-pagination" in html
    newest = Notification.objects.get(key="r29")
    client.get(reverse("accounts:notification", args=[newest.pk]))
    assert notifications.unread_count(alice) == 29
    response = client.post(reverse("accounts:notifications"), follow=True)
    assert "29 notifications marked as read" in response.content.decode()
    assert "Notifications (" not in response.content.decode()
    assert notifications.unread_count(alice) == 0


def test_the_header_counts_with_one_query(client, alice):
    shared([alice])
    client.force_login(alice)
    home = reverse("accounts:account")
    client.get(home)
    with CaptureQueriesContext(connection) as ctx:
        client.get(home)
    counts = [q["sql"] for q in ctx.captured_queries if "accounts_notification" in q["sql"]]
    assert len(counts) == 1


def test_choosing_which_kinds_come_by_email(client, hannah):
    client.force_login(hannah)
    page = client.get(reverse("accounts:notification-settings")).content.decode()
    assert len(re.findall(r'name="kinds"[^>]* checked', page)) == len(Kind.values)  # every kind by email at first
    response = client.post(
        reverse("accounts:notification-settings"), {"kinds": [Kind.REPORT_SHARED, Kind.DEADLINE_NEAR]}
    )
    assert response.status_code == 302
    hannah.refresh_from_db()
    assert notifications.emailed_kinds(hannah) == [Kind.REPORT_SHARED, Kind.DEADLINE_NEAR]
    assert set(hannah.notification_emails_off) == set(Kind.values) - {Kind.REPORT_SHARED, Kind.DEADLINE_NEAR}
    response = client.post(reverse("accounts:notification-settings"), {"kinds": ["not-a-kind"]})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_opening_a_notification_of_another_authority_works_in_it(client, alice):
    elsewhere = AuthorityFactory(name="Elsewhere Council")
    Membership.objects.create(user=alice, authority=elsewhere, role=alice.role)
    made = shared([alice], key="elsewhere")[0]
    Notification.objects.filter(pk=made.pk).update(authority=elsewhere)
    client.force_login(alice)
    client.get(reverse("accounts:notification", args=[made.pk]))
    alice.refresh_from_db()
    assert alice.authority == elsewhere


def test_a_person_without_notifications_is_told_so(client, db):
    person = UserFactory()
    client.force_login(person)
    assert "You have no notifications." in client.get(reverse("accounts:notifications")).content.decode()
