"""Reading what a generated PDF says, in tests."""

from pypdf import PdfReader


def pdf_text(source) -> str:
    """The text of every page of a PDF (a path or a binary file), whitespace collapsed."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(source).pages).split())
