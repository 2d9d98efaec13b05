"""The download log: every file the portal serves is logged with who, when and which file; only
administrators read the log, and no one changes it."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accounts import downloads
from accounts.models import Download
from tests.factories import VisitFactory, VisitReportFactory
from tests.roles import assert_sends_to_sign_in, status_by_role

LOG = reverse("audit:downloads")


class TestWhatIsADownload:
    @pytest.mark.parametrize(
        ("status", "header", "expected"),
        [
            (200, 'attachment; filename="schools.csv"', True),
            (200, "Attachment;filename=schools.csv", True),
            (206, 'attachment; filename="schools.csv"', True),
            (200, 'inline; filename="letter.pdf"', False),
            (200, None, False),
            (404, 'attachment; filename="schools.csv"', False),
            (302, 'attachment; filename="schools.csv"', False),
        ],
    )
    def test_only_a_successful_attachment_is_a_download(self, status, header, expected):
        assert downloads.is_download(status, header) is expected

    @pytest.mark.parametrize(
        ("header", "name"),
        [
            ('attachment; filename="schools-20261123-0930.csv"', "schools-20261123-0930.csv"),
            ("attachment; filename=report.pdf", "report.pdf"),
            ('attachment; filename="a \\"quoted\\" name.csv"', 'a "quoted" name.csv'),
            ("attachment; filename=\"St Mary's.pdf\"; filename*=utf-8''St%20Mar%C3%ADa%27s.pdf", "St María's.pdf"),
            ("attachment; filename*=utf-8''Ysgol%20G%C5%B5yr.pdf", "Ysgol Gŵyr.pdf"),
            ("attachment", downloads.UNNAMED),
        ],
    )
    def test_the_file_name_is_read_from_the_header(self, header, name):
        assert downloads.filename_of(header) == name


@pytest.mark.django_db
class TestEveryDownloadIsLogged:
    def test_an_exported_list_is_logged_with_its_filters(self, client, olivia, ashfield):
        client.force_login(olivia)
        response = client.get(reverse("schools:list"), {"q": "Ashfield", "export": "csv"}, REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 200
        download = Download.objects.get()
        assert download.user == olivia
        assert download.filename == response["Content-Disposition"].split('filename="')[1].rstrip('"')
        assert download.filename.endswith(".csv")
        assert download.path.startswith(reverse("schools:list") + "?")
        assert "q=Ashfield" in download.path
        assert "export=csv" in download.path
        assert download.content_type.startswith("text/csv")
        assert download.ip_address == "10.1.2.3"
        assert timezone.now() - download.downloaded_at < timedelta(minutes=1)

    def test_a_visit_report_pdf_is_logged(self, client, olivia, ashfield):
        visit = VisitFactory(school=ashfield)
        VisitReportFactory(visit=visit)
        client.force_login(olivia)
        response = client.get(reverse("support:report-pdf", args=[visit.pk]))
        assert response.status_code == 200, response.content[:300]
        download = Download.objects.get()
        assert download.filename == f"visit-report-{ashfield.urn}-20261110-v1.pdf"
        assert download.content_type == "application/pdf"

    def test_pages_and_refused_downloads_are_not_logged(self, client, olivia, bob, ashfield):
        visit = VisitFactory(school=ashfield)
        VisitReportFactory(visit=visit)
        client.force_login(olivia)
        assert client.get(reverse("schools:list")).status_code == 200
        client.force_login(bob)  # another school's partner
        assert client.get(reverse("support:report-pdf", args=[visit.pk])).status_code == 404
        assert not Download.objects.exists()

    def test_each_download_is_a_new_entry(self, client, olivia, ashfield):
        client.force_login(olivia)
        for _ in range(3):
            client.get(reverse("schools:list"), {"export": "xlsx"})
        assert Download.objects.filter(user=olivia).count() == 3

    def test_the_log_cannot_be_edited_or_deleted_in_the_administration(self):
        assert Download not in admin.site._registry


@pytest.mark.django_db
class TestTheDownloadLogPage:
    def test_only_administrators_may_read_it(self, client, everyone):
        assert status_by_role(client, everyone, LOG) == {
            "olivia": 403,
            "adam": 200,
            "alice": 403,
            "bob": 403,
            "hannah": 403,
            "ezra": 403,
            "bella": 403,
            "colin": 403,
        }

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client):
        assert_sends_to_sign_in(client, LOG)

    def test_lists_who_downloaded_which_file(self, client, adam, olivia, alice, ashfield):
        client.force_login(olivia)
        client.get(reverse("schools:list"), {"export": "csv"})
        client.force_login(adam)
        page = client.get(LOG).content.decode()
        assert "1 download" in page
        assert olivia.full_name in page
        assert Download.objects.get().filename in page
        assert "export=csv" in page

    def test_filters_by_person_and_date(self, client, adam, olivia, alice, ashfield):
        Download.objects.create(user=olivia, path="/schools/?export=csv", filename="olivia.csv")
        Download.objects.create(
            user=alice,
            path="/visits/1/report.pdf",
            filename="alice.pdf",
            downloaded_at=timezone.now() - timedelta(days=10),
        )
        client.force_login(adam)
        by_alice = client.get(LOG, {"person": alice.pk}).content.decode()
        assert "alice.pdf" in by_alice
        assert "olivia.csv" not in by_alice
        today = timezone.localdate()
        recent = client.get(
            LOG, {"downloaded_from_0": today.day, "downloaded_from_1": today.month, "downloaded_from_2": today.year}
        ).content.decode()
        assert "olivia.csv" in recent
        assert "alice.pdf" not in recent

    def test_an_end_before_the_start_is_an_error(self, client, adam):
        client.force_login(adam)
        response = client.get(
            LOG,
            {
                "downloaded_from_0": 2,
                "downloaded_from_1": 9,
                "downloaded_from_2": 2026,
                "downloaded_to_0": 1,
                "downloaded_to_1": 9,
                "downloaded_to_2": 2026,
            },
        )
        page = response.content.decode()
        assert "The end date must be the same as or after the start date" in page
        assert "<title>Error: Download log" in page
