"""The reminders of the application process: a small loop that wakes at the next due moment.

Plans are computed from the database (``storage.services.reminders``): a reminder is not a
stored job but a consequence of a meeting, a task or a committee as they are now. So the loop
keeps no job store. It holds, per subject ("meeting:12", "task:5", "committee:1"), the next
moment at which that subject has a reminder, sleeps until the earliest of them (or until a
hook says a subject changed, or the periodic resync comes round), and then, for each subject
whose moment came, plans it again from the database and writes what fell due to the outbox
(``storage.services.notifications``), whose unique key makes a second write impossible
whatever runs it: a second loop, a retry, a restart. The one sender (``bot.outbox``) delivers.

Why not APScheduler: its job store duplicated what the database already says (a moved
meeting needed its jobs moved, a missed hook left a stale job), its SQLAlchemy store is
synchronous (SQLite's one write lock then stalled the event loop), and making it process jobs
off the loop meant overriding its private internals, which an upgrade can break silently.
What it gave us (sleep until the next moment, survive restarts) is a few lines here, with
every guarantee coming from the database.

At start the loop catches up: every reminder whose moment passed while the process was down
is sent once if it still makes sense for its kind, otherwise logged as dropped. A full resync
of every planned meeting, open task and committee runs at start and every ``RESYNC``, so a
change made without a hook (another process, the web) is seen within that time.

The wiring, once per process, after the PTB application is built (its ``bot`` sends)::

    reminders = build_scheduler(database_url, bot=application.bot, sessions=sessions,
                                secret=callback_secret, clock=clock,
                                policy=ReminderPolicy(tz=settings.tz))
    on_meeting_changed, on_task_changed = hooks(reminders)   # for BotDeps
    async with running(reminders):   # the loop and the outbox sender, inside the event loop
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

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot import reminder_texts as rt
from bot import texts
from bot.callbacks import pack
from bot.outbox import OutboxSender, Report
from storage.models import Meeting, MeetingPoint, Person, Point, Task
from storage.services.loading import load_one
from storage.services.notifications import (
    Outcome,
    OutgoingMessage,
    already_logged,
    enqueue_once,
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
from storage.services.tasks import due_date, get_task

log = logging.getLogger(__name__)

RESYNC = timedelta(minutes=15)  # every subject planned again from the database this often
RETRY_DELAY = timedelta(minutes=1)  # a subject whose writing failed is tried again after this
Clock = Callable[[], datetime]


@dataclass(slots=True)
class ReminderService:
    """Plans reminders and writes those that fell due to the outbox (or drops them)."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    policy: ReminderPolicy = field(default_factory=ReminderPolicy)
    secret: bytes | None = None  # signs the answer buttons; None sends no buttons

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

    # -- writing what fell due ------------------------------------------------------------

    async def due(self, subject: str) -> Report:
        """Write to the outbox every reminder of ``subject`` whose moment has come (planned
        again from the database now, so a moved or cancelled meeting, a granted extension or
        a finished task is honoured); what no longer makes sense is logged as dropped."""
        now = self.now()
        report = Report()
        for reminder in await self.plan(subject, around=now):
            if reminder.moment <= now:
                report.merge(await self.deliver(reminder))
        return report

    async def deliver(self, reminder: Reminder) -> Report:
        """Write ``reminder`` to the outbox for each recipient at most once, or log it
        dropped if it no longer makes sense."""
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
                "writing %s for %s late (moment %s)",
                reminder.kind,
                reminder.subject,
                reminder.moment,
            )
        messages = await self._render(reminder)
        people = await self._chats(reminder.recipients)
        outgoing = []
        for person_id, key in reminder.notification_keys():
            chat = people.get(person_id)
            if chat is None:
                report.add("no_account")
                continue
            text, markup = messages(person_id)
            outgoing.append(
                OutgoingMessage(key, chat, text, None if markup is None else markup.to_dict())
            )
        added = await enqueue_once(self.sessions, outgoing, now=now)
        report.add("queued", added)
        report.add(Outcome.DUPLICATE.value, len(outgoing) - added)
        return report

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
                meeting = await load_one(
                    session,
                    Meeting,
                    number,
                    selectinload(Meeting.invitations),
                    selectinload(Meeting.points).selectinload(MeetingPoint.point),
                )
                return self._meeting_texts(reminder, meeting)
            if what == "task":
                task = await get_task(session, number)
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
        if due is None:  # a task without a deadline is never scheduled for a reminder
            raise ValueError(f"task {task.id} has no deadline to remind of")
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
        """Write once what fell due while the process was down and still makes sense; log the
        rest as dropped. Anything already in the notification log is left alone."""
        report = Report()
        for subject in await self.subjects():
            report.merge(await self.due(subject))
        if report.counts:
            log.info("catch-up at start: %s", report.counts)
        return report


@dataclass(eq=False, slots=True, weakref_slot=True)
class ReminderScheduler:
    """The loop: per subject the next moment it has a reminder, read from the database; it
    sleeps until the earliest one. Its ``sender`` delivers what it writes."""

    service: ReminderService
    sender: OutboxSender
    upcoming: dict[str, datetime] = field(default_factory=dict)
    synced_at: datetime | None = None
    # Every reminder up to this moment has been written (or dropped): the last pass's clock.
    handled_until: datetime | None = None
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _stopping: bool = False

    def stop(self) -> None:
        """Finish the pass in progress and leave ``run`` (see ``OutboxSender.stop``)."""
        self._stopping = True
        self._wake.set()

    @property
    def running(self) -> bool:
        return any(not t.done() for t in self._tasks)

    async def sync_subject(self, subject: str) -> list[Reminder]:
        """Plan ``subject`` again: its reminders not handled yet, the earliest of which wakes
        the loop (at once, when its moment passed since the last pass)."""
        now = self.service.now()
        since = self.handled_until or now
        wanted = sorted(
            (r for r in await self.service.plan(subject, around=now) if r.moment > since),
            key=lambda r: r.moment,
        )
        if wanted:
            self.upcoming[subject] = wanted[0].moment
        else:
            self.upcoming.pop(subject, None)
        self._wake.set()
        return wanted

    async def sync_all(self) -> None:
        subjects = await self.service.subjects()
        for gone in set(self.upcoming) - set(subjects):
            del self.upcoming[gone]
        for subject in subjects:
            await self.sync_subject(subject)
        self.synced_at = self.service.now()

    async def planned(self, prefix: str = "") -> list[Reminder]:
        """Every future reminder of the subjects starting with ``prefix``, as planned now."""
        found: list[Reminder] = []
        for subject in sorted(self.upcoming):
            if subject.startswith(prefix):
                now = self.service.now()
                plan = await self.service.plan(subject, around=now)
                found += [r for r in plan if r.moment > now]
        return found

    async def tick(self) -> Report:
        """Write what is due now, for every subject whose moment came; plan those again."""
        now = self.service.now()
        if self.synced_at is None or now - self.synced_at >= RESYNC:
            await self.sync_all()
        report = Report()
        due = [s for s, moment in self.upcoming.items() if moment <= now]
        self.handled_until = now
        for subject in due:
            try:
                report.merge(await self.service.due(subject))
            except Exception:  # the database is away: this subject is tried again shortly
                log.exception("writing the reminders of %s failed", subject)
                self.upcoming[subject] = now + RETRY_DELAY
                report.add("error")
                continue
            await self.sync_subject(subject)
        if report.counts.get("queued"):
            self.sender.wake()
        return report

    def next_wake(self) -> datetime:
        """The earliest planned moment, or the next resync."""
        now = self.service.now()
        resync = (self.synced_at or now) + RESYNC
        return min([resync, *self.upcoming.values()])

    async def run(self) -> None:
        """Tick, then sleep until the next moment, a hook's change or the resync; until
        ``stop``."""
        try:
            while not self._stopping:
                self._wake.clear()
                try:
                    await self.tick()
                except Exception:
                    log.exception("the reminder loop's pass failed")
                pause = (self.next_wake() - self.service.now()).total_seconds()
                with contextlib.suppress(TimeoutError):  # not wait_for: see OutboxSender.run
                    async with asyncio.timeout(max(0.0, pause)):
                        await self._wake.wait()
        finally:
            self._stopping = False  # stopped: a later run starts afresh


def build_scheduler(
    database_url: str,
    *,
    bot: Bot,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock | None = None,
    policy: ReminderPolicy | None = None,
    secret: bytes | None = None,
) -> ReminderScheduler:
    """The application's one reminder loop and outbox sender; start with ``start_scheduler``."""
    policy = policy or ReminderPolicy()
    clock = clock or (lambda: datetime.now(UTC))
    service = ReminderService(sessions=sessions, clock=clock, policy=policy, secret=secret)
    backend = make_url(database_url).get_backend_name()
    # Chats at a time (each holds its slot through its messages, 1 s apart per chat by
    # Telegram's limit); each claim and record is a short transaction. Measured with
    # bench/fanout.py: 16 on SQLite, 32 on PostgreSQL.
    sender = OutboxSender(bot, sessions, clock=clock, concurrency=16 if backend == "sqlite" else 32)
    return ReminderScheduler(service, sender)


_running: weakref.WeakSet[ReminderScheduler] = weakref.WeakSet()


async def start_scheduler(
    scheduler: ReminderScheduler, *, catch_up: bool = True, paused: bool = False
) -> Report:
    """Recover the outbox, write what fell due while down, plan everything, and (unless
    ``paused``: tests drive an injected clock with ``run_due``) start the loop and sender."""
    others = [s for s in _running if s is not scheduler and s.running]
    if others:  # the outbox still keeps sends single, but the work is doubled
        log.warning("a second reminder loop started in this process; keep exactly one")
    _running.add(scheduler)
    await scheduler.sender.recover()
    started = scheduler.service.now()
    report = await scheduler.service.catch_up() if catch_up else Report()
    scheduler.handled_until = started
    await scheduler.sync_all()
    if not paused:
        resume(scheduler)
    return report


def resume(scheduler: ReminderScheduler) -> None:
    """Let the loop and the sender run by themselves on the running event loop."""
    if scheduler.running:
        return
    scheduler._tasks = [
        asyncio.create_task(scheduler.run(), name="reminders"),
        asyncio.create_task(scheduler.sender.run(), name="outbox"),
    ]


# How long a stop waits for the pass in progress (a Telegram call ends within its timeouts)
# before cancelling what is left.
STOP_GRACE_S = 30.0


async def stop_scheduler(scheduler: ReminderScheduler) -> None:
    """Stop the loop and the sender; everything they need is in the database."""
    tasks, scheduler._tasks = scheduler._tasks, []
    if not tasks:  # never resumed (paused in tests): nothing runs, nothing to stop
        return
    scheduler.stop()
    scheduler.sender.stop()
    _, late = await asyncio.wait(tasks, timeout=STOP_GRACE_S)
    for task in late:
        log.warning("%s did not stop within %.0f s: cancelled", task.get_name(), STOP_GRACE_S)
        task.cancel()
    for task in late:
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.asynccontextmanager
async def running(scheduler: ReminderScheduler) -> AsyncIterator[ReminderScheduler]:
    """``start_scheduler`` … ``stop_scheduler`` around a block (an aiohttp ``cleanup_ctx``)."""
    await start_scheduler(scheduler)
    try:
        yield scheduler
    finally:
        await stop_scheduler(scheduler)


async def sync_meeting_reminders(scheduler: ReminderScheduler, meeting_id: int) -> None:
    """Call after a meeting is created, invited, moved, edited or cancelled (after commit)."""
    await scheduler.sync_subject(meeting_subject(meeting_id))


async def sync_task_reminders(scheduler: ReminderScheduler, task_id: int) -> None:
    """Call after a task is created, reported on, extended, completed or cancelled."""
    await scheduler.sync_subject(task_subject(task_id))


async def run_due(scheduler: ReminderScheduler) -> Report:
    """One pass at the service's clock: write what is due, then deliver the outbox. Tests
    drive the clock with it."""
    report = await scheduler.tick()
    report.merge(await scheduler.sender.drain())
    return report


OnChange = Callable[[int], Awaitable[None]]


def hooks(scheduler: ReminderScheduler) -> tuple[OnChange, OnChange]:
    """``(on_meeting_changed, on_task_changed)`` for the bot's ``BotDeps``."""

    async def meeting_changed(meeting_id: int) -> None:
        await sync_meeting_reminders(scheduler, meeting_id)

    async def task_changed(task_id: int) -> None:
        await sync_task_reminders(scheduler, task_id)

    return meeting_changed, task_changed
