"""The `reportqa` command (also `python -m qa`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qa.interfaces.cliargs import filters_of, parser
from qa.records import Answer, Fact

if TYPE_CHECKING:
    from qa.index.store import IndexData
    from qa.quality.fitrank import Example


def _fit_rows(option: str, pairs: Sequence[str]) -> list[Example]:
    """The candidates of every INDEX=QUESTIONS pair, labelled right or wrong; a count per file."""
    from qa.api import ReportQA
    from qa.quality.evaluate import read_questions
    from qa.quality.fitrank import examples

    rows = []
    for pair in pairs:
        index, _, file = pair.partition("=")
        if not file:
            raise ValueError(f"{option} {pair!r}: expected INDEX=QUESTIONS.jsonl")
        found = examples(ReportQA(index), read_questions(Path(file)), file)
        print(
            f"{file}: {len({r.group for r in found})} questions, {len(found)} candidates, "
            f"{sum(r.right for r in found)} right"
        )
        rows += found
    return rows


def cmd_fit_ranker(args: argparse.Namespace) -> int:
    from qa.quality.fitrank import fit

    trained_on = [pair.partition("=")[2] for pair in args.set]
    model = fit(_fit_rows("--set", args.set), trained_on, calibration=_fit_rows("--calibrate", args.calibrate))
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"threshold {model.threshold:.3f}; {model.calibration}; written to {args.out}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from qa.index.embed import ModelSpec, load_embedder
    from qa.ingest.plan import ingest

    started = time.perf_counter()
    spec = ModelSpec.from_settings(args.model, args.query_prompt, args.passage_prompt)
    index = Path(args.index)
    given = {"department": args.dept, "year": args.year, "report_type": args.type}
    facets = {k: v for k, v in given.items() if v}
    outcome = ingest(args.paths, index, spec, lambda: load_embedder(spec, passages=True), facets, args.force)
    for skip in outcome.skipped:
        print(skip, file=sys.stderr)
    data = outcome.data
    if outcome.nothing_readable:
        print(
            f"reportqa: error: no readable reports in {' '.join(map(str, args.paths))}; index {index} left as it was",
            file=sys.stderr,
        )
        return 1
    if data is None:
        print(f"index {index} is up to date: {len(outcome.plan.docs)} documents, model {spec.model}")
        return 0
    c = data.manifest["counts"]
    seconds = time.perf_counter() - started
    print(
        f"indexed {c['documents']} documents ({outcome.plan.summary()}; {len(outcome.skipped)} files skipped), "
        f"{c['chunks']} chunks, {c['facts']} facts, {len(data.dense.vectors)} vectors in {seconds:.1f} s → {index}"
    )
    if data.stats is not None:
        st = data.stats
        model = st.seconds.get("embedding", 0.0) + st.seconds.get("model load", 0.0)
        print(
            f"  embedded {st.embedded_units} new texts, reused {st.reused_units}; "
            f"model {model:.1f} s ({100 * model / max(seconds, 1e-9):.0f}% of ingest)"
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from qa.ingest.plan import remove

    data, gone = remove(Path(args.index), args.docs)
    for doc in gone:
        print(f"removed {doc.doc_id}  {doc.path}")
    print(f"index {args.index}: {len(data.docs)} documents left")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from collections import Counter

    from qa.index.chunktable import ids_by_doc
    from qa.index.store import load
    from qa.ingest.facets import facets_of

    data = load(Path(args.index))
    chunks = Counter({d: len(ids) for d, ids in ids_by_doc(data.chunks).items()})
    facts = Counter(f.doc_id for f in data.facts)
    facets = {doc_id: facets_of(doc) for doc_id, doc in data.docs.items()}
    rows = []
    for doc in sorted(
        data.docs.values(), key=lambda d: (facets[d.doc_id].department, facets[d.doc_id].year or "", d.path)
    ):
        fc = facets[doc.doc_id]
        rows.append(
            {
                "doc_id": doc.doc_id,
                "department": fc.department,
                "year": fc.year or "",
                "report_type": fc.report_type,
                "set_by_user": ",".join(k for k, _ in doc.overrides),
                "title": doc.title,
                "path": doc.path,
                "format": doc.encoding,
                "pages": len(doc.pages),
                "chunks": chunks.get(doc.doc_id, 0),
                "facts": facts.get(doc.doc_id, 0),
            }
        )
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        user = f" (set: {row['set_by_user']})" if row["set_by_user"] else ""
        print(
            f"{row['doc_id']}  {row['year'] or '----'}  {row['department'] or '（未识别单位）'}  "
            f"{row['report_type'] or '（未识别类型）'}{user}  "
            f"{row['chunks']} chunks {row['facts']} facts  {row['path']}"
        )
    print(f"{len(rows)} documents", file=sys.stderr)
    return 0


def format_answer(answer: Answer) -> str:
    """Plain-text answer for a terminal: the figure, its sentence with the figure marked, the source."""
    lines = []
    if answer.rows:
        lines.append(f"{answer.message}：")
        for row in answer.rows:
            src = row.source
            computed = f"（计算所得：{row.derived}）" if row.derived else ""
            lines.append(f"  {row.department or row.doc_id} {row.year or '----'}年：{row.answer}{computed}")
            lines.append(f"      出处：{src.title} · {src.section or '（无小节）'} · 字符 {src.start}–{src.end}")
        return "\n".join(lines)
    if answer.found and answer.sources:
        related = f"（同句：{'、'.join(answer.related)}）" if answer.related else ""
        lines.append(f"答案：{answer.answer}{related}")
        if answer.derived:
            lines.append(f"计算所得（非报告原文数字）：{answer.derived}")
        for src in answer.sources:
            a, b = src.start - src.sentence_start, src.end - src.sentence_start
            lines.append(f"原文：{src.text[:a]}【{src.text[a:b]}】{src.text[b:]}".rstrip())
            lines.append(f"出处：{src.title} · {src.section or '（无小节）'} · 字符 {src.start}–{src.end} · {src.path}")
    else:
        reason = answer.message.removeprefix("报告中未找到：") if answer.message.startswith("报告中未找到：") else ""
        lines.append(f"报告中未找到“{answer.question}”对应的数字。{reason}最接近的段落：")
    for i, hit in enumerate(answer.other_passages(), start=1):
        text = hit.chunk.text.replace("\n", " ")
        lines.append(f"  [{i}] {' / '.join(hit.chunk.section)}：{text[:90]}{'…' if len(text) > 90 else ''}")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from qa.api import ReportQA

    qa = ReportQA(args.index)
    if args.question == "-":
        for line in sys.stdin:
            if line.strip():
                answer = qa.ask(line, k=args.k, mode=args.mode, filters=filters_of(args), explained=True)
                print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return 0
    answer = qa.ask(args.question, k=args.k, mode=args.mode, filters=filters_of(args), explained=args.json)
    print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1) if args.json else format_answer(answer))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from qa.interfaces.ui import launch
    from qa.interfaces.worker import WorkerEngine

    engine = WorkerEngine(args.index)  # opens the index in its own process while gradio is imported
    try:
        launch(engine, host=args.host, port=args.port)
    finally:
        engine.close()
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from qa.api import ReportQA
    from qa.quality.evaluate import evaluate, format_report, read_questions

    questions = read_questions(args.file)
    qa = ReportQA(args.index)
    if args.baseline:
        from qa.quality.evaluate import evaluate_baseline

        result = evaluate_baseline(qa, questions, args.baseline)
        print(
            f"baseline {args.baseline} on {args.file}: top passage contains the gold figure "
            f"{result['top_passage_has_gold']} of answerable; {result['accuracy_all_questions']} of all "
            f"{result['questions']} (a retriever never declines)"
        )
        return 0
    qa.warm(args.mode)
    report = evaluate(qa, questions, mode=args.mode)
    print(f"eval {args.file} ({args.mode}) on {args.index}")
    print(format_report(report, misses=not args.summary))
    if args.report:
        args.report.write_text(
            json.dumps({"summary": report.summary(), "failures": report.failures}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return 0


FACT_FIELDS = (
    "doc_id",
    "label",
    "figure",
    "raw",
    "value",
    "unit",
    "norm_value",
    "norm_unit",
    "qualifiers",
    "year",
    "section",
    "column",
    "start",
    "end",
)


def _fact_row(fact: Fact) -> dict[str, str | int]:
    return {
        "doc_id": fact.doc_id,
        "label": fact.label,
        "figure": fact.display,
        "raw": fact.raw,
        "value": str(fact.value),
        "unit": fact.unit,
        "norm_value": str(fact.norm_value),
        "norm_unit": fact.norm_unit,
        "qualifiers": "|".join(fact.qualifiers),
        "year": fact.year or "",
        "section": fact.section,
        "column": fact.column,
        "start": fact.start,
        "end": fact.end,
    }


def _selected_docs(data: IndexData, doc: str | None) -> list[str]:
    """The documents `--doc` names: an id, path, file name or title, as `ask --doc` takes them."""
    if doc is None:
        return list(data.docs)
    found = [i for i, d in data.docs.items() if d.goes_by(doc)]
    if not found:
        files = sorted(Path(d.path).name for d in data.docs.values())
        shown = ", ".join(files[:20]) + (f" … ({len(files)} in all)" if len(files) > 20 else "")
        raise ValueError(f"no document {doc!r} in the index (id, path, file name or title); files: {shown}")
    return found


def cmd_facts(args: argparse.Namespace) -> int:
    import csv

    from qa.index.store import load

    data = load(Path(args.index))
    wanted = set(_selected_docs(data, args.doc))
    rows = [_fact_row(f) for f in data.facts if f.doc_id in wanted]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FACT_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            quals = f" [{row['qualifiers']}]" if row["qualifiers"] else ""
            print(
                f"{row['doc_id']}  {row['start']:>6}-{row['end']:<6} {str(row['figure']):>14}  "
                f"{row['label']}{' · ' + str(row['column']) if row['column'] else ''}{quals}  {row['year']}"
            )
        print(f"{len(rows)} facts", file=sys.stderr)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from qa.index.doctor import examine

    findings = examine(Path(args.index))
    for finding in findings:
        print(finding.line())
    errors = sum(f.level == "error" for f in findings)
    warnings = sum(f.level == "warn" for f in findings)
    print(f"{errors} errors, {warnings} warnings" + ("" if errors else ": the index answers as built"))
    return 1 if errors else 0


def cmd_check(args: argparse.Namespace) -> int:
    from qa.answering.check import check_facts
    from qa.index.store import load

    data = load(Path(args.index))
    for doc_id in _selected_docs(data, args.doc):
        facts = [f for f in data.facts if f.doc_id == doc_id]
        print(f"{data.docs[doc_id].title}  ({doc_id})")
        for result in check_facts(facts):
            print(f"  {result.line()}")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from qatools.generate import write_corpus

    started = time.perf_counter()
    corpus = write_corpus(args.out, args.reports, args.seed)
    print(
        f"wrote {corpus.reports} reports and {corpus.questions} questions to {args.out} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.load:
        from qatools.load import parse_load, run_load

        clients, seconds = parse_load(args.load)
        print(run_load(Path(args.index), clients, seconds).summary())
        return 0
    from qatools.bench import run

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    command = "reportqa bench " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["bench"] else "reportqa bench"
    if sizes:
        run(sizes, args.out, args.work, args.seed, args.model_up_to, args.questions, command)
    if args.formats:
        from qatools.bench_formats import MODEL_TEXTS_PER_S, write_report

        rate = MODEL_TEXTS_PER_S
        measured = args.out / "results.json"
        if sizes and measured.is_file():  # the real model's rate as this run measured it
            rate = json.loads(measured.read_text(encoding="utf-8"))["backends"][0].get("texts_per_s") or rate
        write_report(args.formats, args.seed, args.out / "formats.md", rate, command=command)
    return 0


COMMANDS = {
    "generate": cmd_generate,
    "bench": cmd_bench,
    "ingest": cmd_ingest,
    "remove": cmd_remove,
    "list": cmd_list,
    "ask": cmd_ask,
    "serve": cmd_serve,
    "facts": cmd_facts,
    "check": cmd_check,
    "eval": cmd_eval,
    "fit-ranker": cmd_fit_ranker,
    "doctor": cmd_doctor,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `reportqa facts | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if isinstance(exc, _user_problems()):
            print(f"reportqa: error: {exc}", file=sys.stderr)
            return 2
        raise


def _user_problems() -> tuple[type[Exception], ...]:
    """Errors that are the input's, printed as one line (imported only when one happens: `serve`
    starts without the index modules, which its answering process loads)."""
    from qa.index.store import IndexProblem
    from qa.ingest.load import LoadError
    from qa.interfaces.worker import EngineProblem

    return (IndexProblem, LoadError, EngineProblem, ValueError, FileNotFoundError, PermissionError)
