""".docx: paragraphs and tables in body order (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from qa.ingest.formats.common import LoadError, Read, Writer, reason_of, zip_check

# --- docx --------------------------------------------------------------------------


def read_docx(data: bytes) -> Read:
    """Body paragraphs and tables in document order (headers, footers and text boxes left out)."""
    zip_check(data, "DOCX")
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        writer = Writer()
        p_tag, tbl_tag = qn("w:p"), qn("w:tbl")
        containers = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}

        def paragraph_text(p: Any) -> str:
            return str(Paragraph(p, document).text)

        def cell_text(tc: Any) -> str:
            return "\n".join(paragraph_text(p) for p in tc.iter(p_tag))

        def table_rows(tbl: Any) -> Iterator[list[str]]:
            for tr in tbl.iterchildren(qn("w:tr")):
                row = [""] * tr.grid_before
                for tc in tr.iterchildren(qn("w:tc")):
                    # A vertically merged cell holds its text in the first row only.
                    row.append("" if tc.vMerge == "continue" else cell_text(tc))
                    row.extend([""] * (tc.grid_span - 1))
                row.extend([""] * tr.grid_after)
                yield row

        def walk(parent: Any) -> None:
            for child in parent.iterchildren():
                if child.tag == p_tag:
                    writer.paragraph(paragraph_text(child))
                elif child.tag == tbl_tag:
                    writer.table(table_rows(child))
                elif child.tag in containers:
                    walk(child)  # content controls (cover pages, forms) hold paragraphs too

        walk(document.element.body)
    except LoadError:
        raise
    except Exception as exc:  # any library failure on a bad file is a load error
        raise LoadError(f"damaged DOCX file: {reason_of(exc)}") from exc
    text = writer.text()
    if not text.strip():
        raise LoadError("empty document (no text in the DOCX body)")
    return text, "docx", ()
