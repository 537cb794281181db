"""Each pattern family on sentences written for these tests, with the traps that fool coders."""

from __future__ import annotations

import pytest

from conftest import code, triples

CASES = [
    # appeals (02x)
    ("appeal-urge", "Russia urged India and Pakistan to resolve their differences through dialogue.",
     {("RUS", "027", "IND"), ("RUS", "027", "PAK")}),
    ("appeal-call-for-calm", "The United States called on India and Pakistan to show restraint.",
     {("USA", "0256", "IND"), ("USA", "0256", "PAK")}),
    ("appeal-noun", "Japan joined international appeals for Israel to allow aid into Gaza.",
     {("JPN", "020", "ISR")}),
    ("appeal-participle", "The British foreign secretary telephoned his Indian counterpart, urging calm.",
     {("GBR", "0256", "IND")}),
    # consult (04x)
    ("phone-call", "Chinese Foreign Minister Wang Yi held a phone call with his Pakistani counterpart on Sunday.",
     {("CHN", "041", "PAK"), ("PAK", "041", "CHN")}),
    ("visit", "The Indian prime minister visited Moscow last week.", {("IND", "042", "RUS")}),
    ("meet", "Pakistani officials met their Afghan counterparts in Kabul.", {("PAK", "040", "AFG"), ("AFG", "040", "PAK")}),
    ("mediate", "Qatar mediated between Israel and Hamas.", {("QAT", "045", "ISR"), ("QAT", "045", "PSE")}),
    ("offer-mediation", "Iran offered to mediate between India and Pakistan.",
     {("IRN", "039", "IND"), ("IRN", "039", "PAK")}),
    ("negotiate", "Ukraine held talks with Russia in Istanbul.", {("UKR", "046", "RUS"), ("RUS", "046", "UKR")}),
    # support, agreement, ceasefire
    ("praise", "France praised India for its restraint.", {("FRA", "051", "IND")}),
    ("sign", "India signed a trade agreement with the United Kingdom.", {("IND", "057", "GBR"), ("GBR", "057", "IND")}),
    ("ceasefire", "India and Pakistan agreed to a ceasefire on Saturday.", {("IND", "0871", "PAK"), ("PAK", "0871", "IND")}),
    # disapproval and accusation
    ("condemn", "Germany condemned Russia for the missile strike.", {("DEU", "111", "RUS")}),
    ("accuse", "India accused Pakistan of supporting cross-border terrorism.", {("IND", "1123", "PAK")}),
    ("blame", "Kabul blamed Islamabad for the airstrikes.", {("AFG", "112", "PAK")}),
    # threats, mobilisation, reduced relations
    ("threaten", "North Korea threatened to attack South Korea.", {("PRK", "1384", "KOR")}),
    ("mobilize", "Pakistan deployed troops to the border with India.", {("PAK", "154", None)}),
    ("downgrade-ties", "India downgraded diplomatic ties with Pakistan.", {("IND", "161", "PAK")}),
    ("expel-diplomats", "Pakistan expelled Indian diplomats from Islamabad.", {("PAK", "161", "IND")}),
    ("close-border", "Pakistan closed its airspace to Indian airlines.", {("PAK", "172", "IND")}),
    ("suspend-treaty", "India suspended the Indus Waters Treaty with Pakistan.", {("IND", "160", "PAK")}),
    # force
    ("airstrike", "India launched airstrikes on militant camps in Pakistan.", {("IND", "195", "PAK")}),
    ("shelling", "Pakistani troops shelled Indian posts along the Line of Control.", {("PAK", "194", "IND")}),
    ("terror-attack", "Militants from Pakistan attacked Indian soldiers in Kashmir.", {("PAK", "180", "IND")}),
    ("passive", "Indian posts were shelled by Pakistani troops.", {("PAK", "194", "IND")}),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_coding_pattern_family(coder, name, text, expected):
    assert triples(code(coder, text)) == expected


def test_coding_negated_accusation_is_not_written(coder, uncertain_coder):
    text = "The United States stopped short of blaming Pakistan for the attack."
    assert code(coder, text) == []
    kept = code(uncertain_coder, text)
    assert [(e.cameo_root, e.negated) for e in kept] == [("11", True)]


def test_coding_explicit_negation(coder):
    assert code(coder, "Russia did not condemn India.") == []


def test_coding_hypothetical_strike_is_flagged(coder, uncertain_coder):
    text = "Pakistan said India would launch a military strike within days."
    assert [e for e in code(coder, text) if e.cameo_root == "19"] == []
    strikes = [e for e in code(uncertain_coder, text) if e.cameo_root == "19"]
    assert strikes and all(e.hypothetical for e in strikes)


def test_coding_threat_keeps_threat_not_the_threatened_strike(coder):
    events = code(coder, "Pakistan threatened to strike India if its water supply was cut.")
    assert {e.cameo_root for e in events} == {"13"}


def test_coding_commentary_is_no_event(coder):
    text = ("Moscow's neutral stance signals unease with New Delhi's growing alignment with Washington. "
            "Russia's call for calm comes despite its partnership with India.")
    assert code(coder, text) == []


def test_coding_place_containing_a_country_name_is_not_that_country(coder):
    events = code(coder, "Police in Indianapolis arrested two men after a shooting.")
    assert all((e.source is None or e.source.country != "IND") and
               (e.target is None or e.target.country != "IND") for e in events)
    assert code(coder, "Officials in Indianapolis condemned the shooting.") == []


def test_coding_both_nations_resolves_to_the_pair_named_before(coder):
    text = ("Tensions between India and Pakistan rose after the attack. "
            "Lavrov urged both nations to resolve their differences.")
    assert triples(code(coder, text)) == {("RUS", "027", "IND"), ("RUS", "027", "PAK")}


def test_coding_reported_speech_keeps_the_speaker_as_source(coder):
    events = code(coder, "Pakistan's foreign ministry said it condemned India's decision.")
    assert triples(events) == {("PAK", "111", "IND")}


def test_coding_events_carry_plover_goldstein_and_quad_class(coder):
    events = code(coder, "India and Pakistan agreed to a ceasefire on Saturday.")
    assert len(events) == 2
    for event in events:
        assert event.plover.type == "RETREAT" and event.plover.mode == "ceasefire"
        assert event.quad_class == 2 and event.goldstein == 9.0
