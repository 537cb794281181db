"""Words per second of Kautilya's coding beside spaCy's nlp.pipe alone, same model, same texts.

Three runs in one process, alternately, so the ratios hold on a noisy machine:

- spaCy ``nlp.pipe`` alone, with the full model as ``spacy.load(MODEL_PACKAGE)`` gives it;
- ``kautilya code --no-prefilter``: every sentence parsed;
- ``kautilya code`` (the default): the pre-filter skips the parser for sentences with no actor
  candidate or no event word.

Each coder figure is end to end: parsing, actor matching, event coding and serialising each event
as a JSONL record (into memory). Event retention compares the two coders' events by
(doc_id, trigger's character span, source country, target country, CAMEO code): the same word
of the article coded with the same dyad and code, whether or not the parser cut its sentence
in the same place.

    .venv/bin/python bench/throughput.py [--articles 400] [--rounds 2] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import spacy
from corpus import PRESS, memory_writer, read_articles, require, word_count

from kautilya import Settings
from kautilya.nlp import MODEL_PACKAGE
from kautilya.pipeline import Coder


def time_spacy(nlp, texts: list[str]) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def time_coder(coder: Coder, articles) -> tuple[float, dict]:
    """Seconds to code the articles, and their events: identity -> place (name, country)."""
    sink = memory_writer()
    found = {}
    start = time.perf_counter()
    for _, events in coder.code_articles(articles):
        sink.write(events)
        found.update((event_identity(e), (e.location.name, e.location.country) if e.location else None)
                     for e in events)
    return time.perf_counter() - start, found


def event_identity(event) -> tuple:
    return (event.doc_id, event.trigger_start, event.trigger_end, event.source.country if event.source else None,
            event.target.country if event.target else None, event.cameo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PRESS)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    require(args.corpus)
    articles = list(read_articles(args.corpus, args.articles))
    texts = [a.text for a in articles]
    words = word_count(articles)
    nlp = spacy.load(MODEL_PACKAGE)
    unfiltered = Coder.from_settings(Settings(prefilter=False))
    filtered = Coder.from_settings(Settings(prefilter=True))
    # Warm up (model load, matcher and lemma caches) before timing.
    time_spacy(nlp, texts[:10])
    time_coder(unfiltered, articles[:10])
    time_coder(filtered, articles[:10])
    times: dict[str, list[float]] = {"spacy": [], "unfiltered": [], "filtered": []}
    for _ in range(args.rounds):
        times["spacy"].append(time_spacy(nlp, texts))
        elapsed, all_events = time_coder(unfiltered, articles)
        times["unfiltered"].append(elapsed)
        elapsed, kept_events = time_coder(filtered, articles)
        times["filtered"].append(elapsed)
    rate = {mode: words / statistics.median(values) for mode, values in times.items()}
    both = all_events.keys() & kept_events.keys()
    kept = len(both) / len(all_events) if all_events else 1.0
    same_place = sum(all_events[key] == kept_events[key] for key in both)
    sentences = kept_sentences = kept_chars = 0
    for article in articles:
        selection = filtered.prefilter.select(filtered.nlp.make_doc(article.text))
        sentences += selection.sentences
        kept_sentences += selection.kept
        kept_chars += sum(passage.end - passage.start for passage in selection.passages)
    chars = sum(len(article.text) for article in articles)
    print(f"corpus: {args.corpus.name}, {len(articles)} articles, {words} words, {args.rounds} rounds (median)")
    print(f"spaCy nlp.pipe alone ({MODEL_PACKAGE}, all components): {rate['spacy']:8.0f} words/s")
    print(f"kautilya code --no-prefilter                : {rate['unfiltered']:8.0f} words/s"
          f"  ratio to spaCy {rate['unfiltered'] / rate['spacy']:.2f}  ({len(all_events)} events)")
    print(f"kautilya code (pre-filter)                  : {rate['filtered']:8.0f} words/s"
          f"  ratio to spaCy {rate['filtered'] / rate['spacy']:.2f}  ({len(kept_events)} events)")
    print(f"pre-filter: {kept_sentences}/{sentences} sentences parsed ({kept_sentences / sentences:.1%}, "
          f"{kept_chars / chars:.1%} of the characters); "
          f"events of the unfiltered run kept: {len(both)}/{len(all_events)} ({kept:.2%}), "
          f"events only in the filtered run: {len(kept_events.keys() - all_events.keys())}; "
          f"kept events placed alike: {same_place}/{len(both)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
