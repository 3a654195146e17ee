"""Command line: build, check, ask, eval. Thin: parses flags, calls the library, prints."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ros1qa.ask.answer import Answer
from ros1qa.errors import Ros1qaError
from ros1qa.feedback import feedback_path
from ros1qa.settings import BACKENDS, BUNDLED_MODEL, Settings, settings_from_env

BROKEN_PIPE = 141  # the exit code of a command whose reader went away (128 + SIGPIPE), as shells report it


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(
        corpus_dir=Path(args.corpus), index_dir=Path(args.index), model=args.model, backend=args.backend,
        models_dir=Path(args.models),
    )


def _parser() -> argparse.ArgumentParser:
    defaults = settings_from_env(os.environ)
    parser = argparse.ArgumentParser(prog="ros1qa", description="Verbatim, cited answers from ROS1+ cancer pages.")
    parser.add_argument("--corpus", default=str(defaults.corpus_dir), help="corpus folder (env ROS1QA_CORPUS)")
    parser.add_argument("--index", default=str(defaults.index_dir), help="index folder (env ROS1QA_INDEX)")
    parser.add_argument("--model", default=defaults.model, help="model name or local path (env ROS1QA_MODEL)")
    parser.add_argument("--backend", default=defaults.backend, choices=BACKENDS,
                        help="onnx: the exported model on ONNX Runtime; torch: sentence-transformers (env ROS1QA_BACKEND)")
    parser.add_argument("--models", default=str(defaults.models_dir),
                        help="folder of ONNX exports (env ROS1QA_MODELS)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="embed the corpus and write the index (atomically)")
    commands.add_parser("check", help="say whether the index is current with the corpus, and what is stale")
    ask = commands.add_parser("ask", help="answer a question, or --jsonl questions from stdin")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    ask.add_argument("--jsonl", action="store_true", help="one question per stdin line (plain text, or a JSON object "
                     '{"question": ..., "history": [earlier messages]}) → one JSON object per line')
    evaluate = commands.add_parser("eval", help="score question sets or labelled conversations (JSONL) against baselines")
    evaluate.add_argument("file", type=Path, nargs="+", help="one or more sets, scored as one (question sets and "
                          "conversation sets apart)")
    evaluate.add_argument("--floors", type=Path, help="JSON of minimum figures; exit 1 if any is missed")
    evaluate.add_argument("--markdown", type=Path, help="also write the tables to this Markdown file")
    feedback = commands.add_parser("feedback", help="feedback that visitors chose to save in the app")
    feedback_commands = feedback.add_subparsers(dest="feedback_command", required=True)
    export = feedback_commands.add_parser("export", help="every saved feedback record as CSV")
    export.add_argument("--db", type=Path, default=feedback_path(os.environ),
                        help="feedback file (env ROS1QA_FEEDBACK)")
    export.add_argument("--output", "-o", type=Path, help="CSV file to write (default: stdout)")
    label = feedback_commands.add_parser("label", help="turn saved feedback into labelled questions beside the corpus "
                                         "(<corpus>/labelled/volunteers.jsonl), used from the next build")
    label.add_argument("--db", type=Path, default=feedback_path(os.environ), help="feedback file (env ROS1QA_FEEDBACK)")
    evaluate.add_argument("--sweep", action="store_true", help="also show abstention errors at each threshold")
    commands.add_parser("export-onnx", help="export the model once for the onnx backend (needs torch)")
    tune = commands.add_parser("tune", help="tune the bundled embedding model on the training pages' questions and "
                               "the sentences answering them (the default model; export-onnx and train after it)")
    tune.add_argument("--training-dir", type=Path, default=Path("training"), help="training pages and questions")
    tune.add_argument("--output-dir", type=Path, help="where to write the adapter (default: beside the ros1qa package)")
    train = commands.add_parser("train", help="learn the corpus-independent models from labelled data: the answer "
                                "model (across the corpus's and training/ pages) and the emergency classifier")
    train.add_argument("--training-dir", type=Path, default=Path("training"),
                       help="training pages (pages/*/), their labelled questions (questions/), messages (messages/)")
    train.add_argument("--output-dir", type=Path, help="where to write them (default: beside the ros1qa package)")
    pages = commands.add_parser("eval-pages", help="quality on pages without labelled questions of their own: "
                                "leave one page out, per page and pooled, with dense-only and BM25-only baselines")
    pages.add_argument("--training-dir", type=Path, default=Path("training"), help="training pages and questions")
    pages.add_argument("--eval-dir", type=Path, default=Path("eval"), help="held-out pages (pages/*/) and questions")
    pages.add_argument("--markdown", type=Path, help="also write the tables to this Markdown file")
    bench = commands.add_parser("bench", help="speed and scale figures, each beside a floor measured in the same run")
    bench.add_argument("--quick", action="store_true", help="CI-sized: no 1M-unit corpus, fewer repetitions")
    bench.add_argument("--markdown", type=Path, help="also write the tables to this Markdown file")
    return parser


def _print_answer(answer: Answer, out: TextIO) -> None:
    if answer.status != "answered":
        print(answer.message, file=out)
        return
    for number, quote in enumerate(answer.quotes, start=1):
        if number == 2:
            print("Also relevant:\n", file=out)
        for line in quote.text.splitlines():
            print(f"  > {line}" if line.strip() else "  >", file=out)
        print(f"  — {quote.citation}\n", file=out)


def _ask(settings: Settings, args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from ros1qa.jsonl import Replayer, read_line
    from ros1qa.service import open_engine

    if not args.jsonl and args.question is None:
        print("Give a question, e.g.: ros1qa ask \"Is immunotherapy used first for ROS1+ cancer?\"", file=sys.stderr)
        return 2
    engine = open_engine(settings)
    if not args.jsonl:
        _print_answer(engine.ask(args.question), out)
        return 0
    replayer = Replayer(lambda question, earlier: engine.respond(question, earlier)[0])
    for text in stdin:
        line = read_line(text)
        if line.question.strip():
            print(replayer.ask(line).to_jsonl(), file=out, flush=True)
    return 0


def _build(settings: Settings, out: TextIO) -> int:
    from ros1qa.index.indexing import build_index
    from ros1qa.service import make_embedder

    report = build_index(settings, make_embedder(settings), progress=True)
    counts = report.manifest["counts"]
    print(
        f"Built index {report.manifest['build_id']} in {settings.index_dir}: {counts['documents']} documents, "
        f"{counts['passages']} passages, {report.units} search units ({report.embedded} texts embedded and "
        f"{report.pieces_read} read into word pieces, the rest reused), vectors: {report.manifest['vectors']['type']}",
        file=out,
    )
    _print_labelled(report.manifest, out)
    return 0


def _print_labelled(manifest: dict, out: TextIO) -> None:
    """What the corpus's labelled questions cover in a build, and each one it could not use, with why."""
    summary = manifest.get("labelled_questions")
    if summary is None:
        print("Labelled questions: none in the corpus's labelled/ folder (pages are judged by the answer model alone).",
              file=out)
        return
    print(f"Labelled questions used: {summary['answerable']} answerable, {summary['unanswerable']} unanswerable; "
          f"lost: {len(summary['lost'])}", file=out)
    for lost in summary["lost"]:
        print(f"  - lost {lost['id']}: {lost['reason']}", file=out)


def _check(settings: Settings, out: TextIO) -> int:
    from ros1qa.index.indexing import stale_reasons
    from ros1qa.index.store import read_manifest

    reasons = stale_reasons(settings)
    if not reasons:
        print(f"Index in {settings.index_dir} is current.", file=out)
        _print_labelled(read_manifest(settings.index_dir), out)
        return 0
    print(f"Index in {settings.index_dir} is out of date:", file=out)
    for reason in reasons:
        print(f"  - {reason}", file=out)
    print("Rebuild it with: ros1qa build", file=out)
    return 1


def _feedback_export(args: argparse.Namespace, out: TextIO) -> int:
    import io

    from ros1qa.feedback import FeedbackStore

    text = io.StringIO()
    count = FeedbackStore(args.db).export_csv(text)  # raises before anything is written if there is no file
    if args.output is None:
        out.write(text.getvalue())
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text.getvalue(), encoding="utf-8")
    print(f"Exported {count} feedback record{'' if count == 1 else 's'} from {args.db}", file=sys.stderr)
    return 0


def _feedback_label(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from ros1qa.feedback import FeedbackStore
    from ros1qa.marking import labels_from_feedback, write_labels

    labels = labels_from_feedback(FeedbackStore(args.db).rows())
    written = write_labels(settings.corpus_dir, labels)
    print(f"Added {written.added} labelled question{'' if written.added == 1 else 's'} from {args.db} to "
          f"{written.path} ({written.replaced} replaced earlier marks); used from the next: ros1qa build", file=out)
    return 0


def _eval(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    from ros1qa.index.labels import load_question_file
    from ros1qa.learning import conversation_scores, evaluation
    from ros1qa.service import open_engine

    talking = {file: conversation_scores.is_conversation_file(file) for file in args.file}
    talks = [c for file in args.file if talking[file] for c in conversation_scores.load_conversations(file)]
    questions = tuple(q for file in args.file if not talking[file] for q in load_question_file(file))
    engine = open_engine(settings)
    failures: list[str] = []
    tables: list[str] = []  # Markdown, for --markdown
    if questions:
        results = evaluation.evaluate_modes(engine, questions)
        print(evaluation.format_table(results), file=out)
        tables.append(evaluation.format_table(results, markdown=True))
        print("missed (hybrid): " + (", ".join(results["hybrid"].misses) or "none"), file=out)
        if args.sweep:
            current = settings.retrieval.min_confidence
            thresholds = [current + step / 100 for step in range(-20, 21, 2)]
            rows = evaluation.sweep_thresholds(evaluation.best_confidences(engine, questions), thresholds)
            print(evaluation.format_sweep(rows, current), file=out)
        if args.floors:
            failures = evaluation.check_floors(results["hybrid"], json.loads(args.floors.read_text(encoding="utf-8")))
    if talks:
        turns = conversation_scores.evaluate_conversation_modes(engine, talks)
        counts = f"{len(talks)} conversations, {len(turns['hybrid'])} turns"
        print(counts, conversation_scores.format_conversation_table(turns), sep="\n", file=out)
        tables.append(counts + "\n\n" + conversation_scores.format_conversation_table(turns, markdown=True))
        missed = [f"{r.conversation}#{r.position + 1}" for r in turns["hybrid"] if not r.right]
        print("missed turns (hybrid): " + (", ".join(missed) or "none"), file=out)
    if args.markdown:
        _write_markdown(args.markdown, "ros1qa eval " + " ".join(str(f) for f in args.file), "\n\n".join(tables),
                        f" (index {settings.index_dir}, model {settings.model})")
    for failure in failures:
        print(f"BELOW FLOOR: {failure}", file=out)
    return 1 if failures else 0


def _export_onnx(settings: Settings, out: TextIO) -> int:
    from ros1qa.index.onnx_export import export_folder, export_onnx

    folder = export_folder(settings.models_dir, settings.model)
    described = export_onnx(settings.model, folder)
    print(f"Exported {described['model']} to {folder} (sha256 {described['onnx_sha256'][:12]}…)", file=out)
    return 0


def _tune(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    import tempfile

    from ros1qa.index.tuning import TUNING_DIR
    from ros1qa.learning import embedding_tuning

    with tempfile.TemporaryDirectory(prefix="ros1qa-tune-") as work:
        pairs = embedding_tuning.training_pairs(settings.corpus_dir, args.training_dir, settings, Path(work))
    destination = args.output_dir / TUNING_DIR.name if args.output_dir else TUNING_DIR
    tuned = embedding_tuning.tune(pairs, destination, threads=settings.threads)
    print(f"Tuned {BUNDLED_MODEL} on {tuned.pairs} questions about {len(tuned.pages)} pages ({tuned.steps} steps, "
          f"last loss {tuned.final_loss:.3f}); wrote {destination}", file=out)
    folds = embedding_tuning.fold_tunings(pairs, settings.models_dir / embedding_tuning.FOLDS_DIR,
                                          threads=settings.threads)
    print(f"Cross-fitted tunings for ros1qa train and eval-pages, one for each of {len(folds)} page groups, each "
          f"without that group's questions: {next(iter(folds.values())).parent}. Next: ros1qa export-onnx, "
          "ros1qa train", file=out)
    return 0


def _train(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    import tempfile
    from dataclasses import replace

    from ros1qa.ask import conversation, highlight, lead, small_talk
    from ros1qa.ask.answer_model import MODEL_FILE, save_answer_model
    from ros1qa.ask.query_adapter import ADAPTER_FILE, save_adapter
    from ros1qa.index.classifier import save_network
    from ros1qa.index.examples import SCALE_FILE, save_scale
    from ros1qa.index.labels import labelled_files
    from ros1qa.learning import embedding_tuning, example_scale, learning
    from ros1qa.learning.conversation_scores import conversations_in
    from ros1qa.safety import urgency
    from ros1qa.service import make_embedder, open_engine

    def target(shipped: Path) -> Path:
        return args.output_dir / shipped.name if args.output_dir else shipped

    engine = open_engine(settings)  # its model reads everything below
    if settings.model == BUNDLED_MODEL:  # its own thresholds hold
        target(SCALE_FILE).unlink(missing_ok=True)
    else:  # before the training worlds are built: builds read the package's file
        bundled = make_embedder(replace(settings, model=BUNDLED_MODEL, backend="torch"))
        scale = example_scale.learn_scale(labelled_files(args.training_dir / "messages"), engine.embedder, bundled)
        save_scale(scale, settings.model, target(SCALE_FILE))
        print(f"Example questions' scale: alike from cosine {scale.floor}, a verdict from {scale.verdict}, the same "
              f"question from {scale.same_question} (the bundled model's carried over); wrote {target(SCALE_FILE)}",
              file=out)
    messages = urgency.message_files(settings.corpus_dir, args.training_dir)
    classifier = urgency.train_from(messages, engine.vectors, settings.model)
    save_network(classifier, target(urgency.CLASSIFIER_FILE))
    print(f"Emergency classifier: trained on {classifier.examples} messages; wrote {target(urgency.CLASSIFIER_FILE)}",
          file=out)
    chat = small_talk.train_small_talk(messages, engine.vectors, settings.model)  # conversations among them
    small_talk.save_small_talk(chat, target(small_talk.MODEL_FILE))
    print(f"Small-talk model: trained on {chat.examples} messages; wrote {target(small_talk.MODEL_FILE)}", file=out)
    with tempfile.TemporaryDirectory(prefix="ros1qa-train-") as work:
        worlds = embedding_tuning.training_worlds(settings.corpus_dir, args.training_dir, settings, engine.embedder,
                                                  Path(work))
        adapters = learning.learn_adapters(worlds, settings.corpus_dir, settings.model)
        conversations = conversations_in(args.training_dir / "conversations")
        rows = learning.rows_of(worlds, "page", adapters, learning.alone_turns(conversations))
        model = learning.train_on(rows, settings.model, settings.retrieval.shown)
        highlighter = learning.train_highlighter(rows, settings.model)
        leader = learning.train_leader(rows, highlighter, settings.model)
        turns = learning.follow_up_rows(worlds, conversations, model, chat, adapters, highlighter, leader)
        follow_up = learning.train_follow_up(turns, settings.model)
        left_out = learning.follow_up_left_out(turns, settings.model)
    if adapters is None:  # the tuned model's tuning learned it
        target(ADAPTER_FILE).unlink(missing_ok=True)
        print("Query adapter: none for the tuned model (its tuning learned from the same questions)", file=out)
    else:
        save_adapter(adapters.shipped, target(ADAPTER_FILE))
        print(f"Query adapter: learned from {adapters.shipped.questions} questions about "
              f"{len(adapters.shipped.pages)} pages; wrote {target(ADAPTER_FILE)}", file=out)
    save_answer_model(model, target(MODEL_FILE))
    print(f"Answer model: trained on {model.questions} questions about {len(model.pages)} pages "
          f"({sum(r.turn for r in learning.learned_from(rows))} of them conversations' self-contained turns); wrote "
          f"{target(MODEL_FILE)}", file=out)
    save_answer_model(highlighter, target(highlight.MODEL_FILE))
    print(f"Highlight selector: trained on the sentences of the passages answering {len(highlighter.pages)} questions; "
          f"wrote {target(highlight.MODEL_FILE)}", file=out)
    if leader is not None:
        save_answer_model(leader, target(lead.MODEL_FILE))
        print(f"Lead judgement: trained on {leader.questions} pairs of passages shown for questions about "
              f"{len(leader.pages)} pages; wrote {target(lead.MODEL_FILE)}", file=out)
    else:  # no question had passages shown that differ in answering it: the first passage always leads
        target(lead.MODEL_FILE).unlink(missing_ok=True)
        print("Lead judgement: nothing to learn from (the first passage leads)", file=out)
    save_answer_model(follow_up, target(conversation.MODEL_FILE))
    print(f"Follow-up model: trained on {follow_up.questions} turns about {len(follow_up.pages)} pages; wrote "
          f"{target(conversation.MODEL_FILE)}; each page left out in turn, {left_out:.3f} of turns read as labelled",
          file=out)
    return 0


def _eval_pages(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    import tempfile

    from ros1qa.learning import cross_pages, embedding_tuning, learning
    from ros1qa.learning.conversation_scores import conversations_in
    from ros1qa.service import make_embedder, open_engine

    embedder = make_embedder(settings)
    with tempfile.TemporaryDirectory(prefix="ros1qa-eval-") as work:
        # Training pages read as ros1qa train reads them: by a tuning that never saw their questions.
        training = embedding_tuning.training_worlds(settings.corpus_dir, args.training_dir, settings, embedder,
                                                    Path(work) / "training")
        # Held-out pages meet only the corpus's labelled questions, as a page added to the corpus would.
        held = learning.open_worlds(settings.corpus_dir, learning.page_groups(args.eval_dir / "pages"),
                                    [args.eval_dir / "questions"], settings, embedder, Path(work) / "eval")
        # The query adapter as ros1qa train learns it: each training page examined with one that never saw it.
        adapters = learning.learn_adapters(training, settings.corpus_dir, settings.model)
        own = learning.corpus_pages(settings.corpus_dir)
        # The models learn from the training conversations' self-contained turns too, as ros1qa train's do.
        turns = learning.alone_turns(conversations_in(args.training_dir / "conversations"))
        tables = cross_pages.report(training, held, own, settings.model, cross_pages.learn, adapters, turns)
        talks = conversations_in(args.eval_dir / "conversations")
        # Each held-out world with every learned part ros1qa ships, as a volunteer's corpus with those pages added.
        engines = [learning.as_added(open_engine(learning.world_settings(world.corpus, settings), embedder=embedder),
                                     world, settings.corpus_dir) for world in held]
        tables = "\n\n".join(filter(None, [tables, cross_pages.conversation_report(engines, talks, own)]))
    print(tables, file=out)
    if args.markdown:
        _write_markdown(args.markdown, "ros1qa eval-pages", tables, f" (model {settings.model})")
    return 0


def _write_markdown(path: Path, command: str, text: str, detail: str = "") -> None:
    """Tables for docs/, stamped with the command and the date that made them."""
    import datetime

    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"Written by `{command}` on {datetime.date.today().isoformat()}{detail}."
    path.write_text(f"{stamp}\n\n{text}\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    out = out or sys.stdout
    settings = _settings(args)
    try:
        if args.command == "build":
            return _build(settings, out)
        if args.command == "check":
            return _check(settings, out)
        if args.command == "ask":
            return _ask(settings, args, stdin or sys.stdin, out)
        if args.command == "feedback":
            return _feedback_label(settings, args, out) if args.feedback_command == "label" else _feedback_export(args, out)
        if args.command == "export-onnx":
            return _export_onnx(settings, out)
        if args.command == "tune":
            return _tune(settings, args, out)
        if args.command == "train":
            return _train(settings, args, out)
        if args.command == "eval-pages":
            return _eval_pages(settings, args, out)
        if args.command == "bench":
            from ros1qa.bench.run import bench_report

            report = bench_report(settings, args.quick, sys.stderr)
            print(report.text(), file=out)
            if args.markdown:
                _write_markdown(args.markdown, f"ros1qa bench{' --quick' if args.quick else ''}", report.markdown(),
                                f" (model {settings.model}, {settings.backend})")
            return 0
        return _eval(settings, args, out)
    except Ros1qaError as exc:
        print(f"ros1qa: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (``ros1qa check | head``): stop quietly, as other tools do
        if out is sys.stdout:  # Python would flush stdout again at exit and complain; send the rest nowhere
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE


if __name__ == "__main__":
    raise SystemExit(main())
