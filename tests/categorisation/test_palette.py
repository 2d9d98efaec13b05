"""One palette: each category's tag, as GOV.UK Frontend draws it, is mixed from the colour the charts
draw the category in (categorisation.palette)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from categorisation import palette
from categorisation.models import Category

STYLESHEET = Path(settings.BASE_DIR) / "static" / "build" / "app.css"


def tag_rules() -> dict[str, tuple[str, str]]:
    """Each tag modifier's (text colour, background colour) in the stylesheet the portal serves."""
    css = STYLESHEET.read_text()
    found = re.findall(r"\.govuk-tag--([a-z-]+)\{color:(#[0-9a-f]{6});background-color:(#[0-9a-f]{6})\}", css)
    return {name: (text, background) for name, text, background in found}


@pytest.mark.parametrize("colour", Category.Colour.values)
def test_every_category_colour_has_a_swatch_its_tag_is_mixed_from(colour):
    swatch = palette.SWATCHES[colour]
    assert tag_rules()[colour] == (swatch.tag_text, swatch.tag_background)
    assert palette.fill(colour) == swatch.fill


def test_an_unknown_colour_is_grey_and_patterns_and_series_colours_differ():
    assert palette.fill("magenta") == palette.SWATCHES["grey"].fill
    assert len(set(palette.PATTERNS)) == len(palette.PATTERNS)
    assert palette.pattern(0) == "solid"
    assert len({palette.series(i) for i in range(len(palette.SERIES))}) == len(palette.SERIES)


def test_mixing_rounds_halves_up_as_sass_does():
    assert palette.mix("#ffdd00", "#ffffff", 75) == "#fff7bf"
    assert palette.mix("#000000", "#ffffff", 50) == "#808080"
