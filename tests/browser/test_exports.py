"""Browser journey: an officer filters the school list and downloads it as a workbook."""

import re

import pandas as pd
from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_an_officer_downloads_the_filtered_school_list_as_xlsx(
    page, live_server, olivia, ashfield, beacon_hill, castle, tmp_path, console_errors
):
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/schools/")
    expect(page.locator("#result-count")).to_contain_text("3 schools")

    page.get_by_label("Phase").select_option("Secondary")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_contain_text("2 schools")
    expect(page.get_by_role("link", name="Download as CSV")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as XLSX").click()
    download = download_info.value
    assert download.failure() is None
    assert re.fullmatch(r"schools-\d{8}-\d{4}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    schools = pd.read_excel(saved, engine="openpyxl")
    assert list(schools["School name"]) == ["Beacon Hill Academy", "Castle Secondary School"]
    assert list(schools["URN"]) == [beacon_hill.urn, castle.urn]
    assert set(schools["Phase"]) == {"Secondary"}
    assert console_errors == []
