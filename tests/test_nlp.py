"""The spaCy pipeline as Kautilya loads it: its quicker attribute and lemma components must give
exactly what the model's own ``attribute_ruler`` and ``lemmatizer`` give."""

from __future__ import annotations

import gzip
import json

import numpy
import pytest
import spacy

from kautilya.nlp import MODEL_PACKAGE, load_pipeline

# Written for this test: contractions, colloquial forms and the multi-token rules of the ruler
# ("gonna", "ain't", "let's", "y'all"), an expletive "there", pronouns by case, auxiliaries,
# determiners used as pronouns, runs of spaces and line breaks.
TEXTS = [
    "Y'all ain't gonna believe it: there is a cat on the roof, and it's looking at me.\n\n"
    "Let's go, c'm on!  I saw her; she saw us.   Doin' nothin' all day, ol' friend?\n",
    "The ministers did not say whether they had met. That was what we wanted; those who left "
    "could have stayed. Gotta go, he said, 'cause it's late and I'd rather sleep.",
    "INDIA AND PAKISTAN: The foreign ministers spoke on Tuesday.\nRussia's Lavrov urged restraint, "
    "while the EU's Kallas called both sides and the U.S. offered to mediate between them.",
]


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def reference():
    """The model exactly as spaCy loads it, with our line-break rule (which changes the parse)."""
    nlp = spacy.load(MODEL_PACKAGE)
    nlp.add_pipe("kautilya_line_breaks", before="parser")
    return nlp


def test_pipeline_replaces_the_ruler_and_lemmatizer_with_the_quick_components():
    names = load_pipeline().pipe_names
    assert "kautilya_attributes" in names and "attribute_ruler" not in names
    assert "kautilya_lemmas" in names and "lemmatizer" not in names
    assert names.index("kautilya_attributes") < names.index("kautilya_lemmas")


def test_pipeline_quick_components_annotate_exactly_as_the_model(reference):
    ours = load_pipeline()
    for text in TEXTS * 2:  # the second time from the components' caches
        assert _annotations(ours(text)) == _annotations(reference(text))


def test_pipeline_quick_components_annotate_real_news_exactly_as_the_model(reference, shared):
    path = shared / "corpora" / "state_dept_press_2021_2022.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line, _ in zip(handle, range(25))]
    ours = load_pipeline()
    for mine, theirs in zip(ours.pipe(texts), reference.pipe(texts)):
        assert _annotations(mine) == _annotations(theirs)


def test_memoized_embedding_gives_the_model_own_vectors_also_when_its_table_fills():
    from kautilya.nlp import MemoizedEmbedding

    nlp = spacy.load(MODEL_PACKAGE)
    embed = nlp.get_pipe("tok2vec").model.layers[0]
    memo = MemoizedEmbedding(embed, capacity=16)
    model = memo.model()
    batches = [["India and Pakistan agreed to talk."],            # 7 distinct tokens: stored
               ["Pakistan and India agreed again."],              # 3 new ones: looked up and stored
               ["Russia urged both sides to show restraint now."],  # 9 new: the table is emptied first
               [" ".join(f"word{n}" for n in range(20))],         # more than the table holds
               ["India and Pakistan agreed to talk.", "Russia urged restraint."]]
    for texts in batches:
        docs = [nlp.make_doc(text) for text in texts]
        for mine, theirs in zip(model.predict(docs), embed.predict(docs)):
            assert mine.shape == theirs.shape and numpy.allclose(mine, theirs, rtol=0, atol=1e-6)
    assert 0 < len(memo.rows) <= 16
