"""The event store: articles, sentences, actors, events, event clusters and mentions in one DuckDB file.

Writes are idempotent: an article is keyed by its id and a hash of its text, so an article
already stored with the same text is skipped and a changed one replaces its old rows. Each
batch of articles is written in one transaction, so a crash never leaves half an article.
The schema is created and upgraded by named, run-once migrations recorded in
``schema_migrations``. Tables and columns are described in ``docs/store.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import duckdb

from .analytics import cluster_key
from .errors import StoreError
from .ingest import url_domain
from .schema import Actor, Article, Claim, Event, Location, Plover

#: The newest schema this version of Kautilya writes; equal to the number of migrations.
SCHEMA_VERSION = 2

#: Named migrations, applied once each, in order. Never edit one that has shipped: add another.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", """
    CREATE TABLE articles (
        article_id VARCHAR PRIMARY KEY,
        text_hash VARCHAR NOT NULL,
        title VARCHAR,
        date DATE,
        url VARCHAR,
        source VARCHAR,
        publishers VARCHAR[] NOT NULL,
        origin VARCHAR,
        n_chars INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        coded_at TIMESTAMP NOT NULL
    );
    CREATE TABLE sentences (
        article_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        PRIMARY KEY (article_id, sentence_index)
    );
    CREATE TABLE actors (
        actor_id VARCHAR PRIMARY KEY,
        code VARCHAR,
        name VARCHAR,
        country VARCHAR,
        sector VARCHAR
    );
    CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY,
        article_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        date DATE,
        source_actor_id VARCHAR,
        source_text VARCHAR,
        source_char_start INTEGER,
        source_char_end INTEGER,
        source_via VARCHAR,
        target_actor_id VARCHAR,
        target_text VARCHAR,
        target_char_start INTEGER,
        target_char_end INTEGER,
        target_via VARCHAR,
        cameo VARCHAR NOT NULL,
        cameo_base VARCHAR NOT NULL,
        cameo_root VARCHAR NOT NULL,
        cameo_name VARCHAR NOT NULL,
        quad_class INTEGER NOT NULL,
        goldstein DOUBLE NOT NULL,
        plover_type VARCHAR,
        plover_mode VARCHAR,
        plover_contexts VARCHAR[] NOT NULL,
        trigger VARCHAR NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        location_name VARCHAR,
        location_country VARCHAR,
        location_admin1 VARCHAR,
        location_lat DOUBLE,
        location_lon DOUBLE,
        location_geonameid BIGINT,
        location_precision VARCHAR,
        agreements VARCHAR NOT NULL,  -- JSON list: the treaties the sentence invokes
        negated BOOLEAN NOT NULL,
        hypothetical BOOLEAN NOT NULL,
        confidence DOUBLE NOT NULL,
        pattern_id VARCHAR NOT NULL,
        coder_version VARCHAR NOT NULL,
        dictionary_version VARCHAR NOT NULL,
        origin VARCHAR,
        cluster_key VARCHAR NOT NULL
    );
    CREATE INDEX events_article ON events (article_id);
    CREATE INDEX events_cluster_key ON events (cluster_key);
    CREATE TABLE clusters (
        cluster_id BIGINT PRIMARY KEY,
        cluster_key VARCHAR NOT NULL,
        source_key VARCHAR NOT NULL,
        target_key VARCHAR NOT NULL,
        source_code VARCHAR,
        source_name VARCHAR,
        source_country VARCHAR,
        source_sector VARCHAR,
        target_code VARCHAR,
        target_name VARCHAR,
        target_country VARCHAR,
        target_sector VARCHAR,
        cameo VARCHAR NOT NULL,
        cameo_base VARCHAR NOT NULL,
        cameo_root VARCHAR NOT NULL,
        cameo_name VARCHAR NOT NULL,
        quad_class INTEGER NOT NULL,
        goldstein DOUBLE NOT NULL,
        plover_type VARCHAR,
        plover_mode VARCHAR,
        plover_contexts VARCHAR[] NOT NULL,
        event_date DATE,
        end_date DATE,
        first_reported DATE,
        last_reported DATE,
        num_mentions INTEGER NOT NULL,
        num_sources INTEGER NOT NULL,
        num_articles INTEGER NOT NULL,
        is_root_event BOOLEAN NOT NULL,
        confidence DOUBLE NOT NULL,
        location_name VARCHAR,
        location_country VARCHAR,
        location_lat DOUBLE,
        location_lon DOUBLE,
        location_geonameid BIGINT,
        location_precision VARCHAR,
        first_article_id VARCHAR NOT NULL,
        source_url VARCHAR
    );
    CREATE INDEX clusters_key ON clusters (cluster_key);
    CREATE TABLE mentions (
        cluster_id BIGINT NOT NULL,
        event_id VARCHAR NOT NULL,
        cluster_key VARCHAR NOT NULL,
        article_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        source_char_start INTEGER,
        target_char_start INTEGER,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        confidence DOUBLE NOT NULL,
        mention_date DATE,
        publisher VARCHAR,
        url VARCHAR,
        n_chars INTEGER NOT NULL
    );
    CREATE INDEX mentions_key ON mentions (cluster_key);
    -- Partitions (cluster keys) whose events changed since clusters were last built: written
    -- in the same transaction as the events, so a crash before clustering is caught up later.
    CREATE TABLE dirty_cluster_keys (cluster_key VARCHAR PRIMARY KEY);
    """),
    ("0002_claims", """
    -- Attribution claims (docs/attribution.md): who blames whom, for what, on what evidence.
    CREATE TABLE claims (
        claim_id VARCHAR PRIMARY KEY,
        article_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        date DATE,
        claimant_code VARCHAR,
        claimant_country VARCHAR,
        accused_code VARCHAR,
        accused_country VARCHAR,
        incident VARCHAR,
        incident_event_id VARCHAR,
        stance VARCHAR NOT NULL,
        evidence VARCHAR NOT NULL,
        evidence_words VARCHAR,
        hearsay BOOLEAN NOT NULL,
        record JSON NOT NULL
    );
    CREATE INDEX claims_article ON claims (article_id);
    """),
]


@dataclass
class WriteSummary:
    """What one ``EventStore.write`` call changed."""

    added: int = 0
    replaced: int = 0
    events: int = 0

    def __iadd__(self, other: "WriteSummary") -> "WriteSummary":
        self.added += other.added
        self.replaced += other.replaced
        self.events += other.events
        return self


@dataclass
class StoreCounts:
    articles: int
    events: int
    clusters: int
    mentions: int


@dataclass
class EventStore:
    """An open DuckDB event store. Use as a context manager, or call ``close``.

    Raises:
        StoreError: the file is not a DuckDB database, is locked by another process, or was
            written by a newer Kautilya.
    """

    path: str
    con: duckdb.DuckDBPyConnection = field(repr=False)

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> "EventStore":
        """Open (and with ``create``, create) the store at ``path`` and bring its schema up to date."""
        path = str(path)
        if not create and path != ":memory:" and not Path(path).is_file():
            raise StoreError("no such store (create one with `kautilya code INPUT -o FILE.duckdb`)", source=path)
        try:
            con = duckdb.connect(path)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store: {exc}", source=path) from exc
        store = cls(path, con)
        try:
            store._migrate()
        except BaseException:
            con.close()
            raise
        return store

    @classmethod
    def open_read_only(cls, path: str | Path) -> "EventStore":
        """Open an existing store for reading only (the web server's way): nothing is migrated,
        and other processes may read the same file at the same time.

        Raises:
            StoreError: no such file, not a Kautilya store, or a schema older or newer than this
                Kautilya's (open it once with ``kautilya code`` to upgrade an older one).
        """
        path = str(path)
        if not Path(path).is_file():
            raise StoreError("no such store (create one with `kautilya code INPUT -o FILE.duckdb`)", source=path)
        try:
            con = duckdb.connect(path, read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the store: {exc}", source=path) from exc
        store = cls(path, con)
        try:
            applied = {name for (name,) in con.execute("SELECT name FROM schema_migrations").fetchall()}
        except duckdb.Error as exc:
            con.close()
            raise StoreError(f"not a Kautilya store: {exc}", source=path) from exc
        if applied != {name for name, _ in MIGRATIONS}:
            con.close()
            raise StoreError(f"the store's schema (migrations {sorted(applied)}) is not this Kautilya's "
                             f"(version {SCHEMA_VERSION}); open it once with `kautilya code` to upgrade it, "
                             "or upgrade Kautilya", source=path)
        return store

    def cursor(self) -> "EventStore":
        """The same store through a new cursor: DuckDB connections must not be shared between
        threads, cursors may be, one per thread. Close it when done."""
        return EventStore(self.path, self.con.cursor())

    def __enter__(self) -> "EventStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # ------------------------------------------------------------------ schema

    def _migrate(self) -> None:
        try:
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, "
                             "schema_version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
            applied = {name for (name,) in self.con.execute("SELECT name FROM schema_migrations").fetchall()}
        except duckdb.Error as exc:
            raise StoreError(f"not a Kautilya store: {exc}", source=self.path) from exc
        known = {name for name, _ in MIGRATIONS}
        if applied - known:
            raise StoreError(f"the store was written by a newer Kautilya (migrations {sorted(applied - known)}); "
                             "upgrade Kautilya to read it", source=self.path)
        for version, (name, sql) in enumerate(MIGRATIONS, start=1):
            if name in applied:
                continue
            with self.transaction():
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                 [name, version, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)])

    def schema_version(self) -> int:
        (version,) = self.con.execute("SELECT coalesce(max(schema_version), 0) FROM schema_migrations").fetchone()
        return version

    def transaction(self) -> "_Transaction":
        return _Transaction(self)

    # ------------------------------------------------------------------ writing

    def article_hashes(self) -> dict[str, str]:
        """Every stored article id with the hash of its text."""
        return dict(self.con.execute("SELECT article_id, text_hash FROM articles").fetchall())

    def write(self, batch: Sequence[tuple[Article, Sequence[Event]] | tuple[Article, Sequence[Event], Sequence[Claim]]]
              ) -> WriteSummary:
        """Store articles with their events in one transaction; an article stored before is replaced.

        The clusters of the events written (and of the events replaced) are marked for
        rebuilding: call ``analytics.rebuild_clusters`` afterwards.

        Raises:
            StoreError: a row cannot be written (the message names the article).
        """
        latest: dict[str, tuple[Article, Sequence[Event]]] = {}
        claims: dict[str, Sequence[Claim]] = {}
        for article, events, *rest in batch:
            latest[article.id] = (article, events)  # the last version of an id in a batch wins
            claims[article.id] = rest[0] if rest else ()
        if not latest:
            return WriteSummary()
        ids = list(latest)
        rows = _Rows()
        for article, events in latest.values():
            try:
                rows.add(article, events)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"cannot store the article: {exc}", source=article.origin, record=article.id) from exc
        with self.transaction():
            existing = self.con.execute("SELECT count(*) FROM articles WHERE article_id IN (SELECT unnest(?))",
                                        [ids]).fetchone()[0]
            self.con.execute("INSERT OR IGNORE INTO dirty_cluster_keys SELECT DISTINCT cluster_key FROM events "
                             "WHERE article_id IN (SELECT unnest(?))", [ids])
            for table in ("events", "sentences", "articles", "claims"):
                self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
            self._insert("articles", rows.articles)
            self._insert("sentences", rows.sentences)
            self._insert("actors", list(rows.actors.values()), or_ignore=True)
            self._insert("events", rows.events)
            self._insert("claims", [_claim_row(c) for found in claims.values() for c in found], or_ignore=True)
            keys = sorted({row["cluster_key"] for row in rows.events})
            if keys:
                self.con.execute("INSERT OR IGNORE INTO dirty_cluster_keys SELECT unnest(?)", [keys])
        return WriteSummary(added=len(ids) - existing, replaced=existing, events=len(rows.events))

    def _insert(self, table: str, rows: list[dict[str, Any]], or_ignore: bool = False) -> None:
        """Insert many rows at once, column by column (``executemany`` is far slower in DuckDB)."""
        if not rows:
            return
        types = self._column_types(table)
        columns = list(rows[0])
        selects = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
        verb = "INSERT OR IGNORE INTO" if or_ignore else "INSERT INTO"
        try:
            self.con.execute(f"{verb} {table} ({', '.join(columns)}) SELECT {selects}",
                             [[row[c] for row in rows] for c in columns])
        except duckdb.Error as exc:
            raise StoreError(f"cannot write {len(rows)} rows to {table}: {exc}", source=self.path) from exc

    def _column_types(self, table: str) -> dict[str, str]:
        return dict(self.con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                     "WHERE table_name = ?", [table]).fetchall())

    # ------------------------------------------------------------------ clusters

    def dirty_cluster_keys(self) -> list[str]:
        return [key for (key,) in self.con.execute("SELECT cluster_key FROM dirty_cluster_keys ORDER BY 1").fetchall()]

    def mentions_for_keys(self, keys: Sequence[str]) -> list[dict[str, Any]]:
        """Every factual event of the given cluster keys, with what clustering needs to know."""
        return self.rows(f"""
            SELECT e.event_id, e.cluster_key, e.article_id, e.sentence_index, e.date AS event_date,
                   a.date AS report_date, a.publishers, a.url, a.origin, a.n_chars,
                   s.char_start, s.char_end, e.source_char_start, e.target_char_start,
                   e.trigger_start, e.trigger_end, e.confidence,
                   {_actor_columns('source')}, {_actor_columns('target')},
                   e.cameo, e.cameo_base, e.cameo_root, e.cameo_name, e.quad_class, e.goldstein,
                   e.plover_type, e.plover_mode, e.plover_contexts,
                   e.location_name, e.location_country, e.location_lat, e.location_lon,
                   e.location_geonameid, e.location_precision
            FROM events e
            JOIN articles a USING (article_id)
            JOIN sentences s USING (article_id, sentence_index)
            LEFT JOIN actors sa ON sa.actor_id = e.source_actor_id
            LEFT JOIN actors ta ON ta.actor_id = e.target_actor_id
            WHERE e.cluster_key IN (SELECT unnest(?)) AND NOT e.negated AND NOT e.hypothetical
            ORDER BY e.cluster_key, e.event_id""", [list(keys)])

    def replace_clusters(self, keys: Sequence[str], clusters: list[dict[str, Any]],
                         mentions: list[dict[str, Any]]) -> None:
        """Swap the clusters and mentions of ``keys`` for new ones and mark the keys clean, atomically."""
        with self.transaction():
            for table in ("mentions", "clusters", "dirty_cluster_keys"):
                self.con.execute(f"DELETE FROM {table} WHERE cluster_key IN (SELECT unnest(?))", [list(keys)])
            self._insert("clusters", clusters)
            self._insert("mentions", mentions)

    # ------------------------------------------------------------------ reading

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read query and return its rows as dicts."""
        try:
            cursor = self.con.execute(sql, list(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {exc}", source=self.path) from exc

    def counts(self) -> StoreCounts:
        return StoreCounts(*(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                             for table in ("articles", "events", "clusters", "mentions")))

    def events(self, article_id: str | None = None) -> Iterator[Event]:
        """The stored events (of one article, or all), rebuilt as ``Event`` objects."""
        where, params = ("WHERE e.article_id = ?", [article_id]) if article_id is not None else ("", [])
        rows = self.rows(f"""
            SELECT e.*, s.char_start, s.char_end, s.text AS sentence,
                   {_actor_columns('source')}, {_actor_columns('target')}
            FROM events e
            JOIN sentences s USING (article_id, sentence_index)
            LEFT JOIN actors sa ON sa.actor_id = e.source_actor_id
            LEFT JOIN actors ta ON ta.actor_id = e.target_actor_id
            {where}
            ORDER BY e.article_id, e.sentence_index, e.trigger_start, e.event_id""", params)
        for row in rows:
            yield _event_from_row(row)


class _Transaction:
    def __init__(self, store: EventStore) -> None:
        self.con = store.con

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")


# ---------------------------------------------------------------------- rows


def _claim_row(claim: Claim) -> dict[str, Any]:
    record = claim.to_record()
    return {
        "claim_id": record["claim_id"], "article_id": claim.doc_id, "sentence_index": claim.sentence_index,
        "char_start": claim.char_start, "char_end": claim.char_end, "date": _date(claim.date),
        "claimant_code": claim.claimant.code if claim.claimant else None,
        "claimant_country": claim.claimant.country if claim.claimant else None,
        "accused_code": claim.accused.code if claim.accused else None,
        "accused_country": claim.accused.country if claim.accused else None,
        "incident": claim.incident, "incident_event_id": claim.incident_event_id, "stance": claim.stance,
        "evidence": claim.evidence, "evidence_words": claim.evidence_words, "hearsay": claim.hearsay,
        "record": json.dumps(record, ensure_ascii=False),
    }


def text_hash(text: str) -> str:
    """The hash that tells a changed article from one already stored."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def publishers(article: Article) -> list[str]:
    """Who published an article, for NumSources: the publishers it cites, else its source, else the
    URL's domain, else the input file."""
    if article.cited_sources:
        return list(article.cited_sources)
    for name in (article.source, url_domain(article.url)):
        if name and name.strip():
            return [name.strip()]
    if article.origin:
        return [article.origin.rsplit(":", 1)[0] if article.origin.rsplit(":", 1)[-1].isdigit() else article.origin]
    return []


def actor_id(actor: Actor) -> str:
    """A hash of what the ``actors`` table holds (JSON keeps None and "" apart)."""
    parts = json.dumps([actor.code, actor.name, actor.country, actor.sector], ensure_ascii=True)
    return hashlib.sha1(parts.encode("ascii")).hexdigest()[:16]


def _actor_columns(side: str) -> str:
    alias = side[0] + "a"
    return ", ".join(f"{alias}.{c} AS {side}_{c}" for c in ("code", "name", "country", "sector"))


class _Rows:
    """The rows of a batch of articles, table by table."""

    def __init__(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.sentences: list[dict[str, Any]] = []
        self.actors: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    def add(self, article: Article, events: Iterable[Event]) -> None:
        self.articles.append({
            "article_id": article.id, "text_hash": text_hash(article.text), "title": article.title,
            "date": _date(article.date), "url": article.url, "source": article.source,
            "publishers": publishers(article), "origin": article.origin, "n_chars": len(article.text),
            "text": article.text, "coded_at": self._now,
        })
        seen_sentences = set()
        for event in events:
            if event.doc_id != article.id:
                raise ValueError(f"event {event.event_id} belongs to {event.doc_id!r}, not to this article")
            if event.sentence_index not in seen_sentences:
                seen_sentences.add(event.sentence_index)
                self.sentences.append({"article_id": article.id, "sentence_index": event.sentence_index,
                                       "char_start": event.char_start, "char_end": event.char_end,
                                       "text": event.sentence})
            self.events.append(self._event_row(event))

    def _actor(self, actor: Actor | None) -> str | None:
        if actor is None:
            return None
        key = actor_id(actor)
        self.actors.setdefault(key, {"actor_id": key, "code": actor.code, "name": actor.name,
                                     "country": actor.country, "sector": actor.sector})
        return key

    def _event_row(self, event: Event) -> dict[str, Any]:
        row: dict[str, Any] = {
            "event_id": event.event_id, "article_id": event.doc_id, "sentence_index": event.sentence_index,
            "date": _date(event.date),
        }
        for side, actor in (("source", event.source), ("target", event.target)):
            row[f"{side}_actor_id"] = self._actor(actor)
            row[f"{side}_text"] = actor.text if actor else None
            row[f"{side}_char_start"] = actor.char_start if actor else None
            row[f"{side}_char_end"] = actor.char_end if actor else None
            row[f"{side}_via"] = actor.via if actor else None
        location = event.location
        row.update({
            "cameo": event.cameo, "cameo_base": event.cameo[:3], "cameo_root": event.cameo_root,
            "cameo_name": event.cameo_name, "quad_class": event.quad_class, "goldstein": float(event.goldstein),
            "plover_type": event.plover.type, "plover_mode": event.plover.mode,
            "plover_contexts": list(event.plover.contexts), "trigger": event.trigger,
            "trigger_start": event.trigger_start, "trigger_end": event.trigger_end,
            **{f"location_{f.name}": getattr(location, f.name) if location else None for f in fields(Location)},
            "agreements": json.dumps(event.agreements, ensure_ascii=False),
            "negated": event.negated, "hypothetical": event.hypothetical, "confidence": float(event.confidence),
            "pattern_id": event.pattern_id, "coder_version": event.coder_version,
            "dictionary_version": event.dictionary_version, "origin": event.origin,
            "cluster_key": cluster_key(event),
        })
        return row


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _event_from_row(row: dict[str, Any]) -> Event:
    def actor(side: str) -> Actor | None:
        if row[f"{side}_actor_id"] is None:
            return None
        return Actor(text=row[f"{side}_text"], name=row[f"{side}_name"], country=row[f"{side}_country"],
                     sector=row[f"{side}_sector"], code=row[f"{side}_code"],
                     char_start=row[f"{side}_char_start"], char_end=row[f"{side}_char_end"],
                     via=row[f"{side}_via"])

    location = None
    if row["location_name"] is not None:
        location = Location(**{f.name: row[f"location_{f.name}"] for f in fields(Location)})
    return Event(
        doc_id=row["article_id"], sentence_index=row["sentence_index"], sentence=row["sentence"],
        char_start=row["char_start"], char_end=row["char_end"],
        date=row["date"].isoformat() if row["date"] else None,
        source=actor("source"), target=actor("target"), cameo=row["cameo"], cameo_name=row["cameo_name"],
        quad_class=row["quad_class"], goldstein=row["goldstein"],
        plover=Plover(row["plover_type"], row["plover_mode"], tuple(row["plover_contexts"])),
        trigger=row["trigger"], trigger_start=row["trigger_start"], trigger_end=row["trigger_end"],
        pattern_id=row["pattern_id"], confidence=row["confidence"], negated=row["negated"],
        hypothetical=row["hypothetical"], location=location, agreements=json.loads(row["agreements"]),
        coder_version=row["coder_version"],
        dictionary_version=row["dictionary_version"], origin=row["origin"], event_id=row["event_id"],
    )
