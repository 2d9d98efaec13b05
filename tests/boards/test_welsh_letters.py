"""Letters in Welsh and bilingually for authorities in Wales (issue 21): the shipped Welsh
templates, the letter's language, its PDF in Welsh and in both languages (Welsh first), the language
switch of the headteacher's pages, and an authority in England left as it was."""

from __future__ import annotations

import gettext
import importlib
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.authorities import across_authorities, working_in
from accounts.models import Authority, Role, SchoolAssignment
from boards import services
from boards.merge import name_the_chair
from boards.models import Decision, Letter, LetterKind, LetterLanguage, LetterTemplate, PriorityEntry
from core.calendar import academic_year_label
from tests.factories import (
    AuthorityFactory,
    GovernanceContactFactory,
    LocalAuthorityFactory,
    SchoolAssignmentFactory,
    SchoolFactory,
    UserFactory,
)
from tests.pdfs import pdf_text
from tests.roles import NOT_OFFICERS, assert_sends_to_sign_in

pytestmark = pytest.mark.django_db

WELSH_TEMPLATES = importlib.import_module("boards.migrations.0008_welsh_letter_templates")
DEADLINES = importlib.import_module("boards.migrations.0011_letter_deadlines")
RATIONALE = "Reading outcomes at key stage 2 have fallen for two years running"
DATED = date(2026, 12, 4)


@pytest.fixture
def wales(db):
    """Central South Consortium (the demo's authority in Wales) with an officer, a Cardiff primary
    school and its headteacher."""
    cardiff = LocalAuthorityFactory(code=681, name="Cardiff")
    authority = AuthorityFactory(name="Central South Consortium", nation=Authority.Nation.WALES, la_codes=[681])
    school = SchoolFactory(
        urn=401234,
        name="Ysgol Gynradd Hamadryad",
        la=cardiff,
        type_name="Welsh establishment",
        type_group_name="Welsh schools",
        establishment_number=2332,
        head_title="",
        head_first_name="Siân",
        head_last_name="Jones",
    )
    with working_in(authority):
        officer = UserFactory(email="gwen@csc.example", full_name="Gwen Officer", role=Role.LA_OFFICER)
        head = UserFactory(email="sian@hamadryad.example", full_name="Siân Jones", role=Role.HEADTEACHER)
        SchoolAssignmentFactory(user=head, school=school, relationship=SchoolAssignment.Relationship.HEADTEACHER)
    return SimpleNamespace(authority=authority, school=school, officer=officer, head=head)


def _letter(wales, language: str | None, **kwargs) -> Letter:
    with working_in(wales.authority):
        decision = Decision.objects.filter(school=wales.school).first() or services.decide(
            school=wales.school,
            kind=Decision.Kind.ADD,
            rationale=RATIONALE,
            by=wales.officer,
            reason=PriorityEntry.Reason.OFSTED_RI,
        )
        return services.draft_letter(
            school=wales.school,
            kind=LetterKind.PRIORITY,
            by=wales.officer,
            decision=decision,
            dated=DATED,
            language=language,
            **kwargs,
        )


def _pdf(client, user, letter: Letter) -> str:
    client.force_login(user)
    response = client.get(reverse("boards:letter-pdf", args=[letter.pk]))
    assert response.status_code == 200
    return pdf_text(io.BytesIO(response.content))


# The shipped templates --------------------------------------------------------------------------------------


def test_a_new_authority_in_wales_gets_the_welsh_wording_and_one_in_england_none(wales):
    with working_in(wales.authority):
        welsh = {t.kind: t for t in LetterTemplate.objects.all()}
    assert set(welsh) == set(LetterKind.values)
    assert all(t.has_welsh for t in welsh.values())
    assert welsh[LetterKind.PRIORITY].body_cy.startswith("Annwyl {headteacher}")
    # The default authority of the tests is in England: its templates have no Welsh.
    assert not LetterTemplate.objects.exclude(subject_cy="").exists()


def test_the_migration_gives_authorities_in_wales_welsh_wording_and_keeps_an_officers(wales):
    with working_in(wales.authority):
        LetterTemplate.objects.filter(kind=LetterKind.CONCERN).update(subject_cy="", body_cy="")
        LetterTemplate.objects.filter(kind=LetterKind.PRIORITY).update(subject_cy="Ein pwnc", body_cy="Ein llythyr")
    with across_authorities():  # as the migration runs: in no authority's scope
        WELSH_TEMPLATES.create(apps, None)
    with working_in(wales.authority):
        assert LetterTemplate.objects.get(kind=LetterKind.CONCERN).subject_cy == "{school_name}: llythyr pryder"
        assert LetterTemplate.objects.get(kind=LetterKind.PRIORITY).body_cy == "Ein llythyr"
    assert not LetterTemplate.objects.exclude(subject_cy="").exists()  # England's, untouched


def test_the_letter_deadlines_migration_changes_the_shipped_sentence_and_keeps_an_officers_words(wales):
    shipped = importlib.import_module("boards.migrations.0002_letter_templates").TEMPLATES["priority"][1]
    with working_in(wales.authority):
        LetterTemplate.objects.filter(kind=LetterKind.PRIORITY).update(body=shipped, body_cy="Ein llythyr")
    LetterTemplate.objects.filter(kind=LetterKind.PRIORITY).update(body="Our own words, by October half-term.")
    with across_authorities():  # as the migration runs: in no authority's scope
        DEADLINES.create(apps, None)
    with working_in(wales.authority):
        template = LetterTemplate.objects.get(kind=LetterKind.PRIORITY)
    assert "to agree an action plan by {plan_due}." in template.body
    assert "October half-term" not in template.body
    assert template.body_cy == "Ein llythyr"
    assert LetterTemplate.objects.get(kind=LetterKind.PRIORITY).body == "Our own words, by October half-term."


# Writing a letter --------------------------------------------------------------------------------------------


def test_a_welsh_letter_is_merged_with_welsh_values_and_frozen_beside_the_english(wales):
    letter = _letter(wales, LetterLanguage.WELSH)
    assert letter.language == LetterLanguage.WELSH
    year = academic_year_label(letter.academic_year)
    assert (
        letter.subject_cy == f"Ysgol Gynradd Hamadryad: ysgol â blaenoriaeth ar gyfer cymorth gwella ysgolion yn {year}"
    )
    assert "Annwyl Siân Jones a chadeirydd y llywodraethwyr" in letter.body_cy
    assert "Y rheswm: Ofsted: angen gwella, neu faes sydd angen sylw mewn cerdyn adrodd" in letter.body_cy
    assert "Eich partner blaenoriaeth enwebedig yw i'w gadarnhau" in letter.body_cy
    # Dated 4 December: the plan is asked for by the end of Spring 1, in Welsh and in English alike.
    assert "i gytuno ar gynllun gweithredu erbyn 12 Chwefror 2027." in letter.body_cy
    assert letter.recipients.splitlines()[1] == "Cadeirydd y llywodraethwyr, Ysgol Gynradd Hamadryad"
    # Frozen: a later change to the template leaves the letter as written.
    with working_in(wales.authority):
        LetterTemplate.objects.filter(kind=LetterKind.PRIORITY).update(body_cy="Newydd")
        letter.refresh_from_db()
    assert letter.body_cy.startswith("Annwyl")


def test_a_welsh_letter_names_the_chair_in_welsh(wales):
    with working_in(wales.authority):
        GovernanceContactFactory(school=wales.school, name="Mr D Evans")
    letter = _letter(wales, LetterLanguage.BILINGUAL)
    assert letter.recipients.splitlines()[1] == "Mr D Evans, chair of governors, Ysgol Gynradd Hamadryad"
    # Greeted by name in Welsh as in English.
    assert letter.body_cy.startswith("Annwyl Siân Jones a Mr D Evans, cadeirydd y llywodraethwyr,\n")
    assert letter.body.startswith("Dear Siân Jones and Mr D Evans, chair of governors,\n")
    with working_in(wales.authority):
        letter = services.rewrite_letter(letter=letter, language=LetterLanguage.WELSH, by=wales.officer)
    assert letter.recipients.splitlines()[1] == "Mr D Evans, cadeirydd y llywodraethwyr, Ysgol Gynradd Hamadryad"


def test_welsh_writes_ac_before_a_chair_whose_name_starts_with_a_vowel():
    salutation = "Annwyl {headteacher} a chadeirydd y llywodraethwyr,\n"
    assert name_the_chair(salutation, "Alun Rees", welsh=True) == (
        "Annwyl {headteacher} ac {chair}, cadeirydd y llywodraethwyr,\n"
    )
    assert name_the_chair(salutation, "", welsh=True) == salutation


def test_a_welsh_authoritys_letters_are_bilingual_unless_the_officer_chooses(wales):
    assert _letter(wales, None).language == LetterLanguage.BILINGUAL
    with working_in(wales.authority):
        LetterTemplate.objects.filter(kind=LetterKind.PRIORITY).update(subject_cy="", body_cy="")
    # Without Welsh wording, a board's decision still writes its letter, in English...
    assert _letter(wales, None).language == LetterLanguage.ENGLISH
    # ...and an officer asking for Welsh is told why not.
    with pytest.raises(ValidationError, match="no Welsh wording yet"):
        _letter(wales, LetterLanguage.BILINGUAL)


def test_welsh_letter_in_welsh_renders_a_pdf_in_welsh(client, wales):
    letter = _letter(wales, LetterLanguage.WELSH)
    text = _pdf(client, wales.officer, letter)
    assert "Annwyl Siân Jones a chadeirydd y llywodraethwyr" in text
    assert "Tîm gwella ysgolion" in text  # the letterhead's furniture
    assert "4 Rhagfyr 2026" in text  # the date, with the Welsh month
    assert "Yn gywir" in text
    assert "Tudalen 1 o 1" in text
    assert "Dear" not in text
    assert "Yours sincerely" not in text
    assert "School improvement team" not in text


def test_a_bilingual_letter_renders_one_pdf_welsh_first_then_english(client, wales):
    letter = _letter(wales, LetterLanguage.BILINGUAL)
    assert letter.body.startswith("Dear Siân Jones")
    assert letter.body_cy.startswith("Annwyl Siân Jones")
    text = _pdf(client, wales.officer, letter)
    welsh = [text.index(s) for s in ("Tîm gwella ysgolion", "4 Rhagfyr 2026", "Annwyl", "Yn gywir", "Tudalen 1 o 2")]
    english = [text.index(s) for s in ("School improvement team", "4 December 2026", "Dear", "Yours sincerely")]
    assert welsh == sorted(welsh)
    assert english == sorted(english)
    assert max(welsh) < min(english)
    assert f"The advisory board's rationale: {RATIONALE}" in text
    assert f"Rhesymeg y bwrdd ymgynghorol: {RATIONALE}" in text


def test_the_headteacher_reads_a_sent_bilingual_letter_on_its_page(client, wales):
    letter = _letter(wales, LetterLanguage.BILINGUAL)
    with working_in(wales.authority):
        services.mark_sent(letter=letter, by=wales.officer, sent_on=DATED, recipients=letter.recipients)
    client.force_login(wales.head)
    page = client.get(reverse("boards:letter", args=[letter.pk])).content.decode()
    assert page.index('id="letter-cy"') < page.index('id="letter-en-gb"')
    assert "Annwyl Siân Jones" in page
    assert "Dear Siân Jones" in page


# The officer's pages ------------------------------------------------------------------------------------------


def test_a_welsh_authoritys_officer_chooses_the_language_of_the_annual_letters(client, wales):
    client.force_login(wales.officer)
    url = reverse("boards:annual-letters")
    form = client.get(url).context["form"]
    assert form.fields["language"].choices == LetterLanguage.choices
    assert form.initial["language"] == LetterLanguage.BILINGUAL
    response = client.post(url, {"la": wales.school.la_id, "year": 2026, "language": LetterLanguage.WELSH})
    assert response.status_code == 302
    with working_in(wales.authority):
        letter = Letter.objects.get(school=wales.school)
    assert (letter.kind, letter.language) == (LetterKind.NOT_PRIORITY, LetterLanguage.WELSH)
    assert "nid yw Ysgol Gynradd Hamadryad (URN 401234) yn flaenoriaeth" in letter.body_cy


def test_a_welsh_authoritys_officer_changes_the_welsh_wording(client, wales):
    client.force_login(wales.officer)
    url = reverse("boards:edit-template", args=[LetterKind.CONCERN])
    assert client.get(url).context["form"].initial["subject_cy"] == "{school_name}: llythyr pryder"
    data = {"subject": "{school_name}: concern", "body": "Dear {headteacher}", "subject_cy": "{school_name}: pryder"}
    response = client.post(url, {**data, "body_cy": ""})
    assert response.context["form"].errors == {"body_cy": ["Enter the letter in Welsh, or clear the subject in Welsh"]}
    response = client.post(url, {**data, "body_cy": "Annwyl {pennaeth}"})
    assert "Unknown merge fields: {pennaeth}" in response.context["form"].errors["body_cy"][0]
    assert client.post(url, {**data, "body_cy": "Annwyl {headteacher}"}).status_code == 302
    with working_in(wales.authority):
        template = LetterTemplate.objects.get(kind=LetterKind.CONCERN)
    assert (template.subject_cy, template.body_cy, template.updated_by) == (
        "{school_name}: pryder",
        "Annwyl {headteacher}",
        wales.officer,
    )


def test_an_officer_writes_an_unsent_letter_again_in_another_language(client, wales):
    letter = _letter(wales, None)  # as a board's decision drafts it: bilingual
    client.force_login(wales.officer)
    page = client.get(reverse("boards:letter", args=[letter.pk])).content.decode()
    assert 'id="letter-language-form"' in page
    url = reverse("boards:letter-language", args=[letter.pk])
    assert client.post(url, {"language": LetterLanguage.ENGLISH}).status_code == 302
    letter.refresh_from_db()
    assert (letter.language, letter.subject_cy, letter.body_cy) == (LetterLanguage.ENGLISH, "", "")
    assert letter.body.startswith("Dear Siân Jones")
    client.post(url, {"language": LetterLanguage.WELSH})
    letter.refresh_from_db()
    assert letter.language == LetterLanguage.WELSH
    assert letter.body_cy.startswith("Annwyl Siân Jones")
    assert letter.recipients.splitlines()[1] == "Cadeirydd y llywodraethwyr, Ysgol Gynradd Hamadryad"
    # Once sent, its words are kept.
    with working_in(wales.authority):
        services.mark_sent(letter=letter, by=wales.officer, sent_on=DATED, recipients=letter.recipients)
    assert 'id="letter-language-form"' not in client.get(reverse("boards:letter", args=[letter.pk])).content.decode()
    client.post(url, {"language": LetterLanguage.ENGLISH})
    letter.refresh_from_db()
    assert letter.language == LetterLanguage.WELSH
    # The headteacher reads it; only officers write it again.
    client.force_login(wales.head)
    assert client.post(url, {"language": LetterLanguage.ENGLISH}).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("olivia", 302), ("adam", 302)] + [(r, 403) for r in NOT_OFFICERS])
def test_only_officers_write_a_letter_again_and_only_by_post(client, everyone, ashfield, role, status):
    letter = services.draft_letter(school=ashfield, kind=LetterKind.CONCERN, by=everyone["olivia"])
    url = reverse("boards:letter-language", args=[letter.pk])
    assert_sends_to_sign_in(client, url)
    client.force_login(everyone[role])
    assert client.get(url).status_code == 405
    assert client.post(url, {"language": LetterLanguage.ENGLISH}).status_code == status


# An authority in England, as it was ------------------------------------------------------------------------------


def test_an_english_authority_has_no_language_choice_and_its_letter_is_unchanged(client, olivia, ashfield):
    client.force_login(olivia)
    assert "language" not in client.get(reverse("boards:annual-letters")).context["form"].fields
    form = client.get(reverse("boards:edit-template", args=[LetterKind.PRIORITY])).context["form"]
    assert set(form.fields) == {"subject", "body"}
    decision = services.decide(
        school=ashfield, kind=Decision.Kind.ADD, rationale=RATIONALE, by=olivia, reason=PriorityEntry.Reason.OFSTED_RI
    )
    letter = Letter.objects.get(decision=decision)
    assert (letter.language, letter.subject_cy, letter.body_cy) == (LetterLanguage.ENGLISH, "", "")
    assert f"Reason: {PriorityEntry.Reason.OFSTED_RI.label}" in letter.body
    assert letter.recipients.splitlines()[1] == "The chair of governors, Ashfield Primary School"
    with pytest.raises(ValidationError, match="written in English"):
        services.draft_letter(school=ashfield, kind=LetterKind.PRIORITY, by=olivia, language=LetterLanguage.WELSH)
    with pytest.raises(ValidationError, match="written in English"):
        services.update_template(
            template=LetterTemplate.objects.get(kind=LetterKind.PRIORITY),
            subject="S",
            body="B",
            subject_cy="Pwnc",
            body_cy="Llythyr",
            by=olivia,
        )
    assert 'id="letter-language-form"' not in client.get(letter.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="written in English"):
        services.rewrite_letter(letter=letter, language=LetterLanguage.BILINGUAL, by=olivia)
    # Even a browser asking for Welsh gets English pages and an English letter.
    text = pdf_text(
        io.BytesIO(client.get(reverse("boards:letter-pdf", args=[letter.pk]), HTTP_ACCEPT_LANGUAGE="cy").content)
    )
    assert "School improvement team" in text
    assert "Dear" in text
    assert "Page 1 of 1" in text
    assert "Tîm" not in text
    assert "Tudalen" not in text
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="en-GB"' in page
    assert "Sign out" in page
    assert 'id="language-switch"' not in page


# The headteacher's pages and the switch -------------------------------------------------------------------------


def test_a_welsh_headteacher_switches_to_cymraeg_and_back(client, wales):
    client.force_login(wales.head)
    home = client.get(reverse("home")).content.decode()
    assert 'id="language-switch"' in home
    assert "Cymraeg" in home
    assert "Your school's category" in home
    response = client.post(reverse("accounts:set-language"), {"language": "cy", "next": reverse("home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert '<html lang="cy"' in home
    for welsh in ("Categori eich ysgol", "Cymorth eleni", "Allgofnodi", "Hafan", "Croeso, Siân", "Pennaeth"):
        assert welsh in home
    client.post(reverse("accounts:set-language"), {"language": "en-gb", "next": reverse("home")})
    assert "Your school's category" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", ["olivia", "adam", "alice", "bob", "hannah", "ezra", "bella", "colin"])
def test_every_role_may_switch_language_by_post_only(client, everyone, role):
    client.force_login(everyone[role])
    url = reverse("accounts:set-language")
    assert client.get(url).status_code == 405
    assert client.post(url, {"language": "cy", "next": "/"}).status_code == 302


def test_the_language_switch_asks_anonymous_visitors_to_sign_in(client):
    response = client.post(reverse("accounts:set-language"), {"language": "cy"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# The compiled catalogue -------------------------------------------------------------------------------------------


def _catalog(mo: Path) -> dict:
    with mo.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)


def test_the_compiled_welsh_catalogue_is_up_to_date_with_the_po(tmp_path):
    """The .mo is committed (a fresh machine may have no GNU gettext): it must say what the .po says."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed: the .mo cannot be compiled here")
    messages = Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(messages / "django.po")], check=True)  # noqa: S603
    assert _catalog(messages / "django.mo") == _catalog(compiled), "Run: python manage.py compilemessages"
