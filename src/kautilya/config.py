"""Settings shared by the library, the command line and (later) the web API."""

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
        batch_size: articles parsed together by spaCy's ``nlp.pipe``.
        max_sentence_chars: a "sentence" longer than this (a flattened table, a run of
            symbols) is blanked before parsing, so it cannot stall the parser; offsets stay valid.
        time_limit: seconds one article may spend in the coder after parsing; past it the
            article is rejected with reason ``time_limit``.
    """

    keep_uncertain: bool = False
    actor_files: tuple[str, ...] = ()
    pattern_files: tuple[str, ...] = ()
    dictionary_files: tuple[str, ...] = ()
    builtin: bool = True
    lenient_dictionaries: bool = False
    batch_size: int = 64
    max_sentence_chars: int = 5_000
    time_limit: float = 30.0
