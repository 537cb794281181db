"""The ``kautilya`` command: parses options, builds Settings, calls the library, picks an exit code.

Exit codes: 0 every record was coded, 3 some records were rejected (see the rejects file),
2 usage errors (bad options, unreadable dictionaries).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import KautilyaError
from .ingest import Reject, parse_iso_date, read_inputs

EXIT_OK, EXIT_USAGE, EXIT_REJECTS = 0, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kautilya", description="News articles in, political events out.")
    parser.add_argument("--version", action="version", version=f"kautilya {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    code = commands.add_parser("code", help="code articles into events (JSONL or CSV)",
                               description="Code news articles into CAMEO/PLOVER events.")
    code.add_argument("inputs", nargs="+", metavar="INPUT",
                      help=".txt, .jsonl, .jsonl.gz or .html files, directories, or - for JSONL on stdin")
    code.add_argument("-o", "--output", default="-",
                      help="output file: .jsonl (default; - for stdout) or .csv")
    code.add_argument("--date", help="article date YYYY-MM-DD for inputs that carry none (.txt files)")
    code.add_argument("--keep-uncertain", action="store_true",
                      help="also write negated and hypothetical events, flagged as such")
    code.add_argument("--actors", nargs="*", default=[], metavar="FILE",
                      help="extra actor files (TSV, formats as in kautilya/data)")
    code.add_argument("--patterns", nargs="*", default=[], metavar="FILE",
                      help="extra event pattern files (TOML, format as in kautilya/data/patterns)")
    code.add_argument("--table", action="store_true", help="also print a readable table on stderr")

    claims = commands.add_parser("claims", help="extract attribution claims (who blames whom, on what evidence)",
                                 description="Extract attribution claims: claimant, accused, incident, "
                                             "stance (asserts, denies, declines, questions) and evidence "
                                             "(cited, lacking, unspecified).")
    claims.add_argument("inputs", nargs="+", metavar="INPUT", help="as for `kautilya code`")
    claims.add_argument("-o", "--output", default="-", help="output JSONL file (default: standard output)")
    claims.add_argument("--date", help="article date YYYY-MM-DD for inputs that carry none")

    ev = commands.add_parser("eval", help="score the coder on gold files",
                             description="Score the coder on gold files: PETRARCH validation XML (or its "
                                         "JSONL form), PLOVER gold records, or document pattern files "
                                         "(like shared/seed/expected_events.json).")
    ev.add_argument("gold", nargs="+", metavar="GOLD")
    ev.add_argument("--mismatches", help="write every mismatch, with its sentence, as JSONL to this file")
    ev.add_argument("--limit", type=int, help="score only the first N sentences or records")
    ev.add_argument("--actors", nargs="*", default=[], metavar="FILE", help="extra actor files")
    ev.add_argument("--patterns", nargs="*", default=[], metavar="FILE", help="extra pattern files")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "code":
            return run_code(args, parser)
        if args.command == "eval":
            return run_eval(args)
        if args.command == "claims":
            return run_claims(args, parser)
    except KautilyaError as exc:
        print(f"kautilya: {exc.describe()}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_USAGE


def run_code(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .output import EventWriter, RejectWriter, print_table, rejects_path_for
    from .pipeline import Coder

    if args.date and parse_iso_date(args.date) is None:
        parser.error(f"--date {args.date!r} is not a date (YYYY-MM-DD)")
    if not (args.output == "-" or args.output.lower().endswith((".jsonl", ".csv"))):
        parser.error(f"-o {args.output!r}: the output must end in .jsonl or .csv (or be -)")
    for extra in [*args.actors, *args.patterns]:
        if not Path(extra).is_file():
            parser.error(f"no such dictionary file: {extra}")
    settings = Settings(keep_uncertain=args.keep_uncertain, actor_files=tuple(args.actors),
                        pattern_files=tuple(args.patterns))
    coder = Coder.from_settings(settings)
    writer = EventWriter(args.output)
    rejects = RejectWriter(rejects_path_for(args.output))
    articles = 0
    shown = []
    try:
        for item, events in coder.code_articles(read_inputs(args.inputs, args.date)):
            if isinstance(item, Reject):
                rejects.write(item)
                continue
            articles += 1
            writer.write(events)
            if args.table:
                shown.extend(events)
    finally:
        writer.close()
        rejects.close()
    if args.table:
        print_table(shown, file=sys.stderr)
    summary = f"kautilya: {articles} articles coded, {writer.count} events written"
    if rejects.count:
        summary += f", {rejects.count} records rejected (see {rejects.path})"
    print(summary, file=sys.stderr)
    return EXIT_REJECTS if rejects.count else EXIT_OK


def run_claims(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .output import RejectWriter, rejects_path_for
    from .pipeline import Coder

    if args.date and parse_iso_date(args.date) is None:
        parser.error(f"--date {args.date!r} is not a date (YYYY-MM-DD)")
    if not (args.output == "-" or args.output.lower().endswith(".jsonl")):
        parser.error(f"-o {args.output!r}: claims are written as .jsonl (or - for standard output)")
    coder = Coder.from_settings(Settings())
    rejects = RejectWriter(rejects_path_for(args.output))
    handle = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    written = articles = 0
    try:
        for item, _, claims in coder.analyse_articles(read_inputs(args.inputs, args.date)):
            if isinstance(item, Reject):
                rejects.write(item)
                continue
            articles += 1
            for claim in claims:
                handle.write(json.dumps(claim.to_record(), ensure_ascii=False) + "\n")
                written += 1
    finally:
        if handle is not sys.stdout:
            handle.close()
        rejects.close()
    print(f"kautilya: {articles} articles read, {written} claims written", file=sys.stderr)
    return EXIT_REJECTS if rejects.count else EXIT_OK


def run_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_file

    settings = Settings(actor_files=tuple(args.actors), pattern_files=tuple(args.patterns))
    mismatches = open(args.mismatches, "w", encoding="utf-8") if args.mismatches else None
    try:
        for gold in args.gold:
            report = evaluate_file(Path(gold), settings=settings, limit=args.limit)
            print(report.summary())
            for row in report.mismatches if mismatches else ():
                mismatches.write(json.dumps({"gold_file": gold, **row}, ensure_ascii=False) + "\n")
    finally:
        if mismatches:
            mismatches.close()
    return EXIT_OK
