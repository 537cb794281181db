"""Settings shared by the library, the command line and the web API."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """How to code. Every caller builds one of these; nothing else carries options.

    Attributes:
        keep_uncertain: also return negated and hypothetical events (flagged as such).
        actor_files: extra actor dictionary files (TSV, same formats as ``data/``).
        pattern_files: extra event pattern files (TOML, same format as ``data/patterns``).
        dictionary_files: PETRARCH dictionaries (verbs, actors, agents, discards; see
            ``docs/petrarch.md``), consulted before the built-in knowledge.
        builtin: use the built-in actors and patterns (False: only the files given).
        lenient_dictionaries: skip PETRARCH dictionary lines that cannot be read (each logged
            with file and line) instead of failing.
        batch_size: articles parsed together by spaCy's ``nlp.pipe`` (at most).
        batch_chars: characters parsed together (at most; a longer article is parsed alone): the
            parser's working memory grows with the tokens it holds at once (docs/scale.md).
        max_sentence_chars: a "sentence" longer than this (a flattened table, a run of
            symbols) is blanked before parsing, so it cannot stall the parser; offsets stay valid.
        time_limit: seconds one article may spend in the coder after parsing; past it the
            article is rejected with reason ``time_limit``.
        prefilter: parse only the sentences that hold an actor candidate and an event word
            (docs/scale.md); off, every sentence is parsed.
    """

    keep_uncertain: bool = False
    actor_files: tuple[str, ...] = ()
    pattern_files: tuple[str, ...] = ()
    dictionary_files: tuple[str, ...] = ()
    builtin: bool = True
    lenient_dictionaries: bool = False
    batch_size: int = 64
    batch_chars: int = 200_000
    max_sentence_chars: int = 5_000
    time_limit: float = 30.0
    prefilter: bool = True


@dataclass(frozen=True)
class WebSettings:
    """Limits of the web API (``kautilya serve``, docs/web.md).

    Attributes:
        max_body_bytes: largest request body accepted (413 past it).
        max_query_chars: longest query string accepted (414 past it).
        max_page_size: most rows one page of a listing returns.
        max_text_chars: longest text ``POST /api/code`` codes.
        code_timeout: seconds ``POST /api/code`` waits for the coder before answering 503.
        code_time_limit: the coder's own limit, per text, after parsing (``Settings.time_limit``).
        max_periods: most periods a timeline may span (a day-by-day timeline over centuries is refused).
        allowed_hosts: the Host headers served; the loopback names by default, so that a web page
            elsewhere cannot reach a local server by rebinding its DNS name to 127.0.0.1.
    """

    max_body_bytes: int = 200_000
    max_query_chars: int = 2_000
    max_page_size: int = 500
    max_text_chars: int = 100_000
    code_timeout: float = 20.0
    code_time_limit: float = 10.0
    max_periods: int = 2_000
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")
