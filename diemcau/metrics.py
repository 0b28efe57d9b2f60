"""Metric families of this process that the database does not hold: what the Telegram sender
counted since start-up. ``/metrics`` (``web.health``) adds them to those read from the rows."""

from __future__ import annotations

from prometheus_client.core import CounterMetricFamily, Metric

from bot.ratelimit import FloodLimiter


def telegram_families(limiter: FloodLimiter) -> list[Metric]:
    messages = CounterMetricFamily(
        "diemcau_telegram_messages_sent", "Messages Telegram accepted from this process."
    )
    messages.add_metric([], limiter.messages_sent)
    floods = CounterMetricFamily(
        "diemcau_telegram_flood_errors",
        "429 Too Many Requests answers from Telegram to this process (each waited out).",
    )
    floods.add_metric([], limiter.flood_errors)
    return [messages, floods]
