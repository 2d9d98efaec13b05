"""The report's content rendered as a PDF (WeasyPrint, charts as server-side SVG from pygal), an XLSX
workbook (a sheet per section) and a CSV per section, both written by ``core.spreadsheets``, which keeps
a school's name or a board's rationale that looks like a formula from running as one."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from core import spreadsheets

# A table in the PDF or on the page shows this many rows; the workbook and the CSVs hold them all.
# (WeasyPrint lays out about a hundred table rows a second: a national list of thousands of schools
# belongs in the workbook.)
PDF_ROWS = 50
PAGE_ROWS = 100


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
    """A section's chart as inline SVG for the PDF: no scripts, fixed size, GOV.UK colours."""
    # Imported when a chart is drawn: pygal takes 0.25 s to import, paid otherwise by every process.
    import pygal
    from pygal.style import Style

    style = Style(
        background="white",
        plot_background="white",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#b1b4b6",
        colors=("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92"),
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
        show_legend=len(chart["series"]) > 1,
        x_label_rotation=30 if len(chart["labels"]) > 6 else 0,
        disable_xml_declaration=True,
        js=[],
        print_values=chart["kind"] == "bar",
    )
    graph.x_labels = chart["labels"]
    for series in chart["series"]:
        graph.add(series["name"], [None if v == "" else v for v in series["values"]])
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
        for section in capped(report.content["sections"], PDF_ROWS)
    ]
    html = render_to_string("reporting/report_pdf.html", {"report": report, "sections": sections})
    return HTML(string=html).write_pdf()


def section_rows(section: dict) -> list[list]:
    """A section as rows: its headline figures, then each table under its caption."""
    rows: list[list] = [["Figure", "Value"], *section["figures"]]
    for table in section["tables"]:
        rows += [[], [table["caption"]], table["headers"], *table["rows"]]
    rows += [[], ["How this is counted"], [section["definition"]]]
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def xlsx(report) -> bytes:
    """The workbook: a first sheet naming the report and its version, then a sheet per section."""
    return spreadsheets.xlsx_bytes(
        [
            spreadsheets.Sheet("Report", [[report.title], [f"Version {report.version}"]]),
            *(spreadsheets.Sheet(section["short"], section_rows(section)) for section in report.content["sections"]),
        ]
    )


def section_csv(section: dict) -> str:
    """A section as CSV text, after a byte order mark so Excel reads it as UTF-8."""
    return spreadsheets.csv_text(section_rows(section))
