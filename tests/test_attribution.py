"""Attribution claims, agreement references and third-party stances, on sentences written here."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kautilya.attribution import third_party_stances
from kautilya.schema import Article


def claims_of(coder, text, date="2025-04-30"):
    article = Article(id="t", text=text, date=date)
    return [c.to_record() for c in coder.analyse(article, coder.nlp(text))[1]]


def brief(records):
    return [(c["claimant"]["country"] if c["claimant"] else None,
             c["accused"]["country"] if c["accused"] else None, c["stance"], c["evidence"]) for c in records]


CASES = [
    ("accused-of", "India accused Pakistan of sponsoring the attack.", [("IND", "PAK", "asserts", "unspecified")]),
    ("blamed-for", "Kabul blamed Islamabad for the suicide bombing.", [("AFG", "PAK", "asserts", "unspecified")]),
    ("blamed-on", "Israel blamed the rocket attack on Hamas.", [("ISR", "PSE", "asserts", "unspecified")]),
    ("held-responsible", "Ukraine held Russia responsible for the strike on the dam.",
     [("UKR", "RUS", "asserts", "unspecified")]),
    ("behind", "New Delhi said Pakistan was behind the massacre.", [("IND", "PAK", "asserts", "unspecified")]),
    ("cited", "India accused Pakistan of the attack and shared intelligence intercepts with its partners.",
     [("IND", "PAK", "asserts", "cited")]),
    ("lacking", "Iran accused Israel of the assassination without offering any evidence.",
     [("IRN", "ISR", "asserts", "lacking")]),
    ("denies", "Islamabad denied any role in the attack.", [("PAK", "PAK", "denies", "unspecified")]),
    ("rejects-allegation", "Pakistan rejected the allegation as baseless.", [("PAK", "PAK", "denies", "lacking")]),
    ("declines", "The United States stopped short of assigning blame for the attack.",
     [("USA", None, "declines", "unspecified")]),
    ("refused-to-name", "Russia refused to name Ukraine as the culprit.", [("RUS", "UKR", "declines", "unspecified")]),
    ("questions", "China questioned India's claims about the attack.", [("CHN", None, "questions", "unspecified")]),
    ("demands-proof", "Pakistan demanded proof from India.", [("PAK", None, "questions", "unspecified")]),
    ("accusation-noun", "India repeated its accusations against Pakistan.", [("IND", "PAK", "asserts", "unspecified")]),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_attribution_stance_and_evidence(coder, name, text, expected):
    assert brief(claims_of(coder, text)) == expected


def test_attribution_hearsay_is_flagged(coder):
    (claim,) = claims_of(coder, "According to unnamed sources, Indian officials blamed Pakistan for the attack.")
    assert (claim["stance"], claim["accused"]["country"], claim["hearsay"]) == ("asserts", "PAK", True)
    (plain,) = claims_of(coder, "Indian officials blamed Pakistan for the attack.")
    assert plain["hearsay"] is False


def test_attribution_evidence_without_a_claim_is_no_claim(coder):
    assert claims_of(coder, "The absence of hard proof has weakened the government's narrative.") == []
    assert claims_of(coder, "Investigators collected evidence at the site on Tuesday.") == []


def test_attribution_incident_links_to_the_coded_event(coder):
    text = "Pakistani troops shelled Indian posts on Monday. India blamed Pakistan for the shelling."
    article = Article(id="t", text=text, date="2025-05-01")
    events, claims = coder.analyse(article, coder.nlp(text))
    (claim,) = claims
    assert claim.incident == "the shelling"
    assert claim.incident_event_id is None or claim.incident_event_id in {e.event_id for e in events}


def test_attribution_agreements_on_events_not_background(coder):
    text = ("Russia urged India and Pakistan to settle their dispute in accordance with the Simla Agreement. "
            "Relations have long been governed by the Indus Waters Treaty. "
            "Qatar urged both sides to respect the 2019 declaration.")
    article = Article(id="t", text=text, date="2025-05-01")
    events = coder.code_doc(article, coder.nlp(text))
    by_sentence = {}
    for event in events:
        by_sentence.setdefault(event.sentence_index, set()).update((a["name"], a["year"]) for a in event.agreements)
    assert by_sentence[0] == {("Simla Agreement", 1972)}
    assert 1 not in by_sentence  # the treaty named only as background carries no event
    assert by_sentence[2] == {("the 2019 declaration", 2019)}


def test_attribution_seed_claims_and_agreements(shared, coder):
    text = (shared / "seed" / "pahalgam-appeals.txt").read_text(encoding="utf-8")
    article = Article(id="seed", text=text)
    events, claims = coder.analyse(article, coder.nlp(text))
    records = [c.to_record() for c in claims]
    india = [c for c in records if c["claimant"] and c["claimant"]["country"] == "IND"]
    assert any(c["accused"]["country"] == "PAK" and c["evidence"] == "lacking" and "attack" in c["incident"]["text"]
               for c in india)
    assert any(c["claimant"] and c["claimant"]["country"] == "USA" and c["stance"] == "declines" for c in records)
    russia = [e for e in events if e.source and e.source.country == "RUS" and e.cameo_root == "02"
              and any(a["name"] == "Simla Agreement" for a in e.agreements)]
    assert russia and all({("Simla Agreement", 1972), ("Lahore Declaration", 1999)} <=
                          {(a["name"], a["year"]) for a in e.agreements} for e in russia)
    verdicts = {v.actor: v.verdict for v in third_party_stances([e.to_record() for e in events], records,
                                                                  "IND", "PAK")}
    assert verdicts["RUS"] == "even-handed" and verdicts["EUR"] == "even-handed"


def test_attribution_third_party_leaning():
    def event(source, target, root):
        return {"event_id": f"{source}{target}{root}", "source": {"country": source},
                "target": {"country": target}, "cameo_root": root}

    events = [event("CHN", "PAK", "05"), event("CHN", "PAK", "07"), event("USA", "IND", "02"),
              event("USA", "PAK", "02"), event("ISR", "IND", "07"), event("TUR", "IND", "11")]
    verdicts = {v.actor: v.verdict for v in third_party_stances(events, [], "IND", "PAK")}
    assert verdicts == {"CHN": "towards PAK", "USA": "even-handed", "ISR": "towards IND", "TUR": "towards PAK"}


def test_cli_claims_writes_jsonl(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Islamabad denied any role in the attack.", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kautilya", "claims", str(path)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["stance"] == "denies" and record["incident"]["text"] == "the attack"


def test_attribution_claim_of_responsibility_blames_the_claimant(coder):
    (claim,) = claims_of(coder, "The Pakistani Taliban claimed responsibility for the bombing in Peshawar.")
    assert claim["stance"] == "asserts" and claim["claimant"] == claim["accused"]
    assert claim["claimant"]["country"] == "PAK" and claim["incident"]["text"] == "the bombing in Peshawar"


def test_attribution_claims_and_stances_in_the_store(shared, tmp_path, coder):
    from kautilya import analytics, read_inputs
    from kautilya.pipeline import code_into_store
    from kautilya.store import EventStore

    with EventStore.open(tmp_path / "s.duckdb") as store:
        code_into_store(read_inputs([str(shared / "seed" / "pahalgam-appeals.txt")], "2025-04-28"), store, coder)
        stances = {v.actor: v.verdict for label, verdicts in analytics.dyad_stances(store, "IND", "PAK")
                   for v in verdicts}
        stored = store.rows("SELECT claimant_country, accused_country, stance, evidence FROM claims ORDER BY 1")
    assert stances["RUS"] == "even-handed" and stances["EUR"] == "even-handed"
    assert {"claimant_country": "IND", "accused_country": "PAK", "stance": "asserts",
            "evidence": "lacking"} in stored


def test_attribution_a_longer_name_is_not_the_shorter_one_inside_it(coder):
    # "Resistance Front" (TRF, Kashmir) inside "National Resistance Front of Afghanistan"
    claims = claims_of(coder, "The National Resistance Front of Afghanistan claims responsibility for the bombing.")
    assert all((c["claimant"] or {}).get("code") != "INDREBTRF" for c in claims)
