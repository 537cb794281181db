"""The pre-filter: which sentences reach the parser, and that skipping the rest changes no event."""

from __future__ import annotations

import pytest

from kautilya import Settings
from kautilya.pipeline import code_text
from kautilya.prefilter import AGENT, ANAPHOR, EVENT, GATE, GATED, split_sentences

# Written for this test: four sentences name an actor and an event, one only names an actor, the
# rest are about nothing an event coder wants.
ARTICLE = """Prices rose for a third day as traders shrugged off the news.
The weather stayed warm and dry for a third day.
Japan condemned North Korea on Monday after the missile launch.
Analysts said little about the coming weeks.
Japanese Foreign Minister Aiko Tanabe was in Seoul on Wednesday.
The mood was described as calm.
She denounced Pyongyang for the launch.
Traffic was heavy near the port.
She later criticized the launch again.
Farmers worried about the harvest.
"""


def _kept_sentences(coder, text):
    selection = coder.prefilter.select(coder.nlp.make_doc(text))
    return selection, [text[p.start:p.end] for p in selection.passages]


@pytest.mark.parametrize("word, flags", [
    ("condemned", EVENT), ("met", EVENT), ("spoke", EVENT), ("talks", EVENT), ("airstrikes", EVENT),
    ("ministries", AGENT), ("troops", AGENT), ("she", ANAPHOR), ("nations", ANAPHOR),
    ("weather", 0), ("harvest", 0), ("we", 0),
])
def test_prefilter_word_flags_cover_inflections(coder, word, flags):
    assert coder.prefilter.word_flags(word) & (EVENT | AGENT | ANAPHOR) == flags


def test_prefilter_gated_triggers_count_only_beside_the_words_they_need(coder):
    # "be" is a trigger only in "X was behind Y" (an attribution claim).
    assert coder.prefilter.word_flags("was") & GATED and coder.prefilter.word_flags("behind") & GATE
    _, kept = _kept_sentences(coder, "Pakistan was calm at dawn.\nIndia said Pakistan was behind the attack.")
    assert kept == ["India said Pakistan was behind the attack."]


def test_prefilter_splits_at_full_stops_and_line_breaks(coder):
    tokens = coder.nlp.make_doc('He left. "It is over." Then\nthe U.S. envoy spoke!')
    assert [tokens[s:e].text.strip() for s, e in split_sentences(tokens, coder.prefilter)] == [
        "He left.", '"It is over."', "Then", "the U.S. envoy spoke!"]


def test_prefilter_keeps_actor_and_event_sentences_and_the_antecedents_of_pronouns(coder):
    selection, kept = _kept_sentences(coder, ARTICLE)
    assert kept == [
        "Japan condemned North Korea on Monday after the missile launch.",
        # no event word, but "She" in the sentence after next leans back on the actors named
        # in the sentences before it
        "Japanese Foreign Minister Aiko Tanabe was in Seoul on Wednesday.",
        "She denounced Pyongyang for the launch.",
        "She later criticized the launch again.",
    ]
    assert (selection.sentences, selection.kept) == (10, 4)
    assert [p.dropped_before for p in selection.passages] == [2, 3, 4, 5]


def test_prefilter_drops_a_pronoun_with_no_actor_named_before_it(coder):
    _, kept = _kept_sentences(coder, "The weather was mild.\nThey condemned the decision.\nIndia condemned it.")
    assert kept == ["India condemned it."]


def test_prefilter_changes_no_event_and_keeps_offsets_in_the_article():
    filtered = code_text(ARTICLE, "2025-04-28")
    unfiltered = code_text(ARTICLE, "2025-04-28", settings=Settings(prefilter=False))
    assert [e.to_record() for e in filtered] == [e.to_record() for e in unfiltered]
    assert [(e.sentence_index, e.source.code, e.cameo, e.target.code) for e in filtered] == [
        (2, "JPN", "111", "PRK"), (6, "JPNGOV", "111", "PRKGOV")]
    assert filtered[1].source.via == "coreference"
    for event in filtered:
        assert ARTICLE[event.char_start:event.char_end] == event.sentence
        assert ARTICLE[event.trigger_start:event.trigger_end] == event.trigger
        for actor in (event.source, event.target):
            assert ARTICLE[actor.char_start:actor.char_end] == actor.text


def test_prefilter_gives_the_seed_article_the_same_events(shared):
    text = (shared / "seed" / "pahalgam-appeals.txt").read_text(encoding="utf-8")
    filtered = code_text(text, "2025-04-28")
    assert filtered and [e.to_record() for e in filtered] == [
        e.to_record() for e in code_text(text, "2025-04-28", settings=Settings(prefilter=False))]


def test_prefilter_article_with_nothing_to_code_has_no_events():
    assert code_text("The weather stayed warm and dry.\nPrices rose for a third day.") == []


def test_prefilter_parser_input_is_the_article_blanked_outside_the_kept_passages(coder):
    from kautilya.prefilter import KeptText

    selection = coder.prefilter.select(coder.nlp.make_doc(ARTICLE))
    kept = KeptText.build(ARTICLE, selection)
    assert len(kept.text) == len(ARTICLE)
    for passage in selection.passages:
        assert kept.text[passage.start:passage.end] == ARTICLE[passage.start:passage.end]
    assert not kept.text[:selection.passages[0].start].strip()
    assert "Prices" not in kept.text and "harvest" not in kept.text


def test_prefilter_recognises_entities_only_in_the_sentences_that_hold_an_event(coder):
    from kautilya.schema import Article

    article = Article(id="t", text=ARTICLE, date="2025-04-28")
    doc, kept = coder._parse_batch([article])[id(article)]
    assert not doc.has_annotation("ENT_IOB")  # parsed without the entity recognizer
    events, _ = coder.analyse(article, doc, kept)
    recognised = {sent.text.strip() for sent in doc.sents if any(token.ent_iob for token in sent)}
    assert recognised == {event.sentence for event in events} and len(recognised) == 2
    # The kept sentence that names Tanabe but holds no event was never run through it.
    assert all(token.ent_iob == 0 for token in doc if token.text in ("Tanabe", "Seoul", "Wednesday"))
    assert [t.ent_type_ for t in doc if t.text == "Monday"] == ["DATE"]


def test_prefilter_codes_articles_together_exactly_as_each_alone(coder):
    from kautilya.schema import Article

    texts = [ARTICLE,
             "Traffic was heavy near the port.\nThe mood was calm.",
             "Kenya's president met Somalia's prime minister in Nairobi on Friday.\n"
             "He urged him to release the detained fishermen.\nPrices rose again.",
             "Peru recalled its ambassador from Mexico on 3 March after the remarks."]
    articles = [Article(id=f"a{i}", text=text, date="2025-04-28") for i, text in enumerate(texts)]
    together = {item.id: [e.to_record() for e in events] for item, events in coder.code_articles(articles)}
    alone = {article.id: [e.to_record() for e in coder.code_article(article)] for article in articles}
    assert together == alone
    assert sum(map(len, together.values())) >= 4 and together["a1"] == []


def test_prefilter_recognizer_failing_on_one_article_rejects_only_that_article(monkeypatch):
    from kautilya.ingest import Reject
    from kautilya.pipeline import Coder
    from kautilya.schema import Article

    coder = Coder.from_settings(Settings(time_limit=29.0))  # a coder of its own: the patch stays here
    recognise = coder._recognise_entities

    def fragile(sentences):
        if any("Japan condemned" in sent.text for sent in sentences):  # (batched with the good one)
            raise RuntimeError("recognizer broke")
        return recognise(sentences)

    monkeypatch.setattr(coder, "_recognise_entities", fragile)
    articles = [Article(id="bad", text=ARTICLE, date="2025-04-28"),
                Article(id="good", text="Peru recalled its ambassador from Mexico on 3 March.", date="2025-04-28")]
    results = list(coder.code_articles(articles))
    assert isinstance(results[0][0], Reject) and "recognizer broke" in results[0][0].reason
    assert results[0][0].record_id == "bad" and results[0][0].stage == "coding"
    assert results[1][0].id == "good" and [e.cameo[:2] for e in results[1][1]]
