"""Kautilya: news articles in, political events out (CAMEO and PLOVER, with provenance)."""

import logging

__version__ = "0.1.0"

from .actors import lookup_actor  # noqa: E402
from .config import Settings  # noqa: E402
from .ingest import Reject, read_inputs  # noqa: E402
from .pipeline import Coder, code_articles, code_into_store, code_text  # noqa: E402
from .schema import Actor, Article, Event, Location  # noqa: E402

__all__ = ["Actor", "Article", "Coder", "Event", "Location", "Reject", "Settings", "code_articles",
           "code_into_store", "code_text", "lookup_actor", "read_inputs", "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
