"""Scoring the coder against gold files, so that accuracy is measured, published and gated.

Document-level pattern files (``required``, ``optional`` and ``forbidden`` event patterns for
one article, as in ``shared/seed/expected_events.json``) are scored with the rule stated in
their ``about`` field: an event matches a pattern when its source country, target country and
CAMEO root are among the pattern's; each gold event is matched at most once; optional events
are neither required nor false positives; events matching a forbidden pattern are errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .schema import Event


@dataclass
class PatternScore:
    gold: str
    true_positives: int = 0
    false_positives: int = 0
    forbidden: int = 0
    required: int = 0
    mismatches: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        produced = self.true_positives + self.false_positives + self.forbidden
        return self.true_positives / produced if produced else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> str:
        return (f"{self.gold}: precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f} "
                f"(matched {self.true_positives}/{self.required} required, {self.false_positives} false "
                f"positives, {self.forbidden} forbidden)")


def _country(actor) -> str | None:
    return actor.country if actor is not None else None


def pattern_matches(event: Event, pattern: dict) -> bool:
    """True when the event fits a gold pattern under the file's matching rule."""
    if _country(event.source) not in pattern.get("source", [None]):
        return False
    if not pattern.get("any_target"):
        allowed = pattern.get("target")
        if allowed is None:
            if event.target is not None:
                return False
        elif _country(event.target) not in allowed:
            return False
    return event.cameo_root in pattern.get("cameo_root", [])


def score_patterns(events: list[Event], gold: dict, name: str = "gold") -> PatternScore:
    """Score events of one document against its required/optional/forbidden patterns."""
    required, optional = gold.get("required", []), gold.get("optional", [])
    score = PatternScore(gold=name, required=len(required))
    remaining = []
    for event in events:
        hit = next((f for f in gold.get("forbidden", []) if pattern_matches(event, f)), None)
        if hit:
            score.forbidden += 1
            score.mismatches.append(_mismatch("forbidden", event, hit))
        else:
            remaining.append(event)
    matched_required = _max_matching(remaining, required)
    score.true_positives = len(matched_required)
    left = [e for i, e in enumerate(remaining) if i not in matched_required]
    matched_optional = _max_matching(left, optional)
    for i, event in enumerate(left):
        if i not in matched_optional:
            score.false_positives += 1
            score.mismatches.append(_mismatch("false_positive", event, None))
    used = set(matched_required.values())
    for j, pattern in enumerate(required):
        if j not in used:
            score.mismatches.append({"kind": "missed", "gold": pattern})
    return score


def _max_matching(events: list[Event], patterns: list[dict]) -> dict[int, int]:
    """Maximum bipartite matching of events to patterns (event index -> pattern index)."""
    owner: dict[int, int] = {}  # pattern -> event

    def augment(i: int, seen: set[int]) -> bool:
        for j, pattern in enumerate(patterns):
            if j in seen or not pattern_matches(events[i], pattern):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(events)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _mismatch(kind: str, event: Event, pattern: dict | None) -> dict:
    return {
        "kind": kind,
        "sentence": event.sentence,
        "source": _country(event.source),
        "target": _country(event.target),
        "cameo": event.cameo,
        "pattern_id": event.pattern_id,
        "gold": pattern,
    }


def score_pattern_file(path: Path, text_path: Path | None = None, settings=None) -> PatternScore:
    """Code the article a pattern file describes and score it.

    The article is ``text_path`` or the file named by the gold file's ``doc`` key, beside it.
    """
    from .pipeline import code_text

    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", source=str(path)) from exc
    text_path = text_path or path.with_name(gold.get("doc", ""))
    try:
        text = text_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the article {text_path}: {exc}", source=str(path)) from exc
    events = code_text(text, doc_id=text_path.stem, settings=settings)
    return score_patterns(events, gold, name=str(path))
