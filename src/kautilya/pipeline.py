"""From articles to events: the stages chained, for one text, a stream of articles, or a batch job.

``code_articles`` takes and yields plain iterables so that the same function serves a loop,
a process pool or a Dask partition.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterable, Iterator

from spacy.tokens import Doc, Span

from . import __version__
from .actors import ActorDictionary, ActorResolver, default_dictionary
from .coding import PatternBook, code_sentence, default_patterns
from .config import Settings
from .errors import CodingError
from .ingest import Reject
from .nlp import load_pipeline, model_version
from .ontology import lookup_cameo
from .schema import Article, Event

log = logging.getLogger(__name__)


@dataclass
class Coder:
    """The loaded parts of the coder: parser, actor dictionary and event patterns."""

    settings: Settings
    actors: ActorDictionary
    patterns: PatternBook

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Coder":
        settings = settings or Settings()
        actors = ActorDictionary.load(settings.actor_files) if settings.actor_files else default_dictionary()
        patterns = PatternBook.load(settings.pattern_files) if settings.pattern_files else default_patterns()
        return cls(settings, actors, patterns)

    @property
    def nlp(self):
        return load_pipeline()

    def dictionary_version(self) -> str:
        return f"{self.actors.version};{self.patterns.version};{model_version(self.nlp)}"

    def code_doc(self, article: Article, doc: Doc) -> list[Event]:
        """Code one parsed article."""
        resolver = ActorResolver(self.actors, self.nlp, doc, article.date)
        events: list[Event] = []
        dictionary_version = self.dictionary_version()
        for index, sent in enumerate(_sentences(doc)):
            resolver.scan_sentence(sent, index)
            start, end, text = _trimmed(sent)
            for candidate in code_sentence(sent, resolver, self.patterns):
                if (candidate.negated or candidate.hypothetical) and not self.settings.keep_uncertain:
                    continue
                entry = lookup_cameo(candidate.cameo)
                trig = candidate.trigger
                events.append(Event(
                    doc_id=article.id, sentence_index=index, sentence=text, char_start=start, char_end=end,
                    date=article.date, source=candidate.source, target=candidate.target,
                    cameo=entry.code, cameo_name=entry.name, quad_class=entry.quad_class,
                    goldstein=entry.goldstein, plover=entry.plover, trigger=trig.text,
                    trigger_start=trig.idx, trigger_end=trig.idx + len(trig), pattern_id=candidate.pattern.id,
                    confidence=candidate.confidence, negated=candidate.negated,
                    hypothetical=candidate.hypothetical, coder_version=__version__,
                    dictionary_version=dictionary_version, origin=article.origin,
                ))
        return _unique(events)

    def code_articles(self, articles: Iterable[Article | Reject]) -> Iterator[tuple[Article | Reject, list[Event]]]:
        """Yield (article, its events) for each article, and (reject, []) for each bad record.

        One article that fails in the parser or the coder becomes a Reject; the batch goes on.
        """
        pending: list[Article | Reject] = []

        def flush() -> Iterator[tuple[Article | Reject, list[Event]]]:
            texts = [(a.text[: self.settings.max_chars], a) for a in pending if isinstance(a, Article)]
            docs = self.nlp.pipe(texts, as_tuples=True, batch_size=self.settings.batch_size)
            parsed = {}
            try:
                for doc, article in docs:
                    parsed[id(article)] = doc
            except Exception as exc:  # one bad batch: parse one by one to isolate the culprit
                log.warning("batch parse failed (%s); retrying article by article", exc)
            for item in pending:
                if isinstance(item, Reject):
                    yield item, []
                    continue
                try:
                    doc = parsed.get(id(item)) or self.nlp(item.text[: self.settings.max_chars])
                    yield item, self.code_doc(item, doc)
                except Exception as exc:  # noqa: BLE001 - one article never stops a batch
                    error = CodingError(str(exc), source=item.origin, record=item.id)
                    yield Reject(item.origin or "?", "coding_failed", error.message, record_id=item.id,
                                 stage="coding"), []
            pending.clear()

        for item in articles:
            pending.append(item)
            if len(pending) >= self.settings.batch_size:
                yield from flush()
        yield from flush()


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
    coder = _coder(settings)
    article = Article(id=doc_id, text=text, date=date)
    return coder.code_doc(article, coder.nlp(text[: coder.settings.max_chars]))


def code_articles(articles: Iterable[Article], settings: Settings | None = None) -> Iterator[Event]:
    """Code a stream of articles lazily and yield their events in order.

    Bad records (``Reject`` items from ``read_inputs``) are skipped here; use
    ``Coder.code_articles`` to see them.
    """
    coder = _coder(settings)
    for _, events in coder.code_articles(articles):
        yield from events


_CODERS: dict[Settings, Coder] = {}


def _coder(settings: Settings | None) -> Coder:
    settings = settings or Settings()
    if settings not in _CODERS:
        _CODERS[settings] = Coder.from_settings(settings)
    return _CODERS[settings]
