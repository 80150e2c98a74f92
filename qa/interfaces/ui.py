"""The chat page (Gradio): a conversation whose every answer is a card — the figure large, what it
is (column, stage), its sentence with the figure highlighted, the document, section, page and
offsets, and a citation line to paste; a decline shows the nearest passages, each naming its
report.  Follow-ups ("那上年呢？") are completed from the question before (followup.py) and the
page shows the question it answered; the conversation downloads as CSV or Excel.  A click on an answer
opens its report's text at the figure, highlighted (the source view).

Pickers limit the reports a question is asked of (department, year, document); a question
across reports shows one row per report; a report can be uploaded, checked and indexed
from the page (kept in `<index>/uploads/`).
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from qa.answering.followup import complete, is_follow_up
from qa.interfaces.cards import (
    FACT_COLUMNS,
    FACT_WIDTHS,
    SOURCE_HINT,
    answer_html,
    checks_html,
    cited_at,
    esc,
    excerpt_html,
    fact_rows,
    header_text,
    listed_note,
    passages_html,
    turn_of,
)
from qa.interfaces.exports import turn_record, write_csv, write_export, write_export_xlsx, write_xlsx
from qa.interfaces.uploads import MAX_UPLOAD_MB, UPLOAD_TYPES, UploadLimit, upload_report
from qa.interfaces.worker import ANY, Choices, Engine, EngineProblem

if TYPE_CHECKING:
    pass

EXAMPLES = ["公务接待费多少？", "2018年人员经费是多少", "出国花了多少钱", "车辆编制数是多少", "会议费多少"]
CSS = """
.rq-figure { font-size: 2.2em; font-weight: 700; color: #b42318; }
.rq-related { color: #555; margin-left: .6em; }
.rq-sentence { font-size: 1.1em; margin: .6em 0; line-height: 1.7; }
.rq-sentence mark { background: #ffe08a; font-weight: 700; padding: 0 .1em; }
.rq-where { color: #555; font-size: .9em; }
.rq-none { font-size: 1.2em; font-weight: 600; }
.rq-derived { color: #1d4ed8; margin: .4em 0; }
.rq-passage { border-left: 3px solid #ccc; padding: .2em .8em; margin: .6em 0; }
.rq-passage small { color: #666; }
.rq-rows { border-collapse: collapse; width: 100%; }
.rq-rows td, .rq-rows th { border: 1px solid #ddd; padding: .3em .5em; vertical-align: top; }
.rq-cell-figure { font-weight: 700; color: #b42318; white-space: nowrap; }
.rq-quals { color: #1d4ed8; font-size: .95em; }
.rq-cite { color: #333; font-size: .85em; margin-top: .4em; user-select: all; }
.rq-pass { color: #067647; font-weight: 600; }
.rq-fail { color: #b42318; font-weight: 700; }
.rq-missing { color: #777; }
#source-view .rq-doc { white-space: pre-wrap; line-height: 1.7; max-height: 28em; overflow-y: auto;
  border: 1px solid #ddd; padding: .6em .8em; font-size: .95em; }
#source-view mark { background: #ffe08a; font-weight: 700; outline: 2px solid #b42318; }
/* gradio words its drop zone in the browser's language ("Drop File Here - or - Click to Upload"):
   the page says it in Chinese whatever the browser's locale */
#upload [data-testid="upload-text"] { font-size: 0; }
#upload [data-testid="upload-text"] > * { font-size: 1rem; }
#upload [data-testid="upload-text"] .or { display: none; }
#upload [data-testid="upload-text"]::after { content: "将报告文件拖放到此处，或点击选择（可多选）"; font-size: 1rem; }
"""


# Requests handled at once by an event (gradio's default is one): the answering process still takes
# one question at a time, but the page's work around it (queueing, rendering the card, streaming
# the result) overlaps; measured with `reportqa bench --load` (README)
ANSWERING_THREADS = 8
SESSIONS_KEPT = 200  # conversations whose state the page keeps in memory (see launch)


def picker_lists(choices: Choices) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Departments, years and documents of the index, each list led by 全部 (any)."""
    return [ANY, *choices.departments], [ANY, *choices.years], [(ANY, ANY), *choices.docs]


def picked(value: str | None) -> str | None:
    """A picker's value as a filter: None for 全部 (any) or nothing picked."""
    return None if not value or value == ANY else value


KEEP = {"__type__": "update"}  # gr.update(): leave the component as it is


def emptied(typed: str | None, turns: list[dict[str, str]] | None) -> object:
    """The question box once its question is answered: cleared, unless the user has already typed the
    next one (the clear runs after the answer is shown; it must not wipe what was typed meanwhile)."""
    if turns and (typed or "").strip() == turns[-1]["问题"]:
        return ""
    return KEEP


def build_app(engine: Engine):  # -> gr.Blocks
    try:
        import gradio as gr
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError("the chat page needs gradio: pip install gradio") from exc

    export_dir = Path(tempfile.mkdtemp(prefix="reportqa-export-"))

    titles: dict[str, str] = {}  # doc_id → title, for passages; refreshed with the pickers

    def turn(
        question: str,
        history: list[dict[str, str]],
        turns: list[dict[str, str]],
        department: str,
        year: str,
        doc: str,
        session: str,
        cited: list[list[str | int] | None],
    ) -> tuple[object, ...]:
        history, turns, cited = list(history or []), list(turns or []), list(cited or [])
        if not question or not question.strip():
            return history, turns, "", gr.update(), gr.update(), session, cited
        asked = question.strip()
        if turns and is_follow_up(asked):
            asked = complete(turns[-1]["按此问题回答"], asked)
        answer = engine.ask(asked, picked(department), picked(year), picked(doc))
        shown = question.strip() if asked == question.strip() else f"{question.strip()}（按“{asked}”回答）"
        history += [
            {"role": "user", "content": esc(shown)},
            {"role": "assistant", "content": answer_html(answer, titles)},
        ]
        turns.append(turn_record(len(turns) + 1, question.strip(), asked, answer))
        cited.append(cited_at(answer))
        session = session or uuid.uuid4().hex  # one export file per conversation, rewritten as it grows
        exported = write_export(turns, export_dir / session)
        workbook = write_export_xlsx(turns, export_dir / session)
        return history, turns, passages_html(answer.other_passages(), titles), exported, workbook, session, cited

    def source(cited: list[list[str | int] | None], evt: gr.SelectData) -> str:
        """The report's text at the figure of the answer clicked in the conversation."""
        number = turn_of(evt.index)
        where = cited[number] if number is not None and number < len(cited or []) else None
        if not where:
            return f'<div class="rq-where">这条回答没有引用原文数字（未找到时请看卡片里的段落）。{SOURCE_HINT}</div>'
        doc_id, start, end = str(where[0]), int(where[1]), int(where[2])
        try:
            return excerpt_html(engine.excerpt(doc_id, start, end))
        except (EngineProblem, ValueError) as exc:
            return f'<div class="rq-none">无法显示原文：{esc(str(exc))}</div>'

    # gradio passes the click's SelectData by the parameter's type, read at run time: this module's
    # annotations are strings (postponed), and gr is imported here, not at the module's top
    source.__annotations__ = {"cited": list, "evt": gr.SelectData, "return": str}

    def ask_once(question: str, department: str, year: str, doc: str) -> str:
        """One question outside any conversation: its answer card (the API for scripts and `bench`)."""
        if not question or not question.strip():
            return "<div class='rq-none'>请输入问题，例如：公务接待费多少？</div>"
        return answer_html(engine.ask(question.strip(), picked(department), picked(year), picked(doc)), titles)

    def clear() -> tuple[object, ...]:
        return [], [], "", None, None, "", []

    def refreshed() -> tuple[object, ...]:
        choices = engine.choices()
        known = {doc_id: title for title, doc_id in choices.docs}
        titles.update(known)  # in place, never emptied: questions answered meanwhile still name their reports
        for gone in set(titles) - set(known):
            titles.pop(gone, None)
        departments, years, docs = picker_lists(choices)
        return (
            header_text(choices),
            gr.Dropdown(choices=departments),
            gr.Dropdown(choices=years),
            gr.Dropdown(choices=docs),
        )

    def list_facts(department: str, year: str, doc: str, wanted: str) -> tuple[object, ...]:
        listed = engine.facts(picked(department), picked(year), picked(doc))
        rows = fact_rows(listed, wanted or "")
        folder = export_dir / uuid.uuid4().hex
        return (
            listed_note(listed, len(rows)),
            rows,
            write_csv(FACT_COLUMNS, rows, folder / "reportqa-数字.csv"),
            write_xlsx(FACT_COLUMNS, rows, folder / "reportqa-数字.xlsx", "数字"),
        )

    def run_checks(department: str, year: str, doc: str) -> str:
        return checks_html(engine.checks(picked(department), picked(year), picked(doc)))

    upload_limit = UploadLimit()  # one window for every client of this page

    def upload(files: list[str] | str | None) -> tuple[object, ...]:
        chosen = [files] if isinstance(files, str) else list(files or [])
        return (upload_report(chosen, engine.upload, upload_limit), *refreshed())

    choices = engine.choices()
    titles.update((doc_id, title) for title, doc_id in choices.docs)
    departments, years, docs = picker_lists(choices)
    with gr.Blocks(title="reportqa · 报告问答") as app:
        header = gr.Markdown(header_text(choices), elem_id="header")
        with gr.Row():
            department = gr.Dropdown(departments, value=ANY, label="单位", elem_id="pick-dept")
            year = gr.Dropdown(years, value=ANY, label="年度", elem_id="pick-year")
            document = gr.Dropdown(docs, value=ANY, label="文档", elem_id="pick-doc")
        with gr.Tabs():
            with gr.Tab("问答", elem_id="tab-chat"):
                chat = gr.Chatbot(
                    label="对话",
                    elem_id="chat",
                    height=560,
                    sanitize_html=False,
                    render_markdown=False,
                    buttons=["copy"],
                )
                turns, session, cited = gr.State([]), gr.State(""), gr.State([])
                with gr.Row():
                    question = gr.Textbox(label="问题", placeholder="公务接待费多少？", elem_id="question", scale=5)
                    button = gr.Button("提问", variant="primary", elem_id="ask", scale=1)
                with gr.Row():
                    clear_button = gr.Button("清空对话", elem_id="clear", size="sm")
                    export = gr.DownloadButton("导出对话（CSV）", value=None, elem_id="export", size="sm")
                    export_xlsx = gr.DownloadButton("导出对话（Excel）", value=None, elem_id="export-xlsx", size="sm")
                with gr.Accordion("原文（点击对话中的回答）", open=True):
                    source_view = gr.HTML(f'<div class="rq-where">{SOURCE_HINT}</div>', elem_id="source-view")
                with gr.Accordion("其他段落（最近一问）", open=False):
                    passages = gr.HTML(elem_id="passages")
                inputs = [question, chat, turns, department, year, document, session, cited]
                outputs = [chat, turns, passages, export, export_xlsx, session, cited]
                examples = gr.Examples(EXAMPLES, inputs=question, label="示例问题（点击即问）")
                with gr.Accordion("上传报告", open=False):
                    gr.Markdown(
                        f"支持 {'、'.join(UPLOAD_TYPES)}，单个文件不超过 {MAX_UPLOAD_MB} MB；"
                        "扫描件（无文字层）需先OCR。"
                    )
                    file = gr.File(
                        label="报告文件（可多选）",
                        file_types=list(UPLOAD_TYPES),
                        file_count="multiple",
                        type="filepath",
                        elem_id="upload",
                    )
                    upload_button = gr.Button("索引所选报告", elem_id="upload-index")
                    upload_status = gr.Markdown(elem_id="upload-status")

            with gr.Tab("数字一览", elem_id="tab-facts"):
                gr.Markdown("所选范围（上方的单位、年度、文档）内每份报告印出的每个数字，带出处；可排序、筛选、下载。")
                with gr.Row():
                    facts_filter = gr.Textbox(
                        label="筛选",
                        placeholder="如：公务接待 2021（空格分开的词都要出现）",
                        elem_id="facts-filter",
                        scale=4,
                    )
                    list_button = gr.Button("列出数字", variant="primary", elem_id="facts-list", scale=1)
                facts_note = gr.Markdown(elem_id="facts-note")
                facts_table = gr.Dataframe(
                    headers=list(FACT_COLUMNS),
                    datatype="str",
                    interactive=False,
                    wrap=True,
                    column_widths=list(FACT_WIDTHS),
                    max_height=640,
                    elem_id="facts-table",
                )
                with gr.Row():
                    facts_csv = gr.DownloadButton("下载（CSV）", value=None, elem_id="facts-csv", size="sm")
                    facts_xlsx = gr.DownloadButton("下载（Excel）", value=None, elem_id="facts-xlsx", size="sm")
            with gr.Tab("核对", elem_id="tab-checks"):
                gr.Markdown("所选范围内每份报告的勾稽关系：报告数与分项合计是否相等（通过 / 不符（差额）/ 数据不足）。")
                check_button = gr.Button("核对", variant="primary", elem_id="checks-run")
                checks_view = gr.HTML(elem_id="checks")

        many = ANSWERING_THREADS
        button.click(turn, inputs=inputs, outputs=outputs, api_name="chat", concurrency_limit=many).then(
            emptied, inputs=[question, turns], outputs=question, api_visibility="private"
        )
        question.submit(turn, inputs=inputs, outputs=outputs, api_visibility="private", concurrency_limit=many).then(
            emptied, inputs=[question, turns], outputs=question, api_visibility="private"
        )
        gr.api(ask_once, api_name="ask", concurrency_limit=ANSWERING_THREADS)
        examples.load_input_event.then(
            turn, inputs=inputs, outputs=outputs, api_visibility="private", concurrency_limit=many
        ).then(emptied, inputs=[question, turns], outputs=question, api_visibility="private")
        clear_button.click(clear, outputs=outputs, api_visibility="private")
        chat.select(source, inputs=cited, outputs=source_view, api_visibility="private").then(
            None, js=SCROLL_TO_FIGURE, api_visibility="private"
        )
        pickers = [header, department, year, document]
        upload_button.click(upload, inputs=file, outputs=[upload_status, *pickers])
        scope = [department, year, document]
        listing = [facts_note, facts_table, facts_csv, facts_xlsx]
        list_button.click(list_facts, inputs=[*scope, facts_filter], outputs=listing, api_visibility="private")
        facts_filter.submit(list_facts, inputs=[*scope, facts_filter], outputs=listing, api_visibility="private")
        check_button.click(run_checks, inputs=scope, outputs=checks_view, api_visibility="private")
        app.load(refreshed, outputs=pickers)  # a report uploaded since the server started is listed
    return app


# after the source view is filled: bring the highlighted figure into view inside its scroll box
SCROLL_TO_FIGURE = "() => { document.getElementById('rq-source-hit')?.scrollIntoView({block: 'center'}); }"


def launch(engine: Engine, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the page; binding beyond loopback asks for REPORTQA_PASSWORD.  A WorkerEngine opens
    the index while gradio is imported here."""
    auth = None
    if host not in ("127.0.0.1", "localhost", "::1"):
        password = os.environ.get("REPORTQA_PASSWORD")
        if not password:
            raise ValueError(f"binding {host} exposes the reports beyond this machine: set REPORTQA_PASSWORD first")
        auth = ("reportqa", password)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # gradio wraps every request in a matplotlib backend switch, importing matplotlib (and pyplot, to
    # find the default backend) on the first one: 0.3–0.5 s of the first answer. The page draws no
    # plots; marked absent, the switch is skipped as gradio does when matplotlib is not installed.
    sys.modules.setdefault("matplotlib", None)  # type: ignore[arg-type]
    import gradio as gr

    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])
    app = build_app(engine)  # waits for the engine: an index that cannot be opened stops here
    print(f"serving reportqa on http://{host}:{port}", file=sys.stderr, flush=True)
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        css=CSS,
        theme=theme,
        show_error=True,
        quiet=True,
        max_file_size=f"{MAX_UPLOAD_MB}mb",
        footer_links=[],  # no English "Use via API · Built with Gradio · Settings" under a Chinese page
        # gradio keeps each session's state (a conversation, its export) for this many sessions: 10,000 by
        # default, ~90 KB each here, so a script asking through the API grew the page by 286 MB in 3,233
        # questions; the oldest sessions beyond this are dropped
        state_session_capacity=SESSIONS_KEPT,
    )
