"""What monitoring asks: liveness, readiness and metrics, answered without internals.

- ``GET /healthz``: liveness for the container's health check. 200 while the process serves
  requests, and nothing else: no database error, path, version or component.
- ``GET /readyz``: one word per component (``database``, ``queue``, ``telegram``): ``ok``,
  ``off`` (not configured in this process) or what is wrong (``unavailable``,
  ``connecting``); 200 when none is wrong, else 503. The reason goes to the log only.
- ``GET /metrics``: Prometheus' text format, only with ``Authorization: Bearer <token>`` of
  ``DIEMCAU_METRICS_TOKEN``; without a token configured there are no metrics (404), so a
  forgotten proxy rule never publishes them.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping

from aiohttp import web
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector, CollectorRegistry
from sqlalchemy import text

from storage.services.stats import OperationalCounts, operational_counts
from web.keys import SESSIONS, TELEGRAM

log = logging.getLogger(__name__)

# A component's state in one word; "ok" and "off" are ready.
Check = Callable[[], Awaitable[str]]
READY_STATES = frozenset({"ok", "off"})
# Answered without a session: they show no data (metrics have their own token).
PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
CHECK_TIMEOUT_S = 5.0
# The classic text format, which every Prometheus (2.x and 3.x) reads.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# More metric families from the wiring (e.g. the Telegram sender's counters).
Families = Callable[[], Iterable[Metric]]

READINESS: web.AppKey[dict[str, Check]] = web.AppKey("readiness")
METRICS_TOKEN = web.AppKey("metrics_token", str)
METRIC_SOURCES: web.AppKey[list[Families]] = web.AppKey("metric_sources")


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def setup(
    app: web.Application,
    *,
    metrics_token: str,
    readiness: Mapping[str, Check] | None,
    metric_sources: Iterable[Families],
) -> None:
    """Routes and state; the database and Telegram checks are the application's own."""

    async def database() -> str:
        async with app[SESSIONS]() as session:
            await session.execute(text("SELECT 1"))
        return "ok"

    async def telegram() -> str:
        if TELEGRAM not in app:
            return "off"
        return "ok" if app[TELEGRAM].running else "connecting"

    async def no_queue() -> str:
        return "off"

    checks: dict[str, Check] = {"database": database, "queue": no_queue, "telegram": telegram}
    app[READINESS] = checks | dict(readiness or {})
    app[METRICS_TOKEN] = metrics_token
    app[METRIC_SOURCES] = list(metric_sources)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)


async def _state(name: str, check: Check) -> str:
    try:
        return await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
    except Exception:  # whatever it is, the caller learns one word; the log has the rest
        log.exception("readiness: %s unavailable", name)
        return "unavailable"


async def readyz(request: web.Request) -> web.Response:
    checks = request.app[READINESS]
    states = await asyncio.gather(*(_state(name, check) for name, check in checks.items()))
    body = dict(zip(checks, states, strict=True))
    ready = all(state in READY_STATES for state in states)
    return web.json_response(
        {"status": "ready" if ready else "not ready", **body}, status=200 if ready else 503
    )


class _Snapshot(Collector):
    """Families gathered before rendering (the database is asked asynchronously)."""

    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterator[Metric]:
        return iter(self._families)


def count_families(counts: OperationalCounts) -> list[Metric]:
    recordings = GaugeMetricFamily(
        "diemcau_recordings", "Recordings by pipeline stage.", labels=["status"]
    )
    for status, n in sorted(counts.recordings_by_status.items()):
        recordings.add_metric([status], n)
    runs = CounterMetricFamily(
        "diemcau_transcription_runs", "Transcription jobs started, retries included."
    )
    runs.add_metric([], counts.transcription_runs)
    audio = CounterMetricFamily(
        "diemcau_transcribed_audio_seconds",
        "Audio transcribed, in seconds (recordings whose transcript is stored).",
    )
    audio.add_metric([], counts.transcribed_audio_s)
    messages = GaugeMetricFamily(
        "diemcau_messages",
        "Messages to people in the outbox and its log, by state (pending, sending, sent, "
        "failed, blocked, dropped, in_doubt).",
        labels=["state"],
    )
    for state, n in sorted(counts.messages_by_state.items()):
        messages.add_metric([state], n)
    reminders = GaugeMetricFamily(
        "diemcau_reminders",
        "Reminders that came due, per recipient, by kind and what became of them.",
        labels=["kind", "state"],
    )
    for (kind, state), n in sorted(counts.reminders_by_kind_state.items()):
        reminders.add_metric([kind, state], n)
    due = GaugeMetricFamily(
        "diemcau_reminders_due", "Reminders that came due and are not delivered yet."
    )
    due.add_metric([], counts.reminders_due)
    families: list[Metric] = [recordings, runs, audio, messages, reminders, due]
    if counts.queue_jobs_by_status is not None:
        queue = GaugeMetricFamily(
            "diemcau_queue_jobs", "Jobs of the distributed queue by status.", labels=["status"]
        )
        for status, n in sorted(counts.queue_jobs_by_status.items()):
            queue.add_metric([status], n)
        families.append(queue)
    return families


def render(families: list[Metric]) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(families))
    return generate_latest(registry)


async def metrics(request: web.Request) -> web.Response:
    token = request.app[METRICS_TOKEN]
    if not token:
        raise web.HTTPNotFound()
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        log.warning("refused /metrics from %s: bad token", request.remote)
        return web.Response(
            status=401, text="bearer token required\n", headers={"WWW-Authenticate": "Bearer"}
        )
    async with request.app[SESSIONS]() as session:
        counts = await operational_counts(session)
    families = count_families(counts)
    for source in request.app[METRIC_SOURCES]:
        families.extend(source())
    return web.Response(body=render(families), headers={"Content-Type": CONTENT_TYPE})
