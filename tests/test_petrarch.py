"""PETRARCH/TABARI dictionaries: the readers, their conversion, the verb-pattern coder, and the
PETRARCH2 unit-test gate (docs/petrarch.md).

The small dictionaries here are written for these tests (an invented world: Zembla,
Ruritania, Freedonia); the published ones are read from ../shared.
"""

from __future__ import annotations

import pytest

from kautilya import Settings
from kautilya.actors import ActorDictionary, AgentCode, compose_code
from kautilya.cli import main
from kautilya.errors import DictionaryError
from kautilya.evaluate import evaluate_file
from kautilya.petrarch import (EventCodes, add_to_actor_dictionary, detect_kind, load_dictionaries,
                               read_actor_dictionary, read_agent_dictionary, read_discards, read_verb_dictionary)
from kautilya.pipeline import Coder

from conftest import code

VERBS = """<!-- an invented verb dictionary -->
&MONEY
+FLORIN
+GOLD_BAR
+SWAMP DOLLARS_

&NEGATION_
+DID N'T
+WILL NOT

--- GIVE [070] ---
GIVE {GAVE GIVEN GIVES}
DONATE   # regular forms: donates, donated, donating
- * &MONEY [071]
- &NEGATION * [---]

--- RESTORE [064] ---
RESTORE
+BRING_BACK {+BROUGHT_BACK +BRINGS_BACK}
- * FULL_TIES [0641]

--- RECEIVE [---] ---
RECEIVE
- + * AID FROM $ [070]  # the receiver is the target

--- CONDEMN [122] ---
CONDEMN

--- MEET [036:036] ---
MEET {MET MEETS}

--- SAY [---] ---
SAY {SAID SAYS}
"""

ACTORS = """# an invented actor dictionary
ZEMBLA_ [ZEM]
+ZEMBLAN

RURITANIA [RUR]
+RURITANIAN

FREEDONIA [FRE]

THE_SWAMP_LEAGUE [IGOSWL]

GENERAL_VLAD   # office holder whose code changes with time
\t[RURMIL 20100101-20151231]
\t[RURGOV >20160101]
\t[RUR]

TWIN_CITIES [ZEM/RUR]
"""

AGENTS = """!PERSON! = MAN, MEN, WOMAN, WOMEN
DEFENCE_MINISTER [~GOVDEF]
MINISTER [~GOV]
POLICE {} [~COP]
FISHER!PERSON! [~AGR]
GOOSE {GEESE} [~GSE]
RELIEF_AGENCY [NGO~]
"""

DISCARDS = """FOOTBALL_
+CHESS OLYMPIAD
"""


@pytest.fixture(scope="module")
def dictionary_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("petrarch")
    files = []
    for name, text in (("world.verbs.txt", VERBS), ("world.actors.txt", ACTORS),
                       ("world.agents.txt", AGENTS), ("world.discards.txt", DISCARDS)):
        (folder / name).write_text(text, encoding="utf-8")
        files.append(str(folder / name))
    return tuple(files)


@pytest.fixture(scope="module")
def petrarch_coder(dictionary_files) -> Coder:
    return Coder.from_settings(Settings(dictionary_files=dictionary_files, builtin=False))


def coded(coder: Coder, text: str, date: str = "2020-05-01") -> set[tuple]:
    return {(e.source.code if e.source else None, e.cameo, e.target.code if e.target else None)
            for e in code(coder, text, date)}


# --------------------------------------------------------------------------- readers


def test_petrarch_reads_verb_synsets_blocks_forms_and_patterns(dictionary_files):
    book = read_verb_dictionary(dictionary_files[0])
    assert [b.name for b in book.blocks] == ["GIVE", "RESTORE", "RECEIVE", "CONDEMN", "MEET", "SAY"]
    # Synset phrases get plurals unless the phrase (or the label) ends with "_".
    assert ("gold", "bars") in book.synsets["MONEY"] and ("swamp", "dollars") in book.synsets["MONEY"]
    assert ("swamp", "dollarses") not in book.synsets["MONEY"]
    assert ("did", "n'ts") not in book.synsets["NEGATION"]
    forms = {f.words for word in ("donated", "gave", "brought") for f in book.forms[word]}
    assert forms == {("donated",), ("gave",), ("brought", "back")}
    assert "restores" in book.forms and "departes" not in book.forms
    give = book.blocks[0]
    assert give.codes == EventCodes("070") and book.blocks[4].codes == EventCodes("036", "036")
    # Longer patterns first; "+ * AID FROM $": target before the verb, source after FROM.
    receive = book.blocks[2].patterns[0]
    assert [e.kind for e in receive.upper] == ["+"] and [e.text or e.kind for e in receive.lower] == ["aid", "from", "$"]
    assert receive.codes.forward == "070" and receive.source == "world.verbs.txt:24"
    assert give.patterns[1].codes.is_null


def test_petrarch_reads_actors_with_synonyms_and_date_restrictions(dictionary_files):
    records = {r.name: r for r in read_actor_dictionary(dictionary_files[1])}
    assert records["ZEMBLA"].phrases == [("zembla",), ("zemblan",)] and records["ZEMBLA"].codes == ("ZEM",)
    vlad = records["GENERAL VLAD"]
    assert vlad.codes == ("RUR",)
    assert [(d.codes, d.start, d.end) for d in vlad.dated] == [
        (("RURMIL",), "2010-01-01", "2015-12-31"), (("RURGOV",), "2016-01-01", "")]
    assert records["TWIN CITIES"].codes == ("ZEM", "RUR")


def test_petrarch_reads_agents_with_plurals_substitutions_and_prefixes(dictionary_files):
    agents = {r.phrases[0]: r for r in read_agent_dictionary(dictionary_files[2])}
    assert agents[("defence", "minister")].phrases == [("defence", "minister"), ("defence", "ministers")]
    assert agents[("police",)].phrases == [("police",)]  # {}: no plural
    assert agents[("goose",)].phrases == [("goose",), ("geese",)]
    assert [p for p in agents[("fisherman",)].phrases] == [("fisherman",), ("fishermen",), ("fisherwoman",),
                                                            ("fisherwomen",)]
    relief = agents[("relief", "agency")]
    assert (relief.code, relief.prefix) == ("NGO", True) and agents[("minister",)].prefix is False


def test_petrarch_reads_discards_for_sentences_and_stories(dictionary_files):
    discards = read_discards(dictionary_files[3])
    assert discards.sentence == ["FOOTBALL_"] and discards.story == ["CHESS OLYMPIAD"]
    assert discards.hits_sentence("A football match in Zembla.")
    assert not discards.hits_sentence("Footballers met in Zembla.")  # "_": whole word only
    assert discards.hits_story("The chess olympiads opened.") and not discards.hits_story("Chess players met.")


@pytest.mark.parametrize("kind, text, message", [
    ("verbs", "--- GIVE [070] ---\nGIVE\n- * MONEY\n", "pattern has no [code]"),
    ("verbs", "--- GIVE [070] ---\nGIVE\n- * TO * [070]\n", "exactly one '*'"),
    ("verbs", "- * MONEY [070]\n", "before the first"),
    ("verbs", "--- GIVE [070] ---\nGIVE\n- * &NOSUCH [070]\n", "undefined synset &NOSUCH"),
    ("actors", "ZEMBLA [ZEM]\n\t[ZEMGOV 2004017-20061201]\n", "cannot read the date restriction"),
    ("actors", "+ZEMBLAN\n", "before the first actor"),
    ("agents", "MINISTER [GOV]\n", "[~CODE]"),
    ("agents", "!BOSS!_OF_STATE [~GOV]\n", "undefined substitution set !BOSS!"),
])
def test_petrarch_bad_line_fails_naming_file_and_line(tmp_path, kind, text, message):
    path = tmp_path / f"bad.{kind}.txt"
    path.write_text("# a comment\n" + text, encoding="utf-8")
    reader = {"verbs": read_verb_dictionary, "actors": read_actor_dictionary, "agents": read_agent_dictionary}[kind]
    with pytest.raises(DictionaryError) as error:
        reader(path)
    assert message in str(error.value) and f"bad.{kind}.txt:" in str(error.value)
    problems: list[DictionaryError] = []
    reader(path, problems)  # lenient: the line is skipped and kept as a problem
    assert len(problems) == 1 and problems[0].line == error.value.line


def test_petrarch_detects_kind_by_name_then_content(tmp_path, dictionary_files):
    assert [detect_kind(f) for f in dictionary_files] == ["verbs", "actors", "agents", "discards"]
    for name, text, kind in (("a.txt", VERBS, "verbs"), ("b.txt", AGENTS, "agents"), ("c.txt", ACTORS, "actors"),
                             ("d.txt", DISCARDS, "discards")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert detect_kind(tmp_path / name) == kind
    (tmp_path / "x.issues.txt").write_text("<ISSUE CATEGORY='X'>\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="not supported"):
        detect_kind(tmp_path / "x.issues.txt")


def test_petrarch_compose_code_adds_agents_without_repeating_them():
    gov, med, ngo = AgentCode("GOV"), AgentCode("MED"), AgentCode("NGO", prefix=True)
    assert compose_code("ARN", [gov]) == ("ARNGOV", "ARNGOV")
    assert compose_code("USAGOV", [gov]) == ("USAGOV", "USAGOV")
    assert compose_code("HGWGOVMED", [AgentCode("GOVMED")])[0] == "HGWGOVMED"
    assert compose_code("GMWGOV", [AgentCode("WGO")])[0] == "GMWGOVWGO"  # not a three-letter part
    assert compose_code("ARN", [ngo, gov]) == ("NGOARNGOV", "ARNGOV")
    assert compose_code("---", [med]) == ("---MED", "---MED")


# --------------------------------------------------------------------------- coding


@pytest.mark.parametrize("text, date, expected", [
    # Regular forms generated; the first actor after the verb is the target.
    ("Zembla restored relations with Ruritania.", "2020-05-01", {("ZEM", "064", "RUR")}),
    # A pattern refines the code; "_" asks for adjacent words.
    ("Zembla restored full ties with Ruritania.", "2020-05-01", {("ZEM", "0641", "RUR")}),
    ("Zembla restored full diplomatic ties with Ruritania.", "2020-05-01", {("ZEM", "064", "RUR")}),
    # Multi-word verb with a listed irregular form.
    ("Zembla brought back its ambassador to Ruritania.", "2020-05-01", {("ZEM", "064", "RUR")}),
    # Synsets (with generated plurals) pick the pattern; the null code of a pattern means no event.
    ("Zembla donated a million florins to Ruritania.", "2020-05-01", {("ZEM", "071", "RUR")}),
    ("Zembla gave two gold bars to Ruritania.", "2020-05-01", {("ZEM", "071", "RUR")}),
    ("Zembla gave food to Ruritania.", "2020-05-01", {("ZEM", "070", "RUR")}),
    ("Zembla didn't give food to Ruritania.", "2020-05-01", set()),
    # $ and + in a pattern place source and target.
    ("Ruritania received aid from Zembla.", "2020-05-01", {("ZEM", "070", "RUR")}),
    # Passive with "by": the agent is the source.
    ("Ruritania was condemned by Freedonia.", "2020-05-01", {("FRE", "122", "RUR")}),
    # Agents join the actor code (prefixed agents before it).
    ("Freedonia's defence minister condemned Zembla.", "2020-05-01", {("FREGOVDEF", "122", "ZEM")}),
    ("The Zemblan police condemned Ruritanian fishermen.", "2020-05-01", {("ZEMCOP", "122", "RURAGR")}),
    ("The Freedonia relief agency condemned Zembla.", "2020-05-01", {("NGOFRE", "122", "ZEM")}),
    ("Ministers condemned Zembla.", "2020-05-01", {("---GOV", "122", "ZEM")}),
    # Codes chosen by the article's date; paired codes give the reply too.
    ("General Vlad met Zembla.", "2012-03-01", {("RURMIL", "036", "ZEM"), ("ZEM", "036", "RURMIL")}),
    ("General Vlad met Zembla.", "2020-03-01", {("RURGOV", "036", "ZEM"), ("ZEM", "036", "RURGOV")}),
    ("General Vlad met Zembla.", "2005-03-01", {("RUR", "036", "ZEM"), ("ZEM", "036", "RUR")}),
    # Several codes for one name, and coordinated actors: one event per pair.
    ("The Twin Cities condemned Freedonia.", "2020-05-01", {("ZEM", "122", "FRE"), ("RUR", "122", "FRE")}),
    ("Zembla and Freedonia condemned Ruritania.", "2020-05-01", {("ZEM", "122", "RUR"), ("FRE", "122", "RUR")}),
    # Null-coded verbs code nothing; discards drop the sentence.
    ("Zembla said Ruritania was wrong.", "2020-05-01", set()),
    ("Zembla condemned Ruritania after the football match.", "2020-05-01", set()),
])
def test_petrarch_codes_sentences_with_its_dictionaries(petrarch_coder, text, date, expected):
    assert coded(petrarch_coder, text, date) == expected


def test_petrarch_provenance_names_the_dictionary_line(petrarch_coder):
    event, = code(petrarch_coder, "Zembla donated a million florins to Ruritania.", "2020-05-01")
    assert event.pattern_id.startswith("petrarch:world.verbs.txt:") and event.cameo_name.startswith("Provide economic aid")
    assert "world.verbs.txt" in event.dictionary_version and "world.actors.txt" in event.dictionary_version
    assert (event.source.name, event.source.via) == ("ZEMBLA", "dictionary")


def test_petrarch_story_discard_drops_the_whole_article(petrarch_coder):
    text = "Zembla condemned Ruritania. The chess olympiad opened in Freedonia."
    assert coded(petrarch_coder, text) == set()


def test_petrarch_dictionaries_alongside_or_instead_of_the_builtin_ones(dictionary_files):
    text = "Zembla condemned Ruritania. India condemned Pakistan. Russia urged India to show restraint."
    # Alongside: the dictionary's verbs come first (with built-in actors too: CONDEMN [122]), the
    # built-in patterns code what the dictionary does not know ("urged ... restraint").
    alongside = Coder.from_settings(Settings(dictionary_files=dictionary_files))
    assert coded(alongside, text) == {("ZEM", "122", "RUR"), ("IND", "122", "PAK"), ("RUS", "0256", "IND")}
    instead = Coder.from_settings(Settings(dictionary_files=dictionary_files, builtin=False))
    assert coded(instead, text) == {("ZEM", "122", "RUR")}


def test_petrarch_cli_codes_with_dictionaries_and_reports_bad_lines(tmp_path, dictionary_files, caplog):
    bad_agents = tmp_path / "typos.agents.txt"
    bad_agents.write_text("CONSUL [~GOV]\nENVOY [~GOV}\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("The Zemblan consul condemned Ruritania.", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    status = main(["code", str(article), "--date", "2020-05-01", "-o", str(out), "--no-builtin",
                   "--dictionaries", *dictionary_files, str(bad_agents)])
    assert status == 0
    assert '"code": "ZEMGOV"' in out.read_text(encoding="utf-8")
    assert "typos.agents.txt:2: agent entry needs" in caplog.text  # skipped, with a warning


def test_petrarch_cli_no_builtin_needs_dictionaries(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Zembla condemned Ruritania.", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["code", str(article), "--no-builtin"])
    assert exit_.value.code == 2


# --------------------------------------------------------------------------- published dictionaries


def test_petrarch_loads_the_published_dictionaries(shared):
    folder = shared / "gold" / "petrarch2" / "dictionaries"
    names = ["CAMEO.2.0.txt", "Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
             "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt", "Phoenix.discards.txt"]
    loaded = load_dictionaries(tuple(str(folder / n) for n in names), lenient=True)
    verbs, = loaded.verbs
    assert len(verbs.blocks) > 350 and verbs.pattern_count > 4500 and len(verbs.transformations) == 8
    assert {f.block.name for f in verbs.forms["condemned"]} and verbs.blocks[0].patterns[0].phrase_bound
    assert len(loaded.actors) > 27000 and len(loaded.agents) > 2200 and len(loaded.discards.sentence) > 400
    # The published files carry a few typos: skipped and reported with file and line.
    assert sorted((p.source.rsplit("/", 1)[-1], p.line) for p in loaded.problems) == sorted([
        ("CAMEO.2.0.txt", 8443), ("CAMEO.2.0.txt", 8444), ("Phoenix.Countries.actors.txt", 2039),
        ("Phoenix.Countries.actors.txt", 18010), ("Phoenix.Countries.actors.txt", 22508),
        ("Phoenix.Countries.actors.txt", 22519), ("Phoenix.Countries.actors.txt", 31715),
        ("Phoenix.Countries.actors.txt", 43613), ("Phoenix.Countries.actors.txt", 51384),
        ("Phoenix.International.actors.txt", 40), ("Phoenix.agents.txt", 544), ("Phoenix.agents.txt", 1927)])
    annan = next(r for r in loaded.actors if r.name == "KOFI ANNAN")
    assert [(d.codes, d.start, d.end) for d in annan.dated][0] == (("IGOUNO",), "1997-01-01", "2006-12-31")
    with pytest.raises(DictionaryError, match="CAMEO.2.0.txt:8443"):
        load_dictionaries((str(folder / "CAMEO.2.0.txt"),))
    book = ActorDictionary()
    add_to_actor_dictionary(book, loaded)
    assert book.coded_agents["foreign minister"].code.startswith("GOV")


def test_petrarch_unit_tests_gate(shared):
    """PETRARCH2's 284 unit-test sentences with its validation dictionaries: at least 75% of the
    sentences exactly right, with the built-in knowledge alongside and without it."""
    folder = shared / "gold" / "petrarch2"
    files = tuple(str(folder / "dictionaries" / f"PETR.Validate.{kind}.txt")
                  for kind in ("verbs", "actors", "agents", "discards"))
    for builtin in (True, False):
        report = evaluate_file(folder / "PETR.UnitTest.records.xml",
                               settings=Settings(dictionary_files=files, builtin=builtin))
        assert report.sentences == 284
        assert report.exact_share >= 0.75, (builtin, report.summary())
