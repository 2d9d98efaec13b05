"""The one palette of the portal's categories: the colour a category's tag shows is the colour of its
series in the dashboard's charts and of its bar in the monthly report's PDF.

A category's ``colour`` (``Category.Colour``) names a GOV.UK Frontend tag (``govuk-tag--red``). The tag
is drawn by GOV.UK Frontend as a tint of one of GOV.UK's colours behind a shade of it; a chart draws the
category in that colour itself, so a reader matches the two by hue. Colour is never the only cue: each
category also has a pattern over its colour (by rank, so categories of one framework always differ),
every chart has a legend or direct labels, and a table of its figures under it.

The series of a chart that are not categories (days allocated and delivered, say) take the Okabe–Ito
colours, chosen to be told apart with any of the common colour vision deficiencies.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Swatch:
    """A tag colour: the GOV.UK colour (``fill``) and how GOV.UK Frontend 5 mixes the tag from it
    (``tint``: the share of white in its background; ``shade``: the share of black in its text)."""

    fill: str
    tint: int
    shade: int

    @property
    def tag_background(self) -> str:
        return mix(self.fill, "#ffffff", self.tint)

    @property
    def tag_text(self) -> str:
        return mix(self.fill, "#000000", self.shade)


# GOV.UK Frontend 5's tag modifiers (components/tag/_index.scss) and the colours of its palette.
SWATCHES: dict[str, Swatch] = {
    "green": Swatch("#00703c", 80, 20),
    "turquoise": Swatch("#28a197", 80, 60),
    "blue": Swatch("#1d70b8", 70, 60),
    "yellow": Swatch("#ffdd00", 75, 65),
    "orange": Swatch("#f47738", 70, 55),
    "red": Swatch("#d4351c", 75, 80),
    "purple": Swatch("#912b88", 85, 50),  # the tag mixes GOV.UK's "bright-purple"
    "grey": Swatch("#505a5f", 85, 50),  # and "dark-grey"
}
DEFAULT = "grey"

# Drawn over a category's colour, by its rank in the framework (see static/js/charts.js).
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal", "vertical", "zigzag", "diagonal-reverse")

# Okabe and Ito (2008), "Color Universal Design": blue, vermilion, bluish green, orange, reddish
# purple, sky blue, black. Yellow is left out: it cannot be seen against white.
SERIES = ("#0072b2", "#d55e00", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#000000")


def swatch(colour: str) -> Swatch:
    """The swatch of a category's tag colour (grey for one the palette does not know)."""
    return SWATCHES.get(colour, SWATCHES[DEFAULT])


def fill(colour: str) -> str:
    """The colour a chart draws a category with the tag ``colour`` in."""
    return swatch(colour).fill


def pattern(rank_order: int) -> str:
    """The pattern of the category at this place in its framework's rank order (0 first)."""
    return PATTERNS[rank_order % len(PATTERNS)]


def series(number: int) -> str:
    """The colour of a chart's ``number``th series that is not a category."""
    return SERIES[number % len(SERIES)]


def mix(colour: str, other: str, share: int) -> str:
    """``colour`` mixed with ``share`` per cent of ``other``, as Sass's ``mix`` does (GOV.UK's
    ``govuk-tint`` mixes with white and ``govuk-shade`` with black)."""
    ours = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    theirs = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    # Halves round up, as Sass rounds them (Python's round() would take them to the even number).
    mixed = (int(a * (100 - share) / 100 + b * share / 100 + 0.5) for a, b in zip(ours, theirs, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)
