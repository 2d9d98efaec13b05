"""Forms for the schools pages, rendered with crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts import permissions
from accounts.authorities import current_authority_id
from accounts.models import User
from core.calendar import academic_year_label, academic_year_of
from core.fields import GovukDateField
from schools import estyn
from schools.importers import FORMATS
from schools.imports import academic_year_from_name
from schools.models import Consortium, ConsortiumLead, ImportRun, IntelligenceNote


def _academic_year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", "Not needed for this kind of file")] + [
        (str(y), academic_year_label(y)) for y in range(this_year, 2004, -1)
    ]


# What a file named .csv holds when it is really something else: a zip (an .xlsx workbook), an old
# Excel workbook, a PDF or a program.
BINARY_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"MZ", b"\x7fELF")


def _kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="What kind of file is it?",
        # The authority's own collection has its own page, with its template (schools.collection).
        choices=[(kind, label) for kind, label in ImportRun.Kind.choices if kind in FORMATS],
        error_messages={"required": "Select what kind of file it is"},
    )


def _academic_year_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Academic year (performance tables only)",
        required=False,
        help_text="The year the figures are for. Performance tables files do not say this in their columns.",
    )


class ImportUploadForm(forms.Form):
    kind = _kind_field()
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV file exactly as published, for example edubasealldata20251101.csv",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"},
    )
    academic_year = _academic_year_field()
    dry_run = forms.BooleanField(
        label="Dry run: check the file and show what would change, without changing anything",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = _academic_year_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's own <form> carries the enctype and CSRF token
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("kind"),
            Field("file"),
            Field.select("academic_year"),
            Field.checkbox("dry_run", small=True),
            Submit("upload", "Upload and import"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}"
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file")
        head = upload.read(8192)
        upload.seek(0)
        if head.startswith(BINARY_SIGNATURES) or b"\x00" in head:
            raise forms.ValidationError(
                "The selected file must be a CSV file: this one is a spreadsheet, PDF or other binary file. "
                "Open it and save it as CSV first"
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        _clean_academic_year(self, cleaned, upload.name if upload else "")
        return cleaned


def _clean_academic_year(form: forms.Form, cleaned: dict, file_name: str) -> None:
    """A performance tables file needs the academic year it covers, chosen or read from its name;
    any other kind of file has none."""
    kind = cleaned.get("kind")
    if kind and FORMATS[kind].needs_academic_year:
        year = cleaned.get("academic_year") or (academic_year_from_name(file_name) if file_name else None)
        if not year:
            form.add_error("academic_year", "Select the academic year the performance tables file covers")
        cleaned["academic_year"] = int(year) if year else None
    else:
        cleaned["academic_year"] = None


class ImportRetryForm(forms.Form):
    """Check (or import) a failed run's stored file again, perhaps as another kind or year."""

    kind = _kind_field()
    academic_year = _academic_year_field()
    dry_run = forms.BooleanField(
        label="Dry run: check the file and show what would change, without changing anything",
        required=False,
        initial=True,
    )

    def __init__(self, *args, run: ImportRun, **kwargs):
        kwargs.setdefault("initial", {"kind": run.kind, "academic_year": run.academic_year or "", "dry_run": True})
        super().__init__(*args, **kwargs)
        self.file_name = run.file_name
        self.fields["academic_year"].choices = _academic_year_choices()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("kind"),
            Field.select("academic_year"),
            Field.checkbox("dry_run", small=True),
            Submit("check_again", "Check the file again"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_academic_year(self, cleaned, self.file_name)
        return cleaned


class ImportConfirmForm(forms.Form):
    """Why a file imported before should be imported again (``services.confirm_import``)."""

    reason = forms.CharField(
        label="Why import it again?",
        widget=forms.Textarea,
        max_length=2000,
        help_text="For example, the records were changed by hand since and the published file is right",
        error_messages={
            "required": "Enter why this file should be imported again",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field.textarea("reason", rows=3))


class IntelligenceNoteForm(forms.Form):
    area = forms.ChoiceField(
        label="Area", choices=IntelligenceNote.Area.choices, error_messages={"required": "Select the area"}
    )
    noted_on = GovukDateField(label="Date of the intelligence", help_text="For example, 27 3 2026")
    source = forms.CharField(
        label="Source",
        max_length=200,
        help_text="Who or what it came from",
        error_messages={"required": "Enter the source"},
    )
    risk_grade = forms.ChoiceField(
        label="Risk",
        choices=IntelligenceNote.RiskGrade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk"},
    )
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=IntelligenceNote.Visibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who can see it"},
    )
    text = forms.CharField(label="Note", widget=forms.Textarea, error_messages={"required": "Enter the note"})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not permissions.is_officer(user):
            self.fields["visibility"].choices = [
                c for c in IntelligenceNote.Visibility.choices if c[0] != IntelligenceNote.Visibility.RESTRICTED
            ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("area"),
            Field("noted_on"),
            Field.text("source"),
            Field.radios("risk_grade", inline=True),
            Field.radios("visibility"),
            Field.textarea("text", rows=5),
            Submit("save", "Save note"),
        )

    def clean_noted_on(self):
        value = self.cleaned_data["noted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the intelligence must be today or in the past")
        return value


def _optional_date(label: str, help_text: str = "For example, 14 3 2019") -> GovukDateField:
    return GovukDateField(label=label, required=False, help_text=help_text)


def _estyn_grade(judgement: estyn.Judgement, shape: estyn.Shape) -> forms.TypedChoiceField:
    words = estyn.GRADE_LABELS[shape]
    return forms.TypedChoiceField(
        label=judgement.label,
        choices=[("", "Not judged"), *[(str(g), words[g]) for g in estyn.GRADES]],
        coerce=int,
        empty_value=None,
        required=False,
    )


class EstynInspectionForm(forms.Form):
    """An Estyn inspection from its published report. The framework follows from the start date,
    so only the judgements of that framework are filled in (``services.record_estyn_inspection``
    says which, if others are)."""

    start_date = GovukDateField(
        label="Date the inspection started",
        help_text="As the report gives it. For example, 14 3 2019",
    )
    end_date = _optional_date("Date the inspection ended (optional)")
    publication_date = _optional_date("Date the report was published (optional)")
    follow_up = forms.ChoiceField(
        label="Follow-up",
        choices=estyn.FollowUp.choices,
        initial=estyn.FollowUp.NONE,
        widget=forms.RadioSelect,
        help_text="As the report's main findings or the follow-up letter says",
        error_messages={"required": "Select the follow-up Estyn gave the school"},
    )
    follow_up_removed_on = _optional_date("Date Estyn removed the school from follow-up (optional)")
    report_url = forms.URLField(
        label="Link to the report on Estyn's website (optional)",
        required=False,
        max_length=500,
        error_messages={"invalid": "Enter the link as a full web address, starting https://"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for judgement in estyn.SUMMARY_JUDGEMENTS:
            self.fields[judgement.field] = _estyn_grade(judgement, estyn.Shape.PRE_2017)
        for judgement in estyn.INSPECTION_AREAS:
            self.fields[judgement.field] = _estyn_grade(judgement, estyn.Shape.INSPECTION_AREAS)
        self.fields["start_date"].error_messages["required"] = "Enter the date the inspection started"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field("start_date"),
            Field("end_date"),
            Field("publication_date"),
            Fieldset(
                *[Field.select(j.field) for j in estyn.SUMMARY_JUDGEMENTS],
                legend="Inspections before September 2017: the summary judgements",
            ),
            Fieldset(
                *[Field.select(j.field) for j in estyn.INSPECTION_AREAS],
                legend="Inspections from September 2017 to summer 2022: the five inspection areas",
            ),
            Field.radios("follow_up"),
            Field("follow_up_removed_on"),
            Field.text("report_url"),
            Submit("save", "Record the inspection"),
        )


# Consortia ------------------------------------------------------------------------------------------------


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("save", submit))
    return helper


class ConsortiumForm(forms.Form):
    name = forms.CharField(
        label="Name of the consortium", max_length=200, error_messages={"required": "Enter the consortium's name"}
    )
    phase = forms.ChoiceField(
        label="Phase",
        choices=Consortium.Phase.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the consortium's phase"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("name"), Field.radios("phase", inline=True), submit="Set up the consortium")


class ConsortiumSchoolForm(forms.Form):
    urn = forms.IntegerField(label="URN of the school", error_messages={"required": "Enter the school's URN"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("urn", field_width=10), submit="Add the school")


class ConsortiumLeadForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="Leave blank to use the name of their account",
    )
    user = forms.ModelChoiceField(
        label="Their account in the portal (if they have one)", queryset=User.objects.none(), required=False
    )
    criterion = forms.ChoiceField(
        label="Which lead member criterion do they meet?",
        choices=ConsortiumLead.Criterion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which lead member criterion they meet"},
    )
    school_urn = forms.IntegerField(
        label="URN of the school they lead",
        required=False,
        help_text="Needed for the headteacher of an outstanding school",
    )
    nominated_on = GovukDateField(
        label="Date the schools nominated them", required=False, help_text="For example, 27 3 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__authority_id=current_authority_id(), is_active=True
        ).order_by("full_name")
        self.helper = _helper(
            Field.text("name"),
            Field.select("user"),
            Field.radios("criterion"),
            Field.text("school_urn", field_width=10),
            Field("nominated_on"),
            submit="Add the lead member",
        )

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip() and not data.get("user"):
            self.add_error("name", "Enter the lead member's name")
        return data


# Governance ---------------------------------------------------------------------------------------------


def _contact_fields(role: str, label: str) -> dict[str, forms.Field]:
    return {
        f"{role}_name": forms.CharField(
            label="Name", max_length=200, required=False, help_text="With their title, for example Mrs J Smith"
        ),
        f"{role}_email": forms.EmailField(
            label="Email address",
            required=False,
            error_messages={"invalid": f"Enter the {label} email address in the correct format, like name@example.com"},
        ),
        f"{role}_phone": forms.CharField(label="Telephone", max_length=40, required=False),
    }


class GovernanceContactsForm(forms.Form):
    """The chair and the clerk of the school's board; leave a name empty to remove them."""

    def __init__(self, *args, board: str, **kwargs):
        super().__init__(*args, **kwargs)
        fieldsets = []
        for role, label in (("chair", "chair's"), ("clerk", "clerk's")):
            self.fields.update(_contact_fields(role, label))
            fieldsets.append(
                Fieldset(
                    Field.text(f"{role}_name"),
                    Field.text(f"{role}_email", field_width=20),
                    Field.text(f"{role}_phone", field_width=10),
                    legend=f"{role.capitalize()} of the {board[0].lower()}{board[1:]}",
                )
            )
        self.helper = _helper(*fieldsets, submit="Save the contacts")

    def contacts(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {role: {f: data[f"{role}_{f}"] for f in ("name", "email", "phone")} for role in ("chair", "clerk")}


class GovernanceReviewForm(forms.Form):
    reviewed_on = GovukDateField(label="Date of the review", help_text="For example, 27 3 2026")
    reviewer = forms.CharField(
        label="Carried out by",
        max_length=200,
        help_text="Who reviewed governance, for example a national leader of governance",
        error_messages={"required": "Enter who carried out the review"},
    )
    effective = forms.TypedChoiceField(
        label="Did the review find governance effective?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the review found governance effective"},
    )
    recommendations = forms.CharField(label="Recommendations", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("reviewed_on"),
            Field.text("reviewer"),
            Field.radios("effective", inline=True),
            Field.textarea("recommendations", rows=4),
            submit="Save the review",
        )


# The authority's own collection: EYFS and KS1 results ------------------------------------------------------

RESULT_YEARS_OFFERED = 10


def results_years(today) -> list[int]:
    """The academic years results can be uploaded for, latest first: from the one whose summer term
    has come (June onwards), back ten years."""
    latest = academic_year_of(today) if 6 <= today.month <= 8 else academic_year_of(today) - 1
    return list(range(latest, latest - RESULT_YEARS_OFFERED, -1))


def _results_year_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Academic year",
        coerce=int,
        help_text="The year the results are for: the template is the same for every year",
        error_messages={"required": "Choose the academic year", "invalid_choice": "Choose an academic year listed"},
    )


class ResultsYearForm(forms.Form):
    """The academic year the page is about (a GET form: it chooses, it changes nothing)."""

    year = _results_year_field()

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        years = results_years(today)
        self.fields["year"].choices = [(y, academic_year_label(y)) for y in years]
        self.default = years[0]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("year"), Submit("choose", "Choose the year", css_class="govuk-button--secondary")
        )

    @property
    def chosen(self) -> int:
        return self.cleaned_data["year"] if self.is_bound and self.is_valid() else self.default


class AuthorityResultsForm(forms.Form):
    academic_year = _results_year_field()
    file = forms.FileField(
        label="Upload the filled-in template",
        help_text="The template as CSV or XLSX. Leave a cell empty where you have no result",
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = [(y, academic_year_label(y)) for y in results_years(today)]
        self.helper = _helper(Field.select("academic_year"), Field("file"), submit="Upload and import")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}"
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The selected file must be a CSV or XLSX file")
        return upload
