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

    ev = commands.add_parser("eval", help="score the coder on a gold file",
                             description="Score the coder on gold files; the kind is told by content: a "
                                         "document-level pattern file (like shared/seed/expected_events.json), "
                                         "PLOVER gold records (location country of events), or actor-coding "
                                         "expectations (JSONL with method/args/expect: country and sector).")
    ev.add_argument("gold", nargs="+", metavar="GOLD")
    ev.add_argument("--text", help="the article text file (default: the gold file's 'doc' beside it)")
    ev.add_argument("--mismatches", help="write every mismatch as JSONL to this file")

    actors = commands.add_parser("actors", help="inspect the actor dictionary",
                                 description="Inspect how names, titles and descriptions resolve.")
    actor_commands = actors.add_subparsers(dest="actors_command", required=True)
    lookup = actor_commands.add_parser("lookup", help="show how a name or title resolves on a date",
                                       description="Show how a name, title or description resolves: "
                                                   "country, sector, CAMEO code, and the office and term "
                                                   "behind it (\"Khawaja Asif\", \"Pakistani Prime Minister\").")
    lookup.add_argument("name", metavar="NAME")
    lookup.add_argument("--date", help="the day it is read on, YYYY-MM-DD (default: the latest term)")
    lookup.add_argument("--actors", nargs="*", default=[], metavar="FILE", help="extra actor files (TSV)")
    lookup.add_argument("--json", action="store_true", help="print JSON instead of a line per actor")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "code":
            return run_code(args, parser)
        if args.command == "eval":
            return run_eval(args)
        if args.command == "actors":
            return run_actors_lookup(args, parser)
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


def run_eval(args: argparse.Namespace) -> int:
    from .evaluate import score_gold_file

    worst = EXIT_OK
    for gold in args.gold:
        if not Path(gold).is_file():
            raise KautilyaError("no such gold file", source=gold)
        report = score_gold_file(Path(gold), text_path=Path(args.text) if args.text else None)
        print(report.summary())
        if args.mismatches:
            with open(args.mismatches, "a", encoding="utf-8") as handle:
                for row in report.mismatches:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return worst


def run_actors_lookup(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .actors import ActorDictionary, default_dictionary, lookup_actor

    if args.date and parse_iso_date(args.date) is None:
        parser.error(f"--date {args.date!r} is not a date (YYYY-MM-DD)")
    for extra in args.actors:
        if not Path(extra).is_file():
            parser.error(f"no such dictionary file: {extra}")
    book = ActorDictionary.load(args.actors) if args.actors else default_dictionary()
    found = lookup_actor(args.name, args.date, book=book)
    if args.json:
        print(json.dumps([r.to_record() for r in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    for resolution in found:
        print(resolution.describe())
    return EXIT_OK
