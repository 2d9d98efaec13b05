"""The report's content rendered as a PDF (WeasyPrint, charts as server-side SVG from pygal), an XLSX
workbook (a sheet per section) and a CSV per section, both written by ``core.spreadsheets``, which keeps
a school's name or a board's rationale that looks like a formula from running as one.

The page, the PDF and the workbook open with a summary of the month's headline figures, name the
authority and carry the protective marking; figures read as ``reporting.formats`` shows them. A CSV
is data for another program and stays plain."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from categorisation import palette
from core import spreadsheets
from reporting import formats

# A table in the PDF or on the page shows this many rows; the workbook and the CSVs hold them all.
# (WeasyPrint lays out about a hundred table rows a second: a national list of thousands of schools
# belongs in the workbook.)
PDF_ROWS = 50
PAGE_ROWS = 100
# The Government Security Classifications marking of a report on named schools and their support.
MARKING = "OFFICIAL-SENSITIVE"
# The summary's headline figures: (section, figure[, how the summary names it]), in the order read. A
# figure a report's version does not have (an older one) is left out.
SUMMARY = [
    ("priority-list", "Schools on the priority list at the end of the month"),
    ("priority-list", "Schools added"),
    ("priority-list", "Schools removed"),
    ("inspections", "Inspections published"),
    ("good-or-better", "Percentage good or better"),
    ("good-or-better", "Change since the end of last month", "Good or better: change since the end of last month"),
    ("good-or-better", "Change since a year earlier", "Good or better: change since a year earlier"),
    ("good-or-better", "Percentage of pupils in good or better schools"),
    ("below-floor", "Pupils in maintained schools below the floor"),
    ("categories", "Moved to more support"),
    ("categories", "Moved to less support"),
    ("support", "Percentage of allocated days delivered"),
    ("notices", "Warning notices open"),
    ("notices", "Past their compliance deadline"),
    ("actions", "Overdue actions"),
    ("overdue", "Deadlines overdue"),
]


def summary(content: dict) -> list[dict]:
    """The headline figures with the section each comes from: its stored ``value`` and how it is ``shown``."""
    sections = {section["key"]: section for section in content["sections"]}
    rows = []
    for key, figure, *named in SUMMARY:
        section = sections.get(key)
        value = next((v for name, v in section["figures"] if name == figure), None) if section else None
        if value not in (None, ""):  # a percentage of nothing is left out
            label = named[0] if named else figure
            rows.append(
                {"key": key, "section": section["short"], "label": label, "value": value, "shown": formats.shown(value)}
            )
    return rows


def shown(sections: list[dict]) -> list[dict]:
    """The sections with every figure and cell as the page and the PDF show it (dates in words,
    thousands separated)."""
    return [
        {
            **section,
            "figures": [[label, formats.shown(value)] for label, value in section["figures"]],
            "tables": [
                {
                    **table,
                    "rows": [
                        [formats.shown(value, header) for value, header in zip(row, table["headers"], strict=False)]
                        for row in table["rows"]
                    ],
                }
                for table in section["tables"]
            ],
        }
        for section in sections
    ]


def capped(sections: list[dict], limit: int) -> list[dict]:
    """The sections with each table cut to ``limit`` rows, and how many more each has (``more``)."""
    return [
        {
            **section,
            "tables": [
                {**table, "rows": table["rows"][:limit], "more": max(0, len(table["rows"]) - limit)}
                for table in section["tables"]
            ],
        }
        for section in sections
    ]


def chart_svg(chart: dict) -> str:
    """A section's chart as inline SVG for the PDF: no scripts, fixed size, axes titled, a category in the
    colour of its tag and other series in the palette's (categorisation.palette)."""
    # Imported when a chart is drawn: pygal takes 0.25 s to import, paid otherwise by every process.
    import pygal
    from pygal.style import Style

    style = Style(
        background="white",
        plot_background="white",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#b1b4b6",
        colors=palette.SERIES,
        font_family="Arial, sans-serif",
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=11,
        title_font_size=13,
    )
    kind = pygal.Line if chart["kind"] == "line" else pygal.Bar
    graph = kind(
        width=700,
        height=300,
        style=style,
        title=chart["title"],
        x_title=chart.get("axes", {}).get("x"),
        y_title=chart.get("axes", {}).get("y"),
        show_legend=len(chart["series"]) > 1,
        x_label_rotation=30 if len(chart["labels"]) > 6 else 0,
        disable_xml_declaration=True,
        js=[],
        print_values=chart["kind"] == "bar",
    )
    graph.x_labels = chart["labels"]
    colours = chart.get("colours") or []
    for series in chart["series"]:
        values = [None if v == "" else v for v in series["values"]]
        if colours:  # a bar for each category, in its category's colour (the label names it too)
            values = [{"value": v, "color": c} for v, c in zip(values, colours, strict=False)]
        graph.add(series["name"], values)
    return graph.render(is_unicode=True)


def svg_data_uri(svg: str) -> str:
    """The SVG as an image address, so the PDF template embeds it without marking markup safe."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf(report) -> bytes:
    # Imported when a PDF is made: WeasyPrint takes 1.8 s to import, which every web process and
    # worker would otherwise pay at start.
    from weasyprint import HTML

    sections = [
        {**section, "chart_uri": svg_data_uri(chart_svg(section["chart"])) if section.get("chart") else ""}
        for section in shown(capped(report.content["sections"], PDF_ROWS))
    ]
    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "report": report,
            "built": report.created_at or timezone.now(),  # the PDF is made before the report is saved
            "authority": report.content.get("authority", ""),
            "summary": summary(report.content),
            "sections": sections,
            "marking": MARKING,
        },
    )
    return HTML(string=html).write_pdf()


def section_rows(section: dict) -> list[list]:
    """A section as rows: its headline figures, then each table under its caption."""
    rows: list[list] = [["Figure", "Value"], *section["figures"]]
    for table in section["tables"]:
        rows += [[], [table["caption"]], table["headers"], *table["rows"]]
    rows += [[], ["How this is counted"], [section["definition"]]]
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def _section_cells(section: dict) -> list[list]:
    """A section's rows for the workbook, after its header row: figures and cells typed (a
    percentage a number with a percentage format, a date a date), captions and table headers bold."""
    rows: list[list] = [[label, formats.cell(value)] for label, value in section["figures"]]
    for table in section["tables"]:
        headers = table["headers"]
        rows += [
            [],
            [spreadsheets.Heading(table["caption"])],
            [spreadsheets.Heading(header) for header in headers],
            *(
                [formats.cell(value, header) for value, header in zip(row, headers, strict=False)]
                for row in table["rows"]
            ),
        ]
    return [*rows, [], [spreadsheets.Heading("How this is counted")], [section["definition"]]]


def xlsx(report) -> bytes:
    """The workbook: a first sheet naming the report, the authority and the version with the summary,
    then a sheet per section, each headed by its title and the protective marking (printed on every
    page too)."""
    authority = report.content.get("authority", "")
    heading = [MARKING, report.title, f"{authority}: version {report.version}"]
    return spreadsheets.xlsx_bytes(
        [
            spreadsheets.Sheet(
                "Report",
                [[row["section"], row["label"], formats.cell(row["value"])] for row in summary(report.content)],
                header=["Section", "Figure", "Value"],
                heading=heading,
                marking=MARKING,
            ),
            *(
                spreadsheets.Sheet(
                    section["short"],
                    _section_cells(section),
                    header=["Figure", "Value"],
                    heading=[MARKING, f"{authority}: {section['title']}"],
                    marking=MARKING,
                )
                for section in report.content["sections"]
            ),
        ]
    )


def section_csv(section: dict) -> str:
    """A section as CSV text, after a byte order mark so Excel reads it as UTF-8."""
    return spreadsheets.csv_text(section_rows(section))
