"""The ``kautilya`` command: parses options, builds Settings, calls the library, picks an exit code.

Exit codes: 0 every record was coded, 3 some records were rejected (see the rejects file),
2 usage errors (bad options, unreadable dictionaries, a store that cannot be opened).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from pathlib import Path

from . import __version__
from .config import Settings
from .errors import KautilyaError
from .ingest import Reject, parse_iso_date, read_inputs
from .parallel import DEFAULT_BLOCKSIZE

EXIT_OK, EXIT_USAGE, EXIT_REJECTS = 0, 2, 3
DEFAULT_STORE = "kautilya.duckdb"
STORE_SUFFIXES = (".duckdb",)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kautilya", description="News articles in, political events out.")
    parser.add_argument("--version", action="version", version=f"kautilya {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    code = commands.add_parser("code", help="code articles into events (event store, JSONL or CSV)",
                               description="Code news articles into CAMEO/PLOVER events.")
    code.add_argument("inputs", nargs="+", metavar="INPUT",
                      help=".txt, .jsonl, .jsonl.gz or .html files, directories, or - for JSONL on stdin")
    code.add_argument("-o", "--output", default=DEFAULT_STORE,
                      help=f"an event store (.duckdb; default {DEFAULT_STORE}: articles already stored are "
                           "skipped, changed ones replaced), .jsonl, .csv, or - for JSONL on stdout")
    code.add_argument("--batch-size", type=int, default=256, metavar="N",
                      help="articles written to a store per transaction (default 256)")
    code.add_argument("--progress", action="store_true",
                      help="show a progress bar even when standard error is not a terminal")
    code.add_argument("--date", help="article date YYYY-MM-DD for inputs that carry none (.txt files)")
    code.add_argument("--keep-uncertain", action="store_true",
                      help="also write negated and hypothetical events, flagged as such")
    code.add_argument("--actors", nargs="*", default=[], metavar="FILE",
                      help="extra actor files (TSV, formats as in kautilya/data)")
    code.add_argument("--patterns", nargs="*", default=[], metavar="FILE",
                      help="extra event pattern files (TOML, format as in kautilya/data/patterns)")
    code.add_argument("--table", action="store_true", help="also print a readable table on stderr")
    add_dictionary_options(code)
    code.add_argument("--no-prefilter", dest="prefilter", action="store_false",
                      help="parse every sentence (by default sentences without an actor candidate "
                           "and an event word are skipped)")
    scale = code.add_mutually_exclusive_group()
    scale.add_argument("--workers", type=int, default=1, metavar="N",
                       help="code with N processes on this machine (output in input order)")
    scale.add_argument("--cluster", metavar="ADDRESS",
                       help="code on a Dask cluster: local:N starts N local worker processes, "
                            "tcp://host:8786 joins a running scheduler; inputs .jsonl, .jsonl.gz or "
                            ".parquet (paths or fsspec URLs), -o names the Parquet output folder")
    code.add_argument("--blocksize", type=int, default=DEFAULT_BLOCKSIZE, metavar="BYTES",
                      help="with --cluster: bytes of uncompressed JSONL per partition "
                           f"(default {DEFAULT_BLOCKSIZE // 2**20} MiB; a .gz file is one partition)")

    claims = commands.add_parser("claims", help="extract attribution claims (who blames whom, on what evidence)",
                                 description="Extract attribution claims: claimant, accused, incident, "
                                             "stance (asserts, denies, declines, questions) and evidence "
                                             "(cited, lacking, unspecified).")
    claims.add_argument("inputs", nargs="+", metavar="INPUT", help="as for `kautilya code`")
    claims.add_argument("-o", "--output", default="-", help="output JSONL file (default: standard output)")
    claims.add_argument("--date", help="article date YYYY-MM-DD for inputs that carry none")

    ev = commands.add_parser("eval", help="score the coder on gold files",
                             description="Score the coder on gold files, the kind told by content: PETRARCH "
                                         "validation XML (or its JSONL form), PLOVER gold records (event "
                                         "type, source country, location country), NGEC actor-coding "
                                         "expectations (country and sector), or document pattern files "
                                         "(like shared/seed/expected_events.json).")
    ev.add_argument("gold", nargs="+", metavar="GOLD")
    ev.add_argument("--mismatches", help="write every mismatch, with its sentence, as JSONL to this file")
    ev.add_argument("--limit", type=int, help="score only the first N sentences or records")
    ev.add_argument("--actors", nargs="*", default=[], metavar="FILE", help="extra actor files")
    ev.add_argument("--patterns", nargs="*", default=[], metavar="FILE", help="extra pattern files")
    add_dictionary_options(ev)

    from .export import EXPORTERS, FLAT_TABLES

    ex = commands.add_parser("export", help="export an event store (GDELT, PLOVER, Parquet, CSV)",
                             description="Export the event clusters of a store. gdelt: the GDELT 2.0 Events "
                                         "table (61 columns, tab-separated) to OUT and its Mentions table "
                                         "(16 columns) beside it; plover: PLOVER JSONL; parquet, csv: one "
                                         "table of the store.")
    ex.add_argument("--db", required=True, help="the event store (.duckdb)")
    ex.add_argument("--format", required=True, choices=sorted(EXPORTERS))
    ex.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write")
    ex.add_argument("--table", default="clusters", choices=FLAT_TABLES,
                    help="for csv and parquet: which table (default: clusters, one row per event)")
    ex.add_argument("--header", action="store_true", help="for gdelt: write a header row (GDELT's files have none)")

    from .analytics import PERIODS

    rep = commands.add_parser("report", help="event counts, Goldstein, escalation and third parties over time",
                              description="Period-by-period report of event clusters for a dyad or an actor, "
                                          "or the most active pairs. See docs/analytics.md.")
    rep.add_argument("--db", required=True, help="the event store (.duckdb)")
    subject = rep.add_mutually_exclusive_group(required=True)
    subject.add_argument("--dyad", metavar="A-B", help="two parties, e.g. IND-PAK (either direction)")
    subject.add_argument("--actor", metavar="CODE", help="a country or actor code, e.g. RUS")
    subject.add_argument("--top-dyads", nargs="?", type=int, const=10, metavar="N",
                         help="list the N most active pairs (default 10)")
    rep.add_argument("--by", choices=PERIODS, default="week", help="period length (default week)")
    rep.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help="first event date to include")
    rep.add_argument("--to", dest="until", metavar="YYYY-MM-DD", help="last event date to include")
    rep.add_argument("--png", metavar="FILE", help="also draw the report as a PNG chart")
    srv = commands.add_parser("serve", help="the web dashboard and HTTP API over an event store",
                              description="Serve the dashboard and the HTTP API (OpenAPI description at "
                                          "/api/openapi.json) over an event store, read only. See docs/web.md.")
    srv.add_argument("--db", required=True, help="the event store (.duckdb)")
    srv.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 exposes it)")
    srv.add_argument("--port", type=int, default=8000, help="port (default 8000)")

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


def add_dictionary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dictionaries", nargs="*", default=[], metavar="FILE",
                        help="PETRARCH/TABARI dictionaries (verbs, actors, agents, discards; kind told by "
                             "name or content), consulted before the built-in ones; unreadable lines are "
                             "skipped with a warning")
    parser.add_argument("--no-builtin", dest="builtin", action="store_false",
                        help="use only the given dictionaries, actor and pattern files, not the built-in ones")


def build_settings(args: argparse.Namespace, parser: argparse.ArgumentParser, **options) -> Settings:
    """Settings from the options every coding command shares (files checked to exist)."""
    for extra in [*args.actors, *args.patterns, *args.dictionaries]:
        if not Path(extra).is_file():
            parser.error(f"no such dictionary file: {extra}")
    if not args.builtin and not (args.dictionaries or args.patterns):
        parser.error("--no-builtin needs --dictionaries or --patterns: there would be nothing to code with")
    return Settings(actor_files=tuple(args.actors), pattern_files=tuple(args.patterns),
                    dictionary_files=tuple(args.dictionaries), builtin=args.builtin,
                    lenient_dictionaries=True, **options)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Library warnings (a skipped dictionary line, a batch parsed again) reach the user.
    logging.basicConfig(format="kautilya: %(message)s", level=logging.WARNING)
    try:
        if args.command == "code":
            return run_code(args, parser)
        if args.command == "eval":
            return run_eval(args, parser)
        if args.command == "claims":
            return run_claims(args, parser)
        if args.command == "export":
            return run_export(args)
        if args.command == "report":
            return run_report(args, parser)
        if args.command == "serve":
            return run_serve(args, parser)
        if args.command == "actors":
            return run_actors_lookup(args, parser)
    except KautilyaError as exc:
        print(f"kautilya: {exc.describe()}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_USAGE


def run_code(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .ingest import count_records
    from .output import Progress, RejectWriter, print_table, rejects_path_for
    from .parallel import WorkerPool
    from .pipeline import Coder

    if args.date and parse_iso_date(args.date) is None:
        parser.error(f"--date {args.date!r} is not a date (YYYY-MM-DD)")
    to_store = args.output.lower().endswith(STORE_SUFFIXES)
    if args.cluster:
        if args.output == "-" or to_store or args.output.lower().endswith((".jsonl", ".csv")):
            parser.error("--cluster writes a folder of Parquet files: give it with -o (e.g. -o events/)")
        if args.table:
            parser.error("--table is not available with --cluster (the events stay on the workers)")
    elif not (args.output == "-" or to_store or args.output.lower().endswith((".jsonl", ".csv"))):
        parser.error(f"-o {args.output!r}: the output must end in .duckdb, .jsonl or .csv (or be -)")
    if args.workers < 1 or args.blocksize < 1:
        parser.error("--workers and --blocksize must be at least 1")
    if args.cluster and not (args.cluster.startswith("local:") and args.cluster[6:].isdigit()
                             and int(args.cluster[6:]) > 0 or "://" in args.cluster):
        parser.error(f"--cluster {args.cluster!r}: expected local:N or a scheduler address like tcp://host:8786")
    settings = build_settings(args, parser, keep_uncertain=args.keep_uncertain, prefilter=args.prefilter)
    rejects = RejectWriter(rejects_path_for(args.output))
    if args.cluster:
        return run_cluster(args, settings, rejects)
    # A pool of worker processes codes like a Coder (same code_articles), in input order.
    coder = WorkerPool(settings, args.workers) if args.workers > 1 else Coder.from_settings(settings)
    show_bar = args.progress or sys.stderr.isatty()
    shown = []
    started = time.perf_counter()
    try:
        with Progress(count_records(args.inputs) if show_bar else None, show_bar) as bar:
            def on_item(item, events, status: str) -> None:
                bar.advance()
                if status == "rejected":
                    rejects.write(item)
                elif args.table:
                    shown.extend(events)

            items = read_inputs(args.inputs, args.date)
            summary = (_code_to_store(items, args.output, coder, on_item, args.batch_size) if to_store
                       else _code_to_file(items, args.output, coder, on_item))
    finally:
        rejects.close()
        if isinstance(coder, WorkerPool):
            coder.close()
    if args.table:
        print_table(shown, file=sys.stderr)
    elapsed = time.perf_counter() - started
    summary += f" in {elapsed:.1f} s"
    if rejects.count:
        summary += f", {rejects.count} records rejected (see {rejects.path})"
    print(f"kautilya: {summary}", file=sys.stderr)
    return EXIT_REJECTS if rejects.count else EXIT_OK


def run_cluster(args: argparse.Namespace, settings: Settings, rejects) -> int:
    from .parallel import code_on_cluster

    started = time.perf_counter()
    try:
        report = code_on_cluster(args.inputs, args.output, settings, args.cluster, default_date=args.date,
                                 blocksize=args.blocksize, on_reject=rejects.write)
    finally:
        rejects.close()
    summary = (f"kautilya: {report.articles} articles coded in {report.partitions} partitions, "
               f"{report.events} events written to {report.output} in {time.perf_counter() - started:.1f} s")
    if rejects.count:
        summary += f", {rejects.count} records rejected (see {rejects.path})"
    print(summary, file=sys.stderr)
    return EXIT_REJECTS if rejects.count else EXIT_OK


def _code_to_store(items, path: str, coder, on_item, batch_size: int = 256) -> str:
    from .pipeline import code_into_store
    from .store import EventStore

    with EventStore.open(path) as store:
        run = code_into_store(items, store, coder, on_item=on_item, batch_size=max(1, batch_size))
        counts = store.counts()
    coded = run.added + run.replaced
    return (f"{run.read} articles read: {coded} coded ({run.added} new, {run.replaced} replaced), "
            f"{run.skipped} already stored; {run.events} events written; the store {path} holds "
            f"{counts.articles} articles, {counts.events} events, {counts.clusters} event clusters")


def _code_to_file(items, path: str, coder, on_item) -> str:
    from .output import EventWriter

    writer = EventWriter(path)
    articles = 0
    try:
        for item, events in coder.code_articles(items):
            if not isinstance(item, Reject):
                articles += 1
                writer.write(events)
            on_item(item, events, "rejected" if isinstance(item, Reject) else "coded")
    finally:
        writer.close()
    return f"{articles} articles coded, {writer.count} events written"


def run_claims(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .output import RejectWriter, rejects_path_for
    from .pipeline import Coder

    if args.date and parse_iso_date(args.date) is None:
        parser.error(f"--date {args.date!r} is not a date (YYYY-MM-DD)")
    if args.output.lower().endswith(".duckdb"):
        return run_code(argparse.Namespace(**{**vars(args), "keep_uncertain": False, "actors": [], "patterns": [],
                                              "table": False, "progress": False, "batch_size": 256,
                                              "prefilter": True, "workers": 1, "cluster": None,
                                              "blocksize": DEFAULT_BLOCKSIZE}), parser)
    if not (args.output == "-" or args.output.lower().endswith(".jsonl")):
        parser.error(f"-o {args.output!r}: claims are written as .jsonl, or stored with events in a .duckdb store")
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


def run_eval(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .evaluate import evaluate_file

    settings = build_settings(args, parser)
    mismatches = open(args.mismatches, "w", encoding="utf-8") if args.mismatches else None
    try:
        for gold in args.gold:
            if not Path(gold).is_file():
                raise KautilyaError("no such gold file", source=gold)
            report = evaluate_file(Path(gold), settings=settings, limit=args.limit)
            print(report.summary())
            for row in report.mismatches if mismatches else ():
                mismatches.write(json.dumps({"gold_file": gold, **row}, ensure_ascii=False) + "\n")
    finally:
        if mismatches:
            mismatches.close()
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from .export import export_store
    from .store import EventStore

    with EventStore.open(args.db, create=False) as store:
        result = export_store(store, args.format, args.output, table=args.table, header=args.header)
    print(f"kautilya: {result.summary()}", file=sys.stderr)
    return EXIT_OK


def run_report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import analytics
    from .output import print_report, print_stances, print_top_dyads
    from .store import EventStore

    since, until = (_date_option(parser, name, value) for name, value in (("--from", args.since),
                                                                           ("--to", args.until)))
    dyad = None
    if args.dyad:
        try:
            dyad = analytics.parse_dyad(args.dyad)
        except ValueError as exc:
            parser.error(str(exc))
    if args.top_dyads is not None and args.png:
        parser.error("--png draws a dyad or actor report; it does not apply to --top-dyads")
    with EventStore.open(args.db, create=False) as store:
        if args.top_dyads is not None:
            print_top_dyads(analytics.top_dyads(store, args.top_dyads, since, until))
            return EXIT_OK
        if dyad:
            report = analytics.dyad_report(store, *dyad, by=args.by, since=since, until=until)
        else:
            report = analytics.actor_report(store, args.actor, by=args.by, since=since, until=until)
    print_report(report)
    if dyad:
        with EventStore.open(args.db, create=False) as store:
            print_stances(analytics.dyad_stances(store, *dyad, by=args.by, since=since, until=until))
    if args.png:
        from .charts import plot_report

        print(f"kautilya: chart written to {plot_report(report, args.png)}", file=sys.stderr)
    return EXIT_OK


def run_serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import uvicorn

    from .config import WebSettings
    from .web import create_app

    if not 0 < args.port < 65536:
        parser.error(f"--port {args.port} is not a port number (1-65535)")
    defaults = WebSettings()
    # Requests must name the host the server was asked to listen on (or a loopback name);
    # listening on every address, the names clients use cannot be known beforehand.
    hosts = ("*",) if args.host in ("0.0.0.0", "::") else (*defaults.allowed_hosts, args.host)
    app = create_app(args.db, WebSettings(allowed_hosts=hosts))
    print(f"kautilya: serving {args.db} on http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return EXIT_OK


def _date_option(parser: argparse.ArgumentParser, name: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    parsed = parse_iso_date(value)
    if parsed is None or len(value) != 10:
        parser.error(f"{name} {value!r} is not a date (YYYY-MM-DD)")
    return dt.date.fromisoformat(parsed)


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
