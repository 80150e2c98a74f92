"""The chat page (Gradio): the figure large, its sentence with the figure highlighted, the
document and section, and the other passages folded below."""

from __future__ import annotations

import html
import os
import sys

from .api import ReportQA
from .records import Answer, Hit, Source

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
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def source_html(src: Source) -> str:
    a, b = src.start - src.sentence_start, src.end - src.sentence_start
    return (
        f'<div class="rq-sentence">{_e(src.text[:a])}<mark>{_e(src.text[a:b])}</mark>{_e(src.text[b:])}</div>'
        f'<div class="rq-where">{_e(src.title)} · {_e(src.section or "（无小节）")} · '
        f"字符 {src.start}–{src.end} · {_e(src.path)}</div>"
    )


def answer_html(answer: Answer) -> str:
    """The answer block: figure, highlighted source sentence(s), where each stands."""
    if not (answer.found and answer.sources):
        reason = answer.message if answer.message.startswith("报告中未找到：") else ""
        return (
            f'<div class="rq-none" id="rq-none">报告中未找到“{_e(answer.question)}”对应的数字。{_e(reason)}</div>'
            '<div class="rq-where">下面是最接近的段落，请核对原文。</div>'
        )
    related = f'<span class="rq-related">同句：{_e("、".join(answer.related))}</span>' if answer.related else ""
    derived = (
        f'<div class="rq-derived" id="rq-derived">计算所得（非报告原文数字）：{_e(answer.derived)}</div>'
        if answer.derived
        else ""
    )
    return (
        f'<div><span class="rq-figure" id="rq-figure">{_e(answer.answer or "")}</span>{related}</div>'
        + derived
        + "".join(source_html(src) for src in answer.sources)
        + f'<div class="rq-where">{answer.latency_ms:.0f} ms</div>'
    )


def passages_html(hits: tuple[Hit, ...]) -> str:
    parts = []
    for i, hit in enumerate(hits, start=1):
        c = hit.chunk
        parts.append(
            f'<div class="rq-passage"><small>[{i}] {_e(" / ".join(c.section) or "（无小节）")} · '
            f"字符 {c.start}–{c.end} · 得分 {hit.score:.4f}</small><br>{_e(c.text)}</div>"
        )
    return "".join(parts) or "<p>（无）</p>"


def build_app(qa: ReportQA):  # -> gr.Blocks
    try:
        import gradio as gr
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError("the chat page needs gradio: pip install gradio") from exc

    def ask(question: str) -> tuple[str, str]:
        if not question or not question.strip():
            return "<div class='rq-none'>请输入问题，例如：公务接待费多少？</div>", ""
        answer = qa.ask(question)
        return answer_html(answer), passages_html(answer.other_passages())

    docs = "、".join(d.title for d in qa.data.docs.values())
    with gr.Blocks(title="reportqa") as app:
        gr.Markdown(f"## reportqa · 报告问答\n答案均为报告原文数字，附出处。已索引：{docs}")
        with gr.Row():
            question = gr.Textbox(label="问题", placeholder="公务接待费多少？", elem_id="question", scale=5)
            button = gr.Button("提问", variant="primary", elem_id="ask", scale=1)
        answer = gr.HTML(elem_id="answer")
        with gr.Accordion("其他段落", open=False):
            passages = gr.HTML(elem_id="passages")
        gr.Examples(EXAMPLES, inputs=question)
        button.click(ask, inputs=question, outputs=[answer, passages])
        question.submit(ask, inputs=question, outputs=[answer, passages])
    return app


def launch(qa: ReportQA, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the page; binding beyond loopback asks for REPORTQA_PASSWORD."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    qa.warm()
    auth = None
    if host not in ("127.0.0.1", "localhost", "::1"):
        password = os.environ.get("REPORTQA_PASSWORD")
        if not password:
            raise ValueError(f"binding {host} exposes the reports beyond this machine: set REPORTQA_PASSWORD first")
        auth = ("reportqa", password)
    print(f"serving reportqa on http://{host}:{port}", file=sys.stderr, flush=True)
    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])
    build_app(qa).launch(
        server_name=host, server_port=port, auth=auth, css=CSS, theme=theme, show_error=True, quiet=True
    )
