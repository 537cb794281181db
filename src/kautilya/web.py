"""The web API and dashboard (``kautilya serve``): a thin FastAPI layer over the store and analytics.

Routes parse and validate the request, call one library function in ``analytics`` or the
coder, and shape the answer; they hold no query or pipeline logic. The store is opened read
only, once, and every request reads through its own cursor. The dashboard is static files
shipped in the package (``web_static/``), served from memory. Security measures (limits,
headers, host check) are listed in docs/web.md.
"""

# No "from __future__ import annotations": FastAPI reads the annotations of routes defined
# inside create_app, which it cannot resolve from strings.

import asyncio
import datetime as dt
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from . import __version__, analytics
from .config import Settings, WebSettings
from .ingest import Reject, article_from_record
from .store import EventStore

#: Dates outside these bounds are refused: period arithmetic near year 1 or 9999 overflows.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
CODE_PATTERN = r"^[A-Za-z0-9]{2,16}$"
DYAD_PATTERN = r"^[A-Za-z0-9]{2,16}-[A-Za-z0-9]{2,16}$"
MAX_MENTIONS_SHOWN = 200

CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


# ---------------------------------------------------------------------- response models


class ClusterRow(BaseModel):
    """One event cluster (one real-world event, however many reports); docs/analytics.md."""

    cluster_id: str = Field(description="the cluster id, as a string (it is a 60-bit integer)")
    event_date: dt.date | None
    end_date: dt.date | None
    source_code: str | None
    source_name: str | None
    source_country: str | None
    source_sector: str | None
    target_code: str | None
    target_name: str | None
    target_country: str | None
    target_sector: str | None
    cameo: str
    cameo_root: str
    cameo_name: str
    quad_class: int
    goldstein: float
    plover_type: str | None
    plover_mode: str | None
    num_mentions: int
    num_sources: int
    num_articles: int
    confidence: float
    location_name: str | None
    location_country: str | None
    location_lat: float | None
    location_lon: float | None
    first_article_id: str
    source_url: str | None
    sentence: str | None = Field(None, description="the first sentence that reports the event")


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[ClusterRow]


class Highlight(BaseModel):
    kind: Literal["source", "target", "trigger"]
    start: int = Field(description="offset in the sentence")
    end: int


class Mention(BaseModel):
    article_id: str
    title: str | None
    article_date: dt.date | None
    url: str | None
    publisher: str | None
    sentence_index: int
    sentence: str
    event_id: str
    cameo: str
    cameo_name: str
    source_text: str | None
    target_text: str | None
    trigger: str
    confidence: float
    highlights: list[Highlight]


class ClusterDetail(BaseModel):
    cluster: ClusterRow
    first_reported: dt.date | None
    last_reported: dt.date | None
    plover_contexts: list[str]
    mentions: list[Mention]
    mentions_shown: int


class ThirdPartyOut(BaseModel):
    party: str
    action: str
    targets: list[str]
    clusters: int


class PeriodOut(BaseModel):
    start: dt.date
    label: str
    clusters: int
    mentions: int
    quad: dict[str, int] = Field(description="event clusters by QuadClass (1-4)")
    plover: dict[str, int]
    goldstein_sum: float
    goldstein_mean: float | None
    escalation: float
    third_parties: list[ThirdPartyOut]
    events: list[str] = Field(description="one line per event, most negative first")


class Verdict(BaseModel):
    actor: str
    verdict: str
    score: float
    reasons: list[str]


class StancePeriod(BaseModel):
    period: str
    verdicts: list[Verdict]


class Timeline(BaseModel):
    subject: str
    sides: list[str]
    by: str
    undated: int
    periods: list[PeriodOut]
    stances: list[StancePeriod] = Field(description="third-party stances between the two sides (dyads only)")


class PartyActivity(BaseModel):
    party: str
    name: str | None
    clusters: int
    as_source: int
    as_target: int
    first_date: dt.date | None
    last_date: dt.date | None


class DyadActivityOut(BaseModel):
    a: str
    b: str
    clusters: int
    mentions: int
    goldstein_sum: float
    conflict_share: float
    first_date: dt.date | None
    last_date: dt.date | None


class NetworkNode(BaseModel):
    party: str
    name: str | None
    clusters: int
    focus: bool


class NetworkEdge(BaseModel):
    source: str
    target: str
    clusters: int
    goldstein_sum: float
    q1: int
    q2: int
    q3: int
    q4: int


class Network(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class CountryLabel(BaseModel):
    country: str
    name: str | None
    lat: float
    lon: float
    clusters: int


class Locations(BaseModel):
    total: int
    points: list[ClusterRow]
    countries: list[CountryLabel]


class ClaimOut(BaseModel):
    claim_id: str
    article_id: str
    sentence_index: int
    date: dt.date | None
    claimant_code: str | None
    claimant_country: str | None
    accused_code: str | None
    accused_country: str | None
    incident: str | None
    stance: str
    evidence: str
    evidence_words: str | None
    hearsay: bool
    sentence: str | None


class ClaimPage(BaseModel):
    total: int
    claims: list[ClaimOut]


class Summary(BaseModel):
    store: str = Field(description="the store's file name")
    articles: int
    events: int
    clusters: int
    mentions: int
    first_date: dt.date | None
    last_date: dt.date | None
    version: str


class CodeRequest(BaseModel):
    """A pasted text to code; nothing is stored."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="the article text")
    date: dt.date | None = Field(None, description="the article's date (events take it)")
    title: str | None = Field(None, max_length=500)


class CodedEvent(BaseModel):
    """An event record (docs/schema.md) with the spans to highlight in its sentence."""

    model_config = ConfigDict(extra="allow")
    event_id: str
    sentence_index: int
    sentence: str
    cameo: str
    cameo_name: str
    quad_class: int
    goldstein: float
    highlights: list[Highlight]


class CodeResult(BaseModel):
    events: list[CodedEvent]
    claims: list[dict[str, Any]]
    seconds: float


class Problem(BaseModel):
    detail: str


# ---------------------------------------------------------------------- the guard (ASGI middleware)


class RequestGuard:
    """Checks every request before the app sees it and adds the security headers to every answer:
    unknown Host headers get 400, long query strings 414, bodies over the limit 413 (declared or
    counted as they arrive)."""

    def __init__(self, app, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = {h.strip("[]").lower() for h in settings.allowed_hosts}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._check(scope)
        if problem:
            await _send_problem(send, *problem)
            return
        body = b""
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            # Read the whole body here (it is small by now), counting as it arrives: a chunked
            # body has no Content-Length to check beforehand.
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.settings.max_body_bytes:
                    await _send_problem(send, 413, f"request body larger than {self.settings.max_body_bytes} bytes")
                    return
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, replay, send_with_headers)

    def _check(self, scope) -> tuple[int, str] | None:
        headers = dict(scope.get("headers") or [])
        if "*" not in self.hosts and _host_name(headers.get(b"host", b"")) not in self.hosts:
            return 400, "unknown Host header"
        if len(scope.get("query_string", b"")) > self.settings.max_query_chars:
            return 414, f"query string longer than {self.settings.max_query_chars} characters"
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.settings.max_body_bytes):
            return 413, f"request body larger than {self.settings.max_body_bytes} bytes"
        return None


def _host_name(header: bytes) -> str:
    host = header.decode("latin-1").strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _send_problem(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------------- the coder behind POST /api/code


class PastedTextCoder:
    """Codes pasted texts one at a time in a worker thread, so a long text never blocks the server,
    and answers within ``code_timeout`` seconds; one more request may wait, others are turned away."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kautilya-code")
        self.waiting = asyncio.Semaphore(2)
        self._coder = None
        self._lock = threading.Lock()

    def coder(self):
        with self._lock:
            if self._coder is None:
                from .pipeline import Coder

                self._coder = Coder.from_settings(Settings(time_limit=self.settings.code_time_limit))
            return self._coder

    def code(self, request: CodeRequest) -> CodeResult:
        started = time.perf_counter()
        item = article_from_record({"id": "pasted", "text": request.text, "title": request.title,
                                    "date": request.date.isoformat() if request.date else None}, "request")
        if isinstance(item, Reject):
            raise HTTPException(422, item.reason)
        ((result, events, claims),) = list(self.coder().analyse_articles([item]))
        if isinstance(result, Reject):
            status = 503 if result.reason_code == "time_limit" else 422
            raise HTTPException(status, f"the text could not be coded: {result.reason}")
        return CodeResult(events=[coded_event(e.to_record()) for e in events],
                          claims=[c.to_record() for c in claims], seconds=round(time.perf_counter() - started, 3))

    async def __call__(self, request: CodeRequest) -> CodeResult:
        if self.waiting.locked():
            raise HTTPException(503, "the coder is busy; try again in a moment")
        await self.waiting.acquire()
        job = asyncio.get_running_loop().run_in_executor(self.pool, self.code, request)
        # A job answered with 503 still runs until the coder's own time limit stops it: its slot
        # is freed only then, so abandoned jobs cannot pile up behind the worker.
        job.add_done_callback(lambda _: self.waiting.release())
        try:
            return await asyncio.wait_for(asyncio.shield(job), self.settings.code_timeout)
        except asyncio.TimeoutError:
            raise HTTPException(503, f"coding took longer than {self.settings.code_timeout:g} s") from None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def coded_event(record: dict[str, Any]) -> CodedEvent:
    spans = [(side, (record[side] or {}).get("char_start"), (record[side] or {}).get("char_end"))
             for side in ("source", "target")]
    spans.append(("trigger", record["trigger"]["char_start"], record["trigger"]["char_end"]))
    return CodedEvent(**record, highlights=analytics.sentence_highlights(record["sentence"], record["char_start"],
                                                                         spans))


# ---------------------------------------------------------------------- the app


def create_app(db_path: str | Path, settings: WebSettings | None = None) -> FastAPI:
    """The web API and dashboard over the store at ``db_path`` (opened read only).

    Raises:
        StoreError: the store cannot be opened or has another schema version.
    """
    settings = settings or WebSettings()
    store = EventStore.open_read_only(db_path)
    cursor_lock = threading.Lock()
    pasted = PastedTextCoder(settings)
    assets = _load_assets()

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        pasted.close()
        store.close()

    app = FastAPI(title="Kautilya", version=__version__, lifespan=lifespan,
                  description="Event clusters, dyad timelines, actor networks and on-the-fly coding from a "
                              "Kautilya event store (docs/web.md).",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    errors = {400: {"model": Problem}, 422: {"model": Problem}}

    def reader() -> Iterator[EventStore]:
        with cursor_lock:  # creating cursors is not itself thread-safe; using them one per thread is
            view = store.cursor()
        try:
            yield view
        finally:
            view.close()

    Store = Annotated[EventStore, Depends(reader)]
    PageSize = Annotated[int, Query(ge=1, le=settings.max_page_size, description="rows per page")]
    Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
    Code = Annotated[str | None, Query(pattern=CODE_PATTERN)]

    def dates(since: Annotated[dt.date | None, Query(alias="from", description="first event date")] = None,
              until: Annotated[dt.date | None, Query(alias="to", description="last event date")] = None
              ) -> tuple[dt.date | None, dt.date | None]:
        for value in (since, until):
            if value is not None and not EARLIEST <= value <= LATEST:
                raise HTTPException(422, f"dates must lie between {EARLIEST} and {LATEST}")
        if since and until and since > until:
            raise HTTPException(422, "'from' is after 'to'")
        return since, until

    Dates = Annotated[tuple[dt.date | None, dt.date | None], Depends(dates)]

    def event_filter(
            period: Dates,
            dyad: Annotated[str | None, Query(pattern=DYAD_PATTERN, description="two parties, e.g. IND-PAK")] = None,
            actor: Annotated[str | None, Query(pattern=CODE_PATTERN, description="country or actor code")] = None,
            country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="where it happened")] = None,
            cameo_root: Annotated[str | None, Query(pattern=r"^[0-9]{2}$")] = None,
            cameo: Annotated[str | None, Query(pattern=r"^[0-9]{2,4}$", description="code or its prefix")] = None,
            quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
            plover_type: Annotated[str | None, Query(pattern=r"^[A-Za-z_-]{2,30}$")] = None,
            q: Annotated[str | None, Query(min_length=1, max_length=200, description="words in a sentence")] = None,
    ) -> analytics.EventFilter:
        return analytics.EventFilter(dyad=_dyad(dyad) if dyad else None, actor=actor, country=country,
                                     cameo_root=cameo_root, cameo=cameo, quad_class=quad_class,
                                     plover_type=plover_type, since=period[0], until=period[1], text=q)

    Filter = Annotated[analytics.EventFilter, Depends(event_filter)]

    @app.get("/api/summary", response_model=Summary, tags=["store"])
    def summary(view: Store) -> Summary:
        """What the store holds."""
        counts = view.counts()
        first, last = view.con.execute("SELECT min(event_date), max(event_date) FROM clusters").fetchone()
        return Summary(store=Path(view.path).name, articles=counts.articles, events=counts.events,
                       clusters=counts.clusters, mentions=counts.mentions, first_date=first, last_date=last,
                       version=__version__)

    @app.get("/api/events", response_model=EventPage, responses=errors, tags=["events"])
    def events(view: Store, where: Filter, limit: PageSize = 50, offset: Offset = 0,
               sort: Literal[tuple(analytics.CLUSTER_SORTS)] = "date",  # type: ignore[valid-type]
               order: Literal["asc", "desc"] = "desc") -> EventPage:
        """Event clusters (one row per real-world event) matching every filter given, a page at a time."""
        total, rows = analytics.find_clusters(view, where, sort, order == "desc", limit, offset)
        return EventPage(total=total, limit=limit, offset=offset, events=[_cluster_row(r) for r in rows])

    @app.get("/api/events/{cluster_id}", response_model=ClusterDetail, responses={404: {"model": Problem}},
             tags=["events"])
    def event(view: Store, cluster_id: Annotated[int, PathParam(ge=0, lt=2**63)]) -> ClusterDetail:
        """One event cluster with the mentions that report it: article, sentence and the spans of
        source, target and trigger in the sentence."""
        found = analytics.cluster_detail(view, cluster_id, MAX_MENTIONS_SHOWN)
        if found is None:
            raise HTTPException(404, "no such event cluster")
        cluster = found["cluster"]
        return ClusterDetail(cluster=_cluster_row(cluster), first_reported=cluster["first_reported"],
                             last_reported=cluster["last_reported"], plover_contexts=cluster["plover_contexts"],
                             mentions=found["mentions"], mentions_shown=found["mentions_shown"])

    @app.get("/api/locations", response_model=Locations, responses=errors, tags=["events"])
    def locations(view: Store, where: Filter,
                  limit: Annotated[int, Query(ge=1, le=5000)] = 2000) -> Locations:
        """Located event clusters (with latitude and longitude) matching the filters, most reported
        first, and where to label each country."""
        found = analytics.located_clusters(view, where, limit)
        return Locations(total=found["total"], points=[_cluster_row(r) for r in found["points"]],
                         countries=found["countries"])

    def timeline(view: EventStore, sides: tuple[str, ...], by: str, period: tuple) -> Timeline:
        since, until = period
        first, last = view.con.execute("SELECT min(event_date), max(event_date) FROM clusters").fetchone()
        span_start, span_end = since or first, until or last
        if span_start and span_end and _periods_between(span_start, span_end, by) > settings.max_periods:
            raise HTTPException(422, f"more than {settings.max_periods} periods: choose a longer period or "
                                     "a shorter date range")
        if len(sides) == 2:
            report = analytics.dyad_report(view, *sides, by=by, since=since, until=until)
            stances = [StancePeriod(period=label, verdicts=[Verdict(**v.to_record()) for v in verdicts])
                       for label, verdicts in analytics.dyad_stances(view, *sides, by=by, since=since, until=until)]
        else:
            report = analytics.actor_report(view, sides[0], by=by, since=since, until=until)
            stances = []
        return Timeline(subject=report.subject, sides=list(report.sides), by=report.by, undated=report.undated,
                        periods=[_period(p) for p in report.periods], stances=stances)

    Period = Annotated[Literal["day", "week", "month"], Query(description="period length")]

    @app.get("/api/dyads/{dyad}/timeline", response_model=Timeline, responses=errors, tags=["timelines"])
    def dyad_timeline(view: Store, dyad: Annotated[str, PathParam(pattern=DYAD_PATTERN)], period: Dates,
                      by: Period = "week") -> Timeline:
        """Events between two parties (either direction) period by period: clusters by QuadClass and
        PLOVER type, Goldstein sum and mean, escalation index, third parties and their stances."""
        return timeline(view, _dyad(dyad), by, period)

    @app.get("/api/actors/{code}/timeline", response_model=Timeline, responses=errors, tags=["timelines"])
    def actor_timeline(view: Store, code: Annotated[str, PathParam(pattern=CODE_PATTERN)], period: Dates,
                       by: Period = "week") -> Timeline:
        """Every event with a country or actor code on either side, period by period."""
        return timeline(view, (code.upper(),), by, period)

    @app.get("/api/dyads", response_model=list[DyadActivityOut], responses=errors, tags=["actors"])
    def dyads(view: Store, period: Dates, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[DyadActivityOut]:
        """The most active pairs of parties."""
        return [DyadActivityOut(**vars(d)) for d in analytics.top_dyads(view, limit, *period)]

    @app.get("/api/actors", response_model=list[PartyActivity], responses=errors, tags=["actors"])
    def actors(view: Store, period: Dates, q: Annotated[str | None, Query(max_length=100)] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[PartyActivity]:
        """Parties (countries, organisations) by how many events they are a side of; ``q`` searches
        their codes and names."""
        return [PartyActivity(**row) for row in analytics.party_activity(view, q, limit, *period)]

    @app.get("/api/network", response_model=Network, responses=errors, tags=["actors"])
    def network(view: Store, where: Filter, around: Code = None, around_dyad: Annotated[
                    str | None, Query(pattern=DYAD_PATTERN, description="parties of a dyad to centre on")] = None,
                max_nodes: Annotated[int, Query(ge=2, le=150)] = 40) -> Network:
        """Who acts on whom in the events matching the filters; with ``around`` or ``around_dyad``,
        only events with one of those parties on a side."""
        focus = _dyad(around_dyad) if around_dyad else ((around.upper(),) if around else ())
        return Network(**analytics.actor_network(view, where, focus, max_nodes))

    @app.get("/api/claims", response_model=ClaimPage, responses=errors, tags=["actors"])
    def claims(view: Store, period: Dates, actor: Code = None,
               dyad: Annotated[str | None, Query(pattern=DYAD_PATTERN)] = None,
               limit: PageSize = 100, offset: Offset = 0) -> ClaimPage:
        """Attribution claims (who blames whom, on what evidence), newest first; with ``actor`` or
        ``dyad``, those whose claimant or accused is one of its parties."""
        parties = _dyad(dyad) if dyad else ((actor,) if actor else ())
        total, rows = analytics.find_claims(view, parties, *period, limit=limit, offset=offset)
        return ClaimPage(total=total, claims=rows)

    @app.post("/api/code", response_model=CodeResult,
              responses={413: {"model": Problem}, 422: {"model": Problem}, 503: {"model": Problem}}, tags=["coding"])
    async def code(request: CodeRequest) -> CodeResult:
        """Code a pasted text and return its events and claims; nothing is stored. The body may hold
        at most ``max_body_bytes`` and the text ``max_text_chars``; coding is bounded in time."""
        if len(request.text) > settings.max_text_chars:
            raise HTTPException(413, f"text longer than {settings.max_text_chars} characters")
        return await pasted(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"detail": problems}, status_code=422)

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return _asset(assets, "index.html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        return _asset(assets, name)

    app.add_middleware(RequestGuard, settings=settings)
    return app


def _load_assets() -> dict[str, tuple[bytes, str]]:
    """The dashboard's files, read once from the package: requests name an asset, never a path."""
    folder = resources.files("kautilya") / "web_static"
    return {entry.name: (entry.read_bytes(), STATIC_TYPES[Path(entry.name).suffix])
            for entry in folder.iterdir() if Path(entry.name).suffix in STATIC_TYPES}


def _asset(assets: dict[str, tuple[bytes, str]], name: str) -> Response:
    if name not in assets:
        raise HTTPException(404, "no such file")
    body, media_type = assets[name]
    return Response(body, media_type=media_type, headers={"cache-control": "no-cache"})


def _dyad(text: str) -> tuple[str, str]:
    try:
        return analytics.parse_dyad(text)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


def _periods_between(start: dt.date, end: dt.date, by: str) -> int:
    days = abs((end - start).days)
    return days // {"day": 1, "week": 7, "month": 28}[by] + 1


def _cluster_row(row: dict[str, Any]) -> ClusterRow:
    return ClusterRow(**{**{name: row[name] for name in ClusterRow.model_fields if name in row},
                         "cluster_id": str(row["cluster_id"])})


def _period(p: analytics.PeriodStats) -> PeriodOut:
    return PeriodOut(start=p.start, label=p.label, clusters=p.clusters, mentions=p.mentions,
                     quad={str(k): v for k, v in p.quad.items()}, plover=p.plover, goldstein_sum=p.goldstein_sum,
                     goldstein_mean=p.goldstein_mean, escalation=p.escalation,
                     third_parties=[ThirdPartyOut(party=t.party, action=t.action, targets=list(t.targets),
                                                  clusters=t.clusters) for t in p.third_parties],
                     events=p.events)


# ---------------------------------------------------------------------- serving in the background

#: How the browser tests and bench/dashboard_screenshots.py start Debian's Chromium (headless, no
#: sandbox as root in CI, and no background traffic of its own).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


@contextmanager
def background_server(app: FastAPI, host: str = "127.0.0.1", timeout: float = 20.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port in a thread (for browser tests and screenshots);
    yields the base URL and stops the server on exit.

    Raises:
        RuntimeError: the server did not start within ``timeout`` seconds.
    """
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, name="kautilya-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout)
