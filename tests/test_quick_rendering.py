"""The quick paths for long pages give exactly what Django's own would."""

import re

import pytest
from django import forms
from django.urls import reverse

from core.links import quick_reverse
from core.widgets import QuickSelect

CHOICES = [("", "All local authorities"), (66, "Birmingham (330)"), (12, 'Brent & "North" <LA>')]
GROUPED = [("", "Any"), ("Primary", [("p1", "Infant"), ("p2", "Junior")]), ("s", "Secondary")]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", 66, "12", "p2", "s"])
def test_the_quick_select_renders_what_djangos_select_renders(choices, value):
    attrs = {"id": "id_la", "class": "govuk-select", "aria-describedby": "la-hint"}
    ours = QuickSelect(choices=choices).render("la", value, attrs=attrs)
    django = forms.Select(choices=choices).render("la", value, attrs=attrs)
    assert _same(ours) == _same(django)


def test_the_quick_select_escapes_labels_and_values():
    html = QuickSelect(choices=[('"><script>', "<b>x</b>")]).render("q", None)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("schools:detail", (100000,)),
        ("schools:detail", (9876543210123,)),  # the placeholder itself
        ("boards:decide", (7,)),
        ("boards:drop-item", (123456,)),
        ("support:update-action", (8765432109876, 5)),  # a value equal to the next placeholder
        ("schools:list", ()),
    ],
)
def test_quick_reverse_gives_the_address_reverse_gives(name, args):
    assert quick_reverse(name, *args) == reverse(name, args=args)
    assert quick_reverse(name, *args) == reverse(name, args=args)  # from the cached pattern too


def test_quick_reverse_hands_anything_but_numbers_to_reverse():
    with pytest.raises(Exception, match="Reverse"):
        quick_reverse("schools:detail", "not-a-number")
