"""Format readers: report bytes → (text, encoding, pages).

One module per format; `load.py` picks the reader by suffix and builds the Document.
Every citation is an offset into the text made here, so the text follows one convention
that the chunker and the fact extractor read:

- paragraphs in reading order, one per line; headings are lines like any other;
- a table is a blank line, one line per row with its cells joined by " | " (every cell
  position kept: an empty or merged-away cell is an empty string between separators),
  then a blank line.  A caption or "单位：万元" line above a table stays a line of its own;
- inside a cell, line breaks are joined without a space and blank padding between two
  Chinese characters ("项  目") is dropped; a "|" inside a cell becomes "/";
- numbers as the user sees them (xlsx cells rendered with their number format).

`pages` is, for a PDF, the offset where each page starts; () for other formats.

Each library is imported inside its reader, so starting the program does not pay for
formats it is not asked to read.  Whatever a library raises on a bad file becomes a
LoadError with a one-line reason.
"""

from __future__ import annotations

from qa.ingest.formats.common import MAX_UNZIPPED, LoadError, Read, clean_cell, reason_of
from qa.ingest.formats.docx import read_docx
from qa.ingest.formats.html import read_html
from qa.ingest.formats.pdf import read_pdf
from qa.ingest.formats.text import BOMS, decode, normalise_newlines, read_text
from qa.ingest.formats.xlsx import format_datetime, format_number, read_xlsx

__all__ = [
    "BOMS",
    "MAX_UNZIPPED",
    "LoadError",
    "Read",
    "clean_cell",
    "decode",
    "format_datetime",
    "format_number",
    "normalise_newlines",
    "read_docx",
    "read_html",
    "read_pdf",
    "read_text",
    "read_xlsx",
    "reason_of",
]
