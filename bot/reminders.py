"""The one reminder scheduler of the application process (APScheduler 3).

``build_scheduler`` makes an ``AsyncIOScheduler`` whose jobs live in the application's own
database (APScheduler's SQLAlchemy job store, table ``apscheduler_jobs``, created by
APScheduler itself) and whose zone is Asia/Ho_Chi_Minh. Each planned reminder is one job with
the id ``subject|kind|moment``; a job carries only that key. When it fires, the
``ReminderService`` plans the subject again from the database (so a moved meeting, a cancelled
one, a granted extension or a finished task are honoured even by a stale job), and sends to
each recipient through the notification log, which makes a second send impossible whatever
runs the job: a second scheduler, a retry, a restart.

At start-up ``start_scheduler`` catches up: every reminder whose moment passed while the
process was down is sent once if it still makes sense for its kind, otherwise it is logged as
dropped. Then every planned meeting, open task and committee digest is (re)scheduled, and a
daily sweep at 00:05 does so again.

SQLite holds one write lock for the whole file, and a send's transaction holds it until the
message has gone; APScheduler's job store is synchronous. So the job store is never touched
from the event loop: the scheduler processes its jobs in a worker thread and our own calls go
through ``asyncio.to_thread``, and a blocked store never stalls the send that would release it.

The wiring, once per process, after the PTB application is built (its ``bot`` sends)::

    scheduler = build_scheduler(database_url, bot=application.bot, sessions=sessions,
                                secret=callback_secret, clock=clock,
                                policy=ReminderPolicy(tz=settings.tz))
    on_meeting_changed, on_task_changed = hooks(scheduler)   # for BotDeps
    async with running(scheduler):   # start_scheduler ... stop_scheduler, inside the loop
        ...   # handlers call the hooks after their commit

"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.base import BaseExecutor
from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler, run_in_event_loop
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot import reminder_texts as rt
from bot import texts
from bot.callbacks import pack
from storage.db import make_sync_engine
from storage.models import Meeting, MeetingPoint, Person, Point, Task
from storage.services.notifications import (
    Blocked,
    Outcome,
    PermanentFailure,
    already_logged,
    deliver_once,
    record_dropped,
)
from storage.services.reminders import (
    Reminder,
    ReminderKind,
    ReminderPolicy,
    committee_ids,
    committee_subject,
    digest_moment_on_or_before,
    load_meeting_for_plan,
    meeting_reminders,
    meeting_subject,
    open_task_ids,
    parse_subject,
    plan_digest,
    plan_task,
    planned_meeting_ids,
    task_subject,
    weekly_digest,
)
from storage.services.tasks import due_date

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"
SWEEP_JOB_ID = "sweep"
RETRIES = 5
RETRY_DELAY = timedelta(minutes=1)
Clock = Callable[[], datetime]


@dataclass(slots=True)
class Report:
    """What one firing or catch-up did, by outcome."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str, n: int = 1) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + n

    def merge(self, other: Report) -> None:
        for outcome, n in other.counts.items():
            self.add(outcome, n)

    @property
    def sent(self) -> int:
        return self.counts.get(Outcome.SENT, 0)


@dataclass(slots=True)
class ReminderService:
    """Plans, sends and drops reminders; the jobs of the scheduler call into it."""

    bot: Bot
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    policy: ReminderPolicy = field(default_factory=ReminderPolicy)
    secret: bytes | None = None  # signs the answer buttons; None sends no buttons
    concurrency: int = 1  # sends at a time (1 on SQLite: one write lock for the whole file)
    scheduler: ReminderScheduler | None = None

    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the reminder clock must return aware datetimes")
        return moment.astimezone(UTC)

    # -- planning ------------------------------------------------------------------------

    async def plan(self, subject: str, *, around: datetime) -> list[Reminder]:
        """Every reminder of a subject, planned again from the database."""
        what, number = parse_subject(subject)
        async with self.sessions() as session:
            if what == "meeting":
                meeting = await load_meeting_for_plan(session, number)
                return [] if meeting is None else meeting_reminders(meeting)
            if what == "task":
                until = max(around, self.now()) + self.policy.horizon
                return await plan_task(session, number, policy=self.policy, until=until)
            if what == "committee":
                latest = digest_moment_on_or_before(around, self.policy)
                plans = []
                for moment in (latest, latest + timedelta(weeks=1)):
                    digest = await plan_digest(session, number, moment, self.policy)
                    if digest is not None:
                        plans.append(digest)
                return plans
        raise ValueError(f"unknown subject {subject!r}")

    # -- firing --------------------------------------------------------------------------

    async def fire(
        self, kind: ReminderKind, subject: str, moment: datetime, *, attempt: int = 0
    ) -> Report:
        """A job's moment came: send the reminder if it is still planned and makes sense.

        Recipients a passing error kept from (network, a locked database) are tried again by
        a retry job, up to ``RETRIES`` times, a minute more apart each time."""
        now = self.now()
        plan = await self.plan(subject, around=moment)
        reminder = next((r for r in plan if r.kind == kind and r.moment == moment), None)
        if reminder is None:
            log.info("%s for %s at %s is no longer planned", kind, subject, moment)
            return Report()
        if moment > now:
            log.warning("%s for %s fired before its moment %s", kind, subject, moment)
            return Report()
        report = await self.deliver(reminder)
        failed = report.counts.get(Outcome.RETRY, 0) + report.counts.get("error", 0)
        if failed and self.scheduler is not None:
            if attempt < RETRIES:
                await asyncio.to_thread(self.scheduler.add_retry_job, reminder, attempt + 1)
            else:
                log.error("gave up on %s for %s after %d retries", kind, subject, attempt)
        if reminder.subject.startswith(("task:", "committee:")) and self.scheduler is not None:
            await self.scheduler.sync_subject(reminder.subject)  # the next weekly one
        return report

    async def deliver(self, reminder: Reminder) -> Report:
        """Send ``reminder`` to each recipient at most once, or log it dropped if it no
        longer makes sense."""
        now = self.now()
        report = Report()
        if not reminder.makes_sense(now):
            for _, key in reminder.notification_keys():
                if await record_dropped(
                    self.sessions, key, now=now, reason=f"found late at {now.isoformat()}"
                ):
                    report.add("dropped")
            if report.counts:
                log.info("dropped %s for %s (moment %s)", reminder.kind, reminder.subject, now)
            return report
        if await self._all_logged(reminder):
            report.add(Outcome.DUPLICATE.value, len(reminder.recipients))
            return report
        if now - reminder.moment > timedelta(minutes=5):
            log.info(
                "sending %s for %s late (moment %s)",
                reminder.kind,
                reminder.subject,
                reminder.moment,
            )
        messages = await self._render(reminder)
        people = await self._chats(reminder.recipients)
        gate = asyncio.Semaphore(self.concurrency)

        async def one(person_id: int, key: Any) -> None:
            chat = people.get(person_id)
            if chat is None:
                report.add("no_account")
                return
            text, markup = messages(person_id)
            async with gate:
                try:
                    outcome = await deliver_once(
                        self.sessions, key, lambda: self._send(chat, text, markup), now=now
                    )
                except Exception:  # the others still go; a retry job comes back for this one
                    log.exception("delivering %s failed", key)
                    report.add("error")
                    return
            report.add(outcome.value)

        await asyncio.gather(*(one(pid, key) for pid, key in reminder.notification_keys()))
        return report

    async def _send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await self.bot.send_message(chat_id, text, reply_markup=markup)
        except Forbidden as error:
            raise Blocked(str(error)) from error
        except BadRequest as error:  # chat not found, bad markup: repeating will not help
            raise PermanentFailure(str(error)) from error

    async def _all_logged(self, reminder: Reminder) -> bool:
        async with self.sessions() as session:
            for _, key in reminder.notification_keys():
                if not await already_logged(session, key):
                    return False
        return True

    async def _chats(self, person_ids: Sequence[int]) -> dict[int, int]:
        async with self.sessions() as session:
            rows = await session.execute(
                select(Person.id, Person.telegram_user_id).where(Person.id.in_(person_ids))
            )
            return {pid: chat for pid, chat in rows if chat is not None}

    # -- texts ---------------------------------------------------------------------------

    def _button(self, label: str, action: str, *args: str | int) -> InlineKeyboardButton | None:
        if self.secret is None:
            return None
        return InlineKeyboardButton(label, callback_data=pack(self.secret, action, *args))

    def _markup(self, *rows: list[InlineKeyboardButton | None]) -> InlineKeyboardMarkup | None:
        kept = [[b for b in row if b is not None] for row in rows]
        kept = [row for row in kept if row]
        return InlineKeyboardMarkup(kept) if kept else None

    async def _render(
        self, reminder: Reminder
    ) -> Callable[[int], tuple[str, InlineKeyboardMarkup | None]]:
        """Load what the texts need once; return the text and buttons for each person."""
        tz = self.policy.tz
        what, number = parse_subject(reminder.subject)
        async with self.sessions() as session:
            if what == "meeting":
                meeting = await session.scalar(
                    select(Meeting)
                    .where(Meeting.id == number)
                    .options(
                        selectinload(Meeting.invitations),
                        selectinload(Meeting.points).selectinload(MeetingPoint.point),
                    )
                )
                assert meeting is not None
                return self._meeting_texts(reminder, meeting)
            if what == "task":
                task = await session.scalar(
                    select(Task).where(Task.id == number).options(selectinload(Task.meeting))
                )
                assert task is not None
                return self._task_texts(reminder, task)
            digest = await weekly_digest(
                session, number, moment=reminder.moment, policy=self.policy
            )
            text = rt.weekly_digest(digest, reminder.moment.astimezone(tz).date())
            return lambda _person_id: (text, None)

    def _meeting_texts(
        self, reminder: Reminder, meeting: Meeting
    ) -> Callable[[int], tuple[str, InlineKeyboardMarkup | None]]:
        tz, kind = self.policy.tz, reminder.kind
        invitations = {inv.person_id: inv for inv in meeting.invitations}
        point_names = {mp.point_id: mp.point.name for mp in meeting.points}

        def render(person_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
            inv = invitations.get(person_id)
            point = point_names.get(inv.point_id) if inv is not None else None
            if kind in (ReminderKind.MEETING_NO_ANSWER_2D, ReminderKind.MEETING_NO_ANSWER_1D):
                days = 2 if kind == ReminderKind.MEETING_NO_ANSWER_2D else 1
                buttons = (
                    [
                        self._button(label, "inv", inv.id, code)
                        for code, label in texts.ANSWER_BUTTONS.items()
                    ]
                    if inv is not None
                    else []
                )
                return rt.meeting_no_answer(meeting, tz, days, point), self._markup(buttons)
            if kind == ReminderKind.MEETING_DAY_BEFORE:
                return rt.meeting_day_before(meeting, tz, point), None
            if kind == ReminderKind.MEETING_HOUR_BEFORE:
                return rt.meeting_hour_before(meeting, tz, point), None
            points: list[Point] = [
                mp.point for mp in meeting.points if mp.point.coordinator_id == person_id
            ]
            rows = [
                [
                    self._button(texts.READY_BUTTON, "rdy", meeting.id, p.id, "ok"),
                    self._button(texts.PROBLEM_BUTTON, "rdy", meeting.id, p.id, "bad"),
                ]
                for p in points
            ]
            return rt.confirm_point(meeting, tz, [p.name for p in points]), self._markup(*rows)

        return render

    def _task_texts(
        self, reminder: Reminder, task: Task
    ) -> Callable[[int], tuple[str, InlineKeyboardMarkup | None]]:
        tz, kind = self.policy.tz, reminder.kind
        due = due_date(task, tz)
        assert due is not None
        overdue_days = (reminder.moment.astimezone(tz).date() - due).days
        buttons = self._markup(
            [
                self._button(texts.TASK_PROGRESS, "tk", task.id, "prog"),
                self._button(texts.TASK_DONE, "tk", task.id, "done"),
            ],
            [self._button(texts.TASK_EXTEND, "tk", task.id, "ext")],
        )
        if kind == ReminderKind.TASK_BEFORE_3WD:
            text = rt.task_before(task, tz, 3, task.meeting)
        elif kind == ReminderKind.TASK_BEFORE_1WD:
            text = rt.task_before(task, tz, 1, task.meeting)
        elif kind == ReminderKind.TASK_DUE_TODAY:
            text = rt.task_due_today(task, tz, task.meeting)
        elif kind == ReminderKind.TASK_OVERDUE:
            text = rt.task_overdue(task, tz, overdue_days, task.meeting)
        else:
            return lambda _person_id: (
                rt.task_escalation(task, tz, overdue_days, task.meeting),
                None,
            )
        return lambda _person_id: (text, buttons)

    # -- start-up ------------------------------------------------------------------------

    async def subjects(self) -> list[str]:
        """Everything that may have reminders now: planned meetings (including those that
        started while the process was down), open tasks, committees."""
        now = self.now()
        async with self.sessions() as session:
            meetings = await planned_meeting_ids(session, after=now - timedelta(days=2))
            tasks = await open_task_ids(session)
            committees = await committee_ids(session)
        return (
            [meeting_subject(m) for m in meetings]
            + [task_subject(t) for t in tasks]
            + [committee_subject(c) for c in committees]
        )

    async def catch_up(self) -> Report:
        """Send once what fell due while the process was down and still makes sense; log the
        rest as dropped. Anything already in the notification log is left alone."""
        now = self.now()
        report = Report()
        for subject in await self.subjects():
            for reminder in await self.plan(subject, around=now):
                if reminder.moment <= now:
                    report.merge(await self.deliver(reminder))
        if report.counts:
            log.info("catch-up at start: %s", report.counts)
        return report


# --- the APScheduler side -------------------------------------------------------------------


async def remind_job(
    kind: str,
    subject: str,
    moment: str,
    attempt: int = 0,
    *,
    service: ReminderService | None = None,
) -> None:
    """A reminder's job, stored by reference with only its key as arguments; the executor
    passes the scheduler's own service."""
    assert service is not None, "run by ServiceExecutor"
    await service.fire(ReminderKind(kind), subject, datetime.fromisoformat(moment), attempt=attempt)


async def sweep_job(*, service: ReminderService | None = None) -> None:
    """Daily: schedule every subject again (extends weekly chases, heals missed hooks)."""
    assert service is not None, "run by ServiceExecutor"
    if service.scheduler is not None:
        await service.scheduler.sync_all()


class ServiceExecutor(BaseExecutor):  # type: ignore[misc]
    """Runs a job's coroutine on the scheduler's event loop, passing the scheduler's own
    service (``service=``). Thread-safe: jobs are submitted from the job-processing thread."""

    def start(self, scheduler: Any, alias: str) -> None:
        super().start(scheduler, alias)
        self._loop: asyncio.AbstractEventLoop = scheduler._eventloop

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        coroutine = job.func(*job.args, **job.kwargs, service=self._scheduler.service)
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)

        def done(f: Any) -> None:
            try:
                f.result()
            except BaseException as error:
                log.error("reminder job %s failed", job.id, exc_info=error)
                self._run_job_error(job.id, error, error.__traceback__)
            else:
                self._run_job_success(job.id, [])

        future.add_done_callback(done)


class ReminderScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """``AsyncIOScheduler`` that processes its job store in a worker thread (see the module's
    docstring) and carries the ``ReminderService`` its jobs run with."""

    def __init__(self, service: ReminderService, **options: Any) -> None:
        self.service = service
        service.scheduler = self
        super().__init__(**options)

    @run_in_event_loop  # type: ignore[untyped-decorator]
    def wakeup(self) -> None:
        self._stop_timer()
        loop = self._eventloop
        if loop is None:
            return
        future = loop.run_in_executor(None, self._process_jobs)

        def then(f: asyncio.Future[float | None]) -> None:
            if self._eventloop is None or f.cancelled():
                return
            error = f.exception()
            if error is not None:
                log.error("processing reminder jobs failed", exc_info=error)
                self._start_timer(30.0)
                return
            self._start_timer(f.result())

        future.add_done_callback(then)

    # -- our own calls, always off the event loop ------------------------------------------

    async def sync_subject(self, subject: str) -> list[Reminder]:
        """Make the subject's jobs match its plan: future reminders only."""
        now = self.service.now()
        wanted = [r for r in await self.service.plan(subject, around=now) if r.moment > now]
        await asyncio.to_thread(self._replace_jobs, subject, wanted)
        return wanted

    async def sync_all(self) -> None:
        for subject in await self.service.subjects():
            await self.sync_subject(subject)

    def _replace_jobs(self, subject: str, wanted: Sequence[Reminder]) -> None:
        # Another scheduler on the same database may be doing the same: tolerate its moves.
        ids = {r.job_id for r in wanted}
        for job in self.get_jobs():
            if job.id.startswith(subject + "|") and job.id not in ids:
                with contextlib.suppress(JobLookupError):
                    self.remove_job(job.id)
        for reminder in wanted:
            with contextlib.suppress(ConflictingIdError):
                self._add_reminder_job(reminder)

    def _add_reminder_job(self, reminder: Reminder) -> None:
        self.add_job(
            "bot.reminders:remind_job",
            trigger=DateTrigger(run_date=reminder.moment, timezone=UTC),
            args=(reminder.kind.value, reminder.subject, reminder.moment.isoformat()),
            id=reminder.job_id,
            name=f"{reminder.kind.value} {reminder.subject}",
            replace_existing=True,
        )

    def add_retry_job(self, reminder: Reminder, attempt: int) -> None:
        self.add_job(
            "bot.reminders:remind_job",
            trigger=DateTrigger(run_date=datetime.now(UTC) + attempt * RETRY_DELAY, timezone=UTC),
            args=(reminder.kind.value, reminder.subject, reminder.moment.isoformat(), attempt),
            id=f"retry|{reminder.job_id}",
            name=f"retry {attempt} of {reminder.kind.value} {reminder.subject}",
            replace_existing=True,
        )

    def due_job_keys(self, now: datetime) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (job.id, tuple(job.args))
            for job in self.get_jobs()
            if job.id != SWEEP_JOB_ID and job.next_run_time is not None and job.next_run_time <= now
        ]


def build_scheduler(
    database_url: str,
    *,
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock | None = None,
    policy: ReminderPolicy | None = None,
    secret: bytes | None = None,
) -> ReminderScheduler:
    """The application's one scheduler; start it with ``start_scheduler`` inside the loop."""
    policy = policy or ReminderPolicy()
    backend = make_url(database_url).get_backend_name()
    service = ReminderService(
        bot=bot,
        sessions=sessions,
        clock=clock or (lambda: datetime.now(UTC)),
        policy=policy,
        secret=secret,
        concurrency=1 if backend == "sqlite" else 8,
    )
    store = SQLAlchemyJobStore(engine=make_sync_engine(database_url), tablename=JOBSTORE_TABLE)
    return ReminderScheduler(
        service,
        jobstores={"default": store},
        executors={"default": ServiceExecutor()},
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone=policy.tz,
    )


_running: weakref.WeakSet[ReminderScheduler] = weakref.WeakSet()


async def start_scheduler(
    scheduler: ReminderScheduler, *, catch_up: bool = True, paused: bool = False
) -> Report:
    """Start (in the running loop), send what fell due while down, schedule everything.

    ``paused`` keeps APScheduler's own wall-clock timer from running jobs (tests drive an
    injected clock with ``run_due``; ``scheduler.resume()`` lets the timer go)."""
    others = [s for s in _running if s is not scheduler and s.running]
    if others:  # the notification log still keeps sends single, but the work is doubled
        log.warning("a second reminder scheduler started in this process; keep exactly one")
    _running.add(scheduler)
    scheduler._eventloop = asyncio.get_running_loop()
    await asyncio.to_thread(_start_paused, scheduler)
    report = await scheduler.service.catch_up() if catch_up else Report()
    await scheduler.sync_all()
    await asyncio.to_thread(_add_sweep, scheduler)
    if not paused:
        scheduler.resume()
    return report


def _start_paused(scheduler: ReminderScheduler) -> None:
    scheduler.start(paused=True)


def _add_sweep(scheduler: ReminderScheduler) -> None:
    scheduler.add_job(
        "bot.reminders:sweep_job",
        trigger=CronTrigger(hour=0, minute=5, timezone=scheduler.service.policy.tz),
        id=SWEEP_JOB_ID,
        name="daily sweep",
        replace_existing=True,
    )


async def stop_scheduler(scheduler: ReminderScheduler) -> None:
    """Stop taking jobs; jobs stay stored for the next start."""
    if scheduler.running:
        scheduler._stop_timer()
        await asyncio.to_thread(_shutdown, scheduler)
        scheduler._eventloop = None


@contextlib.asynccontextmanager
async def running(scheduler: ReminderScheduler) -> AsyncIterator[ReminderScheduler]:
    """``start_scheduler`` … ``stop_scheduler`` around a block (an aiohttp ``cleanup_ctx``)."""
    await start_scheduler(scheduler)
    try:
        yield scheduler
    finally:
        await stop_scheduler(scheduler)


def _shutdown(scheduler: ReminderScheduler) -> None:
    # AsyncIOScheduler.shutdown only queues the work on the loop; here it is done at once.
    super(AsyncIOScheduler, scheduler).shutdown(wait=False)


async def sync_meeting_reminders(scheduler: ReminderScheduler, meeting_id: int) -> None:
    """Call after a meeting is created, invited, moved, edited or cancelled (after commit)."""
    await scheduler.sync_subject(meeting_subject(meeting_id))


async def sync_task_reminders(scheduler: ReminderScheduler, task_id: int) -> None:
    """Call after a task is created, reported on, extended, completed or cancelled."""
    await scheduler.sync_subject(task_subject(task_id))


async def run_due(scheduler: ReminderScheduler) -> Report:
    """Fire every stored reminder job whose moment is at or before the service's clock and
    remove it, as APScheduler does at real time. Tests drive the clock with it."""
    now = scheduler.service.now()
    report = Report()
    for job_id, args in await asyncio.to_thread(scheduler.due_job_keys, now):
        kind, subject, moment, *attempt = args
        report.merge(
            await scheduler.service.fire(
                ReminderKind(kind),
                subject,
                datetime.fromisoformat(moment),
                attempt=attempt[0] if attempt else 0,
            )
        )
        await asyncio.to_thread(_remove_if_present, scheduler, job_id)
    return report


def _remove_if_present(scheduler: ReminderScheduler, job_id: str) -> None:
    with contextlib.suppress(JobLookupError):
        scheduler.remove_job(job_id)


OnChange = Callable[[int], Awaitable[None]]


def hooks(scheduler: ReminderScheduler) -> tuple[OnChange, OnChange]:
    """``(on_meeting_changed, on_task_changed)`` for the bot's ``BotDeps``."""

    async def meeting_changed(meeting_id: int) -> None:
        await sync_meeting_reminders(scheduler, meeting_id)

    async def task_changed(task_id: int) -> None:
        await sync_task_reminders(scheduler, task_id)

    return meeting_changed, task_changed
