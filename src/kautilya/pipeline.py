"""From articles to events: the stages chained, for one text, a stream of articles, or a batch job.

``code_articles`` takes and yields plain iterables so that the same function serves a loop,
a process pool or a Dask partition.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Generator, Iterable, Iterator

from spacy.tokens import Doc, Span

from . import __version__
from .actors import ActorDictionary, ActorResolver, default_dictionary
from .attribution import default_agreements, default_claims, find_claims
from .coding import Candidate, PatternBook, code_sentence, default_patterns
from .config import Settings
from .dates import event_date
from .errors import CodingError
from .geo import EventLocator, load_gazetteer
from .ingest import Reject
from .nlp import load_pipeline, model_version
from .ontology import describe_code
from .petrarch import Discards, use_dictionaries
from .prefilter import KeptText, PreFilter
from .schema import Article, Claim, Event

if TYPE_CHECKING:
    from .store import EventStore

log = logging.getLogger(__name__)

Analysis = tuple[list[Event], list[Claim]]  # one article's events and attribution claims


@dataclass
class Coder:
    """The loaded parts of the coder: parser, actor dictionary and event patterns."""

    settings: Settings
    actors: ActorDictionary
    patterns: PatternBook
    discards: Discards | None = None  # sentences and stories not to code (PETRARCH discard lists)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Coder":
        settings = settings or Settings()
        own_actors = settings.actor_files or settings.dictionary_files or not settings.builtin
        actors = (ActorDictionary.load(settings.actor_files, builtin=settings.builtin) if own_actors
                  else default_dictionary())
        patterns = (PatternBook.load(settings.pattern_files, builtin=settings.builtin)
                    if settings.pattern_files or not settings.builtin else default_patterns())
        discards = None
        if settings.dictionary_files:
            patterns, discards = use_dictionaries(settings.dictionary_files, actors, patterns, load_pipeline(),
                                                  lenient=settings.lenient_dictionaries)
        return cls(settings, actors, patterns, discards)

    @property
    def nlp(self):
        return load_pipeline()

    @cached_property
    def prefilter(self) -> PreFilter:
        """Which sentences the parser must see: those with an actor candidate and a trigger word of
        an event pattern or an attribution claim."""
        return PreFilter(self.nlp, self.actors, (self.patterns, default_claims()))

    @property
    def filters(self) -> bool:
        """Whether the pre-filter is used: it knows the built-in kinds of knowledge, not PETRARCH
        dictionaries."""
        return self.settings.prefilter and not self.settings.dictionary_files

    def dictionary_version(self) -> str:
        return self._dictionary_version

    @cached_property
    def _dictionary_version(self) -> str:  # asked for every article: built once
        return f"{self.actors.version};{self.patterns.version};{model_version(self.nlp)}"

    def code_doc(self, article: Article, doc: Doc) -> list[Event]:
        """Code one parsed article into events."""
        return self.analyse(article, doc)[0]

    def analyse(self, article: Article, doc: Doc, kept: KeptText | None = None) -> tuple[list[Event], list[Claim]]:
        """Code one parsed article: its events (with the agreements each sentence invokes) and its
        attribution claims. Sentences and articles a discard list names are not coded.

        ``kept``: the Doc is the parse of the pre-filter's kept passages (same offsets as the
        article); sentence indices then count the dropped sentences too.
        """
        result = self._analyse_together({0: self._analysis(article, doc, kept)})[0]
        if isinstance(result, Exception):
            raise result
        return result

    def _analysis(self, article: Article, doc: Doc, kept: KeptText | None) -> Generator[Span, None, Analysis]:
        """``analyse`` as a generator: it yields each sentence whose named entities it needs and
        goes on once ``_analyse_together`` has recognised them, so that the entity recognizer
        runs over the sentences of many articles at once."""
        # A discard phrase anywhere in the story counts, also in a sentence the pre-filter dropped.
        if self.discards and self.discards.hits_story(article.text if kept else doc.text):
            return [], []
        started, waited = time.monotonic(), 0.0
        resolver = ActorResolver(self.actors, self.nlp, doc, article.date)
        if kept:
            resolver.note_countries(kept.country_mentions(doc))
        locator = EventLocator(load_gazetteer(), doc, resolver.country_tokens(), resolver.actor_tokens())
        events: list[Event] = []
        claims: list[Claim] = []
        recalled: set[tuple] = set()
        # A pre-filtered parse comes without named entities: they are recognised only in the
        # sentences that turn out to hold an event or a claim, which are then coded again.
        entities_later = not doc.has_annotation("ENT_IOB")
        for position, sent in enumerate(_sentences(doc)):
            index = kept.sentence_index(position, sent.start_char) if kept else position
            if time.monotonic() - started - waited > self.settings.time_limit:
                raise CodingError(f"time limit of {self.settings.time_limit:g} s exceeded at sentence {index}",
                                  record=article.id, reason_code="time_limit")
            start, end, text = _trimmed(sent)
            if self.discards and self.discards.hits_sentence(text):
                resolver.scan_sentence(sent, index)
                continue
            if entities_later:
                if kept and not self.prefilter.may_trigger(sent):
                    resolver.scan_sentence(sent, index)  # kept for the actors it names
                    continue
                before = resolver.checkpoint()
                if not self._holds_something(article, sent, index, resolver, locator, events):
                    continue
                paused = time.monotonic()
                yield sent  # (the time spent on other articles meanwhile is not this one's)
                waited += time.monotonic() - paused
                locator.forget(sent, resolver.entities_recognised(sent))
                resolver.restore(before)
            claims.extend(self._code_sentence(article, sent, index, resolver, locator, recalled, events))
        return _unique(events), claims

    def _analyse_together(self, analyses: dict[int, Generator[Span, None, Analysis]]
                          ) -> dict[int, Analysis | Exception]:
        """Run ``_analysis`` generators side by side: each round recognises the entities of the
        sentence every one of them waits on in one batch. Returns each one's result, or the
        exception it raised (one article's failure stops only that article)."""
        results: dict[int, Analysis | Exception] = {}
        waiting: dict[int, Span] = {}

        def advance(key: int) -> None:
            try:
                waiting[key] = next(analyses[key])
            except StopIteration as done:
                results[key] = done.value
            except Exception as exc:  # noqa: BLE001 - handed back to the caller
                results[key] = exc

        for key in analyses:
            advance(key)
        while waiting:
            asked = list(waiting.items())
            waiting.clear()
            failed: dict[int, Exception] = {}
            try:
                self._recognise_entities([sent for _, sent in asked])
            except Exception:  # noqa: BLE001 - one sentence at a time, to find the one that fails
                for key, sent in asked:
                    try:
                        self._recognise_entities([sent])
                    except Exception as exc:  # noqa: BLE001 - only that article fails
                        failed[key] = exc
            for key, _ in asked:
                if key in failed:
                    analyses[key].close()
                    results[key] = failed[key]
                else:
                    advance(key)
        return results

    def _holds_something(self, article: Article, sent: Span, index: int, resolver: ActorResolver,
                         locator: EventLocator, earlier: list[Event]) -> bool:
        """Whether a sentence yields an event or a claim, found without placing, dating or building
        them: the first look at a sentence whose named entities are not known yet."""
        resolver.scan_sentence(sent, index)
        if any(self._candidates(sent, resolver, locator)):
            return True
        return bool(find_claims(sent, index, resolver, default_claims(), article.id, article.date, _trimmed(sent),
                                earlier))

    def _candidates(self, sent: Span, resolver: ActorResolver, locator: EventLocator) -> Iterator[Candidate]:
        """The sentence's coded events, without the negated and hypothetical ones unless kept."""
        for candidate in code_sentence(sent, resolver, self.patterns, locator):
            if self.settings.keep_uncertain or not (candidate.negated or candidate.hypothetical):
                yield candidate

    def _code_sentence(self, article: Article, sent: Span, index: int, resolver: ActorResolver,
                       locator: EventLocator, recalled: set[tuple], events: list[Event]) -> list[Claim]:
        """Code one sentence: its events are added to ``events`` (the article's so far), its
        claims returned."""
        resolver.scan_sentence(sent, index)
        start, end, text = _trimmed(sent)
        sentence_events = []
        for candidate in self._candidates(sent, resolver, locator):
            entry = describe_code(candidate.cameo)
            trig = candidate.trigger
            placement = locator.locate(trig)
            location = placement.place.to_location() if placement else None
            if trig.pos_ in ("NOUN", "PROPN") and location is not None:
                # "the Pahalgam attack", named again and again, is one event.
                key = (entry.code[:2], _code(candidate.source), _code(candidate.target), location.name,
                       location.country)
                if key in recalled:
                    continue
                recalled.add(key)
            when = event_date(trig, article.date, background=candidate.background)
            sentence_events.append(Event(
                doc_id=article.id, sentence_index=index, sentence=text, char_start=start, char_end=end,
                date=when.date, date_precision=when.precision, article_date=article.date,
                location=location, source=candidate.source, target=candidate.target,
                cameo=entry.code, cameo_name=entry.name, quad_class=entry.quad_class,
                goldstein=entry.goldstein, plover=entry.plover, trigger=trig.text,
                trigger_start=trig.idx, trigger_end=trig.idx + len(trig), pattern_id=candidate.pattern.id,
                confidence=candidate.confidence, negated=candidate.negated,
                hypothetical=candidate.hypothetical, coder_version=__version__,
                dictionary_version=self.dictionary_version(), origin=article.origin,
            ))
        if sentence_events:
            invoked = [a.to_record() for a in default_agreements().find(self.nlp, sent)]
            for event in sentence_events:
                event.agreements = invoked
        events.extend(sentence_events)
        return find_claims(sent, index, resolver, default_claims(), article.id, article.date, (start, end, text), events)

    def _recognise_entities(self, sentences: list[Span]) -> None:
        """Run the entity recognizer over sentences of Docs parsed without it."""
        # A fresh Doc of the words is all the recognizer reads (it has its own embedding), and
        # is much quicker to make than ``Span.as_doc``.
        words = [Doc(sent.doc.vocab, words=[t.text for t in sent], spaces=[bool(t.whitespace_) for t in sent])
                 for sent in sentences]
        for sent, found in zip(sentences, self.nlp.get_pipe("ner").pipe(words, batch_size=len(words))):
            doc = sent.doc
            doc.set_ents([Span(doc, sent.start + e.start, sent.start + e.end, label=e.label) for e in found.ents],
                         default="unmodified")

    def code_articles(self, articles: Iterable[Article | Reject]) -> Iterator[tuple[Article | Reject, list[Event]]]:
        """Yield (article, its events) for each article, and (reject, []) for each bad record.

        One article that fails in the parser or the coder becomes a Reject; the batch goes on.
        """
        for item, events, _ in self.analyse_articles(articles):
            yield item, events

    def analyse_articles(self, articles: Iterable[Article | Reject]
                         ) -> Iterator[tuple[Article | Reject, list[Event], list[Claim]]]:
        """Like ``code_articles``, with each article's attribution claims as a third item."""
        pending: list[Article | Reject] = []

        def flush() -> Iterator[tuple[Article | Reject, list[Event], list[Claim]]]:
            try:
                parsed = self._parse_batch([a for a in pending if isinstance(a, Article)])
            except Exception as exc:  # one bad batch: parse one by one to isolate the culprit
                log.warning("batch parse failed (%s); retrying article by article", exc)
                parsed = {}
            docs: dict[int, tuple[Doc | None, KeptText | None]] = {}
            failed: dict[int, Exception] = {}
            for key, item in enumerate(pending):
                if isinstance(item, Article):
                    try:
                        docs[key] = parsed.get(id(item)) or self._parse_batch([item])[id(item)]
                    except Exception as exc:  # noqa: BLE001 - one article never stops a batch
                        failed[key] = exc
            results = self._analyse_together({key: self._analysis(pending[key], doc, kept)
                                              for key, (doc, kept) in docs.items() if doc is not None})
            for key, item in enumerate(pending):
                if isinstance(item, Reject):
                    yield item, [], []
                    continue
                result = failed.get(key) or results.get(key, ([], []))
                if isinstance(result, Exception):
                    code = result.reason_code if isinstance(result, CodingError) else "coding_failed"
                    message = result.message if isinstance(result, CodingError) else f"{type(result).__name__}: {result}"
                    yield Reject(item.origin or "?", code, message, record_id=item.id, stage="coding"), [], []
                else:
                    yield item, *result
            pending.clear()

        for item in articles:
            pending.append(item)
            if len(pending) >= self.settings.batch_size:
                yield from flush()
        yield from flush()

    def code_article(self, article: Article) -> list[Event]:
        """Parse (through the pre-filter when it is on) and code one article.

        Raises:
            Exception: whatever the parser or the coder raised; ``code_articles`` turns it into a Reject.
        """
        doc, kept = self._parse_batch([article])[id(article)]
        return self.analyse(article, doc, kept)[0] if doc is not None else []

    def _parse_batch(self, articles: list[Article]) -> dict[int, tuple[Doc | None, KeptText | None]]:
        """Parse articles together; map ``id(article)`` to its Doc (None when the pre-filter kept
        nothing) and, when pre-filtered, what was kept."""
        out: dict[int, tuple[Doc | None, KeptText | None]] = {id(a): (None, None) for a in articles}
        group: list[tuple[str, tuple[Article, KeptText | None]]] = []
        size = 0
        for article in articles:
            text, kept = self._parser_input(article)
            if text is None:
                continue
            length = kept.kept_chars if kept else len(text)
            if group and size + length > self.settings.batch_chars:
                out.update(self._parse_group(group))
                group, size = [], 0
            group.append((text, (article, kept)))
            size += length
        out.update(self._parse_group(group))
        return out

    def _parse_group(self, group: list[tuple[str, tuple[Article, KeptText | None]]]
                     ) -> dict[int, tuple[Doc, KeptText | None]]:
        # The entity recognizer costs as much as the parser; after the pre-filter it runs only
        # on the sentences that hold an event (``analyse``).
        later = ["ner"] if self.filters and "ner" in self.nlp.pipe_names else []
        parsed = self.nlp.pipe(group, as_tuples=True, batch_size=max(1, len(group)), disable=later)
        return {id(article): (doc, kept) for doc, (article, kept) in parsed}

    def _parser_input(self, article: Article) -> tuple[str | None, KeptText | None]:
        """The text the parser gets: overlong sentences blanked, and with the pre-filter every
        sentence that cannot hold an event blanked too (None: nothing to parse)."""
        text = bound_sentences(article.text, self.settings.max_sentence_chars)
        if not self.filters:
            return text, None
        selection = self.prefilter.select(self.nlp.make_doc(text))
        if not selection.passages:
            return None, None
        kept = KeptText.build(text, selection)
        return kept.text, kept


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


def bound_sentences(text: str, limit: int) -> str:
    """Blank out (with spaces, so every offset stays valid) any stretch longer than ``limit``
    characters without a sentence end: the parser's cost grows with sentence length."""
    if len(text) <= limit:
        return text
    out, last = [], 0
    for match in _SENTENCE_END.finditer(text + "\n"):
        piece = text[last:match.start()]
        out.append(piece if len(piece) <= limit else " " * len(piece))
        out.append(text[match.start():match.end()] if match.end() <= len(text) else "")
        last = match.end()
    blanked = "".join(out)
    if len(blanked) != len(text):  # never change offsets
        return text
    if blanked != text:
        log.warning("blanked a sentence longer than %d characters before parsing", limit)
    return blanked


def _code(actor) -> str | None:
    return actor.code if actor is not None else None


def _sentences(doc: Doc) -> Iterator[Span]:
    for sent in doc.sents:
        if sent.text.strip():
            yield sent


def _trimmed(sent: Span) -> tuple[int, int, str]:
    """The sentence's character span without the whitespace the tokenizer attaches to it."""
    text = sent.text
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    start = sent.start_char + lead
    return start, start + len(stripped), stripped


def _unique(events: list[Event]) -> list[Event]:
    """Each event once; and an interaction told again with both sides only referred back to
    ("The two ministers discussed ...", after "Lavrov held a phone call with Jaishankar") is the
    same interaction, not a new one."""
    seen, dyads, out = set(), set(), []
    for event in events:
        dyad = (event.source.country if event.source else None, event.target.country if event.target else None,
                event.cameo_root)
        retold = event.source is not None and event.target is not None and dyad in dyads and \
            event.source.via == event.target.via == "coreference"
        if event.event_id not in seen and not retold:
            seen.add(event.event_id)
            dyads.add(dyad)
            out.append(event)
    return out


def code_text(text: str, date: str | None = None, *, doc_id: str = "text",
              settings: Settings | None = None) -> list[Event]:
    """Code one text and return its events.

    Args:
        text: the article text.
        date: the article's date (YYYY-MM-DD), used as the events' date.
        doc_id: the id to put on the events.
        settings: coder settings (``Settings(keep_uncertain=True)`` keeps negated and
            hypothetical events).
    """
    return coder_for(settings).code_article(Article(id=doc_id, text=text, date=date))


def code_articles(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Event]:
    """Code a stream of articles lazily and yield their events in order.

    Bad records (``Reject`` items from ``read_inputs``) are skipped here; use
    ``Coder.code_articles`` to see them.
    """
    coder = coder_for(settings)
    for _, events in coder.code_articles(articles):
        yield from events


_CODERS: dict[Settings, Coder] = {}


def coder_for(settings: Settings | None) -> Coder:
    """The coder for these settings, loaded once per process (worker processes keep theirs)."""
    settings = settings or Settings()
    if settings not in _CODERS:
        _CODERS[settings] = Coder.from_settings(settings)
    return _CODERS[settings]


@dataclass
class StoreRun:
    """What ``code_into_store`` did."""

    read: int = 0  # articles read (coded or skipped)
    skipped: int = 0  # already stored with the same text
    added: int = 0
    replaced: int = 0
    events: int = 0
    rejected: int = 0
    cluster_keys: int = 0  # cluster partitions rebuilt


def code_into_store(items: Iterable[Article | Reject], store: "EventStore", coder: Coder | None = None, *,
                    on_item: Callable[[Article | Reject, list[Event], str], None] | None = None,
                    batch_size: int = 256) -> StoreRun:
    """Code articles into an event store, skipping those already stored with the same text.

    Articles are written ``batch_size`` at a time, each batch in one transaction; a changed
    article replaces its old events. The event clusters touched are rebuilt at the end.

    Args:
        items: articles and rejects, as ``read_inputs`` yields them.
        store: an open ``EventStore``.
        coder: the coder (default settings when None).
        on_item: called for every item with its new events and a status: "coded", "skipped"
            (already stored) or "rejected".
    """
    from .analytics import rebuild_clusters
    from .store import text_hash

    coder = coder or coder_for(None)
    report = on_item or (lambda *_: None)
    run = StoreRun()
    known = store.article_hashes()

    def unseen() -> Iterator[Article | Reject]:
        for item in items:
            if isinstance(item, Article):
                digest = text_hash(item.text)
                if known.get(item.id) == digest:
                    run.read += 1
                    run.skipped += 1
                    report(item, [], "skipped")
                    continue
                known[item.id] = digest  # a second copy later in this run is skipped too
            yield item

    pending: list[tuple[Article, list[Event], list[Claim]]] = []

    def flush() -> None:
        written = store.write(pending)
        run.added += written.added
        run.replaced += written.replaced
        run.events += written.events
        pending.clear()

    for item, events, claims in coder.analyse_articles(unseen()):
        if isinstance(item, Reject):
            run.rejected += 1
            report(item, [], "rejected")
            continue
        run.read += 1
        pending.append((item, events, claims))
        report(item, events, "coded")
        if len(pending) >= batch_size:
            flush()
    flush()
    run.cluster_keys = rebuild_clusters(store)
    return run
