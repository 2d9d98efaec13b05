"""What every form of the portal shares: crispy-forms-gds's helper as the pages use it (the page's
template draws the <form> and its CSRF token; the helper draws the fields and one button)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit


def gds_helper(
    *fields,
    submit: str,
    name: str = "submit",
    label_size: str | None = Size.SMALL,
    legend_size: str | None = Size.SMALL,
) -> FormHelper:
    """The helper of a form drawn inside a page's own <form>: ``fields`` then a button reading
    ``submit`` (named ``name``), with labels and legends of the sizes given (None: the default)."""
    result = FormHelper()
    result.form_tag = False
    result.disable_csrf = True
    if label_size:
        result.label_size = label_size
    if legend_size:
        result.legend_size = legend_size
    result.layout = Layout(*fields, Submit(name, submit))
    return result
