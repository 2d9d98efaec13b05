from datetime import date

from crispy_forms_gds.layout import Field
from django import forms

from reporting import figures, quarters
from support.forms import helper

MONTHS_OFFERED = 36


def past_months(today: date) -> list[date]:
    """The months a report can be run for: every full month before this one, latest first."""
    return list(reversed(figures.months_back(figures.previous_month(today), MONTHS_OFFERED)))


class GenerateForm(forms.Form):
    period = forms.ChoiceField(
        label="Month",
        help_text="A report covers a whole month that has ended",
        error_messages={"required": "Choose the month", "invalid_choice": "Choose a month that has ended"},
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        months = past_months(today)
        self.fields["period"].choices = [(m.isoformat(), figures.month_label(m)) for m in months]
        self.fields["period"].initial = months[0].isoformat()
        self.helper = helper(Field.select("period"), submit="Run the report")

    def clean_period(self) -> date:
        return date.fromisoformat(self.cleaned_data["period"])


QUARTERS_OFFERED = 12


class QuarterlyFigureForm(forms.Form):
    quarter = forms.ChoiceField(
        label="Quarter",
        help_text="Calendar quarters: January to March, April to June, July to September, October to December",
        error_messages={"required": "Choose the quarter", "invalid_choice": "Choose a quarter that has started"},
    )
    measure = forms.ChoiceField(
        label="What is the count of?",
        choices=list(quarters.MEASURES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the count is of"},
    )
    count = forms.IntegerField(
        label="Count",
        min_value=0,
        error_messages={
            "required": "Enter the count",
            "invalid": "The count must be a whole number, like 4",
            "min_value": "The count must be 0 or more",
        },
    )
    source = forms.CharField(
        label="Source (optional)",
        required=False,
        max_length=200,
        help_text="For example, the exclusions team's register at 5 January",
        error_messages={"max_length": "The source must be 200 characters or fewer"},
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        offered = quarters.recent(today, QUARTERS_OFFERED)
        self.fields["quarter"].choices = [(q.start.isoformat(), q.label) for q in offered]
        self.fields["quarter"].initial = quarters.last_ended(today).start.isoformat()
        self.helper = helper(
            Field.select("quarter"),
            Field.radios("measure", small=True),
            Field.text("count", field_width=4),
            Field.text("source"),
            submit="Record the count",
        )

    def clean_quarter(self) -> date:
        return date.fromisoformat(self.cleaned_data["quarter"])
