"""The article that started the project, scored with the rule written in its gold file."""

from __future__ import annotations

import json

from kautilya.evaluate import score_pattern_file, score_patterns
from kautilya.pipeline import code_text


def test_seed_f1_and_nothing_forbidden(shared):
    report = score_pattern_file(shared / "seed" / "expected_events.json")
    assert report.forbidden == 0
    assert report.f1 >= 0.95, report.summary()


def test_seed_negated_accusation_is_only_written_when_asked(shared, uncertain_coder):
    from kautilya import Settings

    text = (shared / "seed" / "pahalgam-appeals.txt").read_text(encoding="utf-8")
    gold = json.loads((shared / "seed" / "expected_events.json").read_text(encoding="utf-8"))
    kept = code_text(text, settings=Settings(keep_uncertain=True))
    negated = [e for e in kept if e.negated]
    assert negated and all(e.cameo_root == "11" for e in negated)
    # The scorer itself: the negated accusation would be an error if it were written.
    assert score_patterns(kept, gold).f1 < score_patterns([e for e in kept if not e.negated], gold).f1 or \
        score_patterns(kept, gold).false_positives > 0


def test_eval_scorer_counts_forbidden_and_false_positives():
    gold = {"required": [{"source": ["IND"], "target": ["PAK"], "cameo_root": ["11"]}],
            "forbidden": [{"source": ["USA"], "target": ["PAK"], "cameo_root": ["11"]}]}
    events = code_text("India condemned Pakistan. The United States condemned Pakistan. Japan praised France.")
    score = score_patterns(events, gold)
    assert (score.true_positives, score.forbidden, score.false_positives) == (1, 1, 1)
    assert round(score.precision, 3) == 0.333 and score.recall == 1.0
