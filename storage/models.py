"""The domain as SQLAlchemy 2 typed models.

Vietnamese terms: committee = Ban Chỉ đạo; point = điểm cầu; meeting = phiên họp;
invitation = giấy mời; agenda item = nội dung chương trình; recording = bản ghi;
draft = dự thảo biên bản / thông báo kết luận; task = nhiệm vụ; unit = đơn vị.

Every instant is stored timezone-aware in UTC (``UTCDateTime``); a date-only deadline is a
``date``. Relationships are ``lazy="raise"`` so no hidden I/O happens on an async session:
services load what they need explicitly.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

# Deterministic constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


def _enum(enum_cls: type[StrEnum]) -> Enum:
    """Store a StrEnum by its value as VARCHAR: portable, readable in SQL, no native type."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class PointKind(StrEnum):
    """Kinds of connection point (điểm cầu)."""

    MAIN_HALL = "main_hall"  # hội trường chính (UBND tỉnh)
    TELECOM_STUDIO = "telecom_studio"  # studio VNPT / Viettel
    DISTRICT = "district"  # huyện, thị xã, thành phố; xã, phường after 2025
    OTHER = "other"


class Role(StrEnum):
    SECRETARIAT = "secretariat"  # tổ giúp việc, văn phòng
    COORDINATOR = "coordinator"  # đầu mối điểm cầu
    PARTICIPANT = "participant"  # đại biểu
    LEADERSHIP = "leadership"  # lãnh đạo, chủ trì


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class Readiness(StrEnum):
    """A point's state before the start (kiểm tra đường truyền)."""

    UNKNOWN = "unknown"
    READY = "ready"  # điểm cầu sẵn sàng
    PROBLEM = "problem"  # có sự cố


class AnswerStatus(StrEnum):
    """iCalendar PARTSTAT values (RFC 5545) for an invitation."""

    NEEDS_ACTION = "NEEDS-ACTION"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    DELEGATED = "DELEGATED"


class RecordingStatus(StrEnum):
    """The stages a recording moves through, each committed before the next begins."""

    UPLOADED = "uploaded"  # stored, not yet given to the pipeline
    QUEUED = "queued"  # chờ chép lời
    TRANSCRIBING = "transcribing"  # đang chép lời (progress says how far)
    TRANSCRIBED = "transcribed"  # đã chép lời, chưa có dự thảo
    DRAFTED = "drafted"  # đã có dự thảo, chưa gửi duyệt
    SENT = "sent"  # đã gửi dự thảo cho người duyệt
    FAILED = "failed"  # lỗi, with the reason in ``error``

    @property
    def is_active(self) -> bool:
        """A stage the pipeline still has work in (resumed after a crash)."""
        return self in ACTIVE_RECORDING_STAGES


ACTIVE_RECORDING_STAGES = frozenset(
    {
        RecordingStatus.QUEUED,
        RecordingStatus.TRANSCRIBING,
        RecordingStatus.TRANSCRIBED,
        RecordingStatus.DRAFTED,
    }
)


class DraftStatus(StrEnum):
    PENDING = "pending"  # chờ duyệt
    APPROVED = "approved"
    REJECTED = "rejected"


class TaskStatus(StrEnum):
    ASSIGNED = "assigned"  # đã giao
    IN_PROGRESS = "in_progress"  # đang thực hiện
    EXTENSION_REQUESTED = "extension_requested"  # xin gia hạn
    DONE = "done"  # hoàn thành
    CANCELLED = "cancelled"  # hủy


class TaskEventKind(StrEnum):
    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    PROGRESS = "progress"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_GRANTED = "extension_granted"
    EXTENSION_REFUSED = "extension_refused"
    DEADLINE_CHANGED = "deadline_changed"
    COMPLETED = "completed"


class NotificationState(StrEnum):
    PENDING = "pending"  # in the outbox, not claimed yet (or waiting for its next attempt)
    SENDING = "sending"  # claimed by a sender that is calling Telegram
    SENT = "sent"
    FAILED = "failed"  # a final error (chat not found, bad request), or attempts used up
    BLOCKED = "blocked"  # the recipient blocked the bot: do not retry
    DROPPED = "dropped"  # its moment passed while down and it no longer makes sense
    # The request may have reached Telegram but no answer came (timeout, the process died):
    # whether it was delivered cannot be known, and it is not sent again (see bot.outbox).
    IN_DOUBT = "in_doubt"


class Committee(Base):
    """A steering committee (Ban Chỉ đạo)."""

    __tablename__ = "committees"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(100))
    # For the notice header: "UBND TỈNH LAI CHÂU", "Số: .../TB-UBND", "Lai Châu, ngày ...".
    issuing_body: Mapped[str] = mapped_column(String(200))
    notice_abbreviation: Mapped[str] = mapped_column(String(40), default="UBND")
    # The body above the issuer in the header, if any ("UBND TỈNH LAI CHÂU" above a Sở).
    parent_body: Mapped[str | None] = mapped_column(String(200))
    # Who signs the notices (Nghị định 30/2020, Điều 13): "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG",
    # the name. Left empty, the signature block keeps a blank for the clerk.
    signer_authority: Mapped[str | None] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    # The secretary (thư ký) who keeps the record of the committee's sessions.
    secretary_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL", use_alter=True)
    )

    points: Mapped[list[Point]] = relationship(
        back_populates="committee", lazy="raise", order_by="Point.position"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="committee", lazy="raise")
    secretary: Mapped[Person | None] = relationship(
        foreign_keys=[secretary_id], lazy="raise", post_update=True
    )


class Unit(Base):
    """An organisation that people belong to and tasks are given to (đơn vị)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(120))
    aliases: Mapped[list[Any]] = mapped_column(default=list)


class Point(Base):
    """A connection point of a committee's online sessions (điểm cầu)."""

    __tablename__ = "points"
    __table_args__ = (UniqueConstraint("committee_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PointKind] = mapped_column(_enum(PointKind))
    location: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    coordinator_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL", use_alter=True)
    )

    committee: Mapped[Committee] = relationship(back_populates="points", lazy="raise")
    coordinator: Mapped[Person | None] = relationship(
        foreign_keys=[coordinator_id], lazy="raise", post_update=True
    )


class Person(Base):
    """Someone who is invited, coordinates a point, approves or carries out tasks.

    ``full_name`` may be empty: many are known by title only ("Chủ tịch UBND huyện Sìn Hồ").
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    point_id: Mapped[int | None] = mapped_column(ForeignKey("points.id", ondelete="SET NULL"))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    telegram_username: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))

    unit: Mapped[Unit | None] = relationship(lazy="raise")
    point: Mapped[Point | None] = relationship(foreign_keys=[point_id], lazy="raise")
    memberships: Mapped[list[Membership]] = relationship(back_populates="person", lazy="raise")

    @property
    def display_name(self) -> str:
        return f"{self.full_name} ({self.title})" if self.full_name else self.title


class Membership(Base):
    """A person's role in a committee; one row per role."""

    __tablename__ = "memberships"

    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(_enum(Role), primary_key=True)

    committee: Mapped[Committee] = relationship(back_populates="memberships", lazy="raise")
    person: Mapped[Person] = relationship(back_populates="memberships", lazy="raise")


class Meeting(Base):
    """An online session of a committee (phiên họp trực tuyến)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"))
    number: Mapped[int | None] = mapped_column(Integer)  # "Phiên họp lần thứ 3"
    title: Mapped[str] = mapped_column(String(500))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    chair_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    main_point_id: Mapped[int] = mapped_column(ForeignKey("points.id"))
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus), default=MeetingStatus.PLANNED
    )
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    committee: Mapped[Committee] = relationship(lazy="raise")
    chair: Mapped[Person] = relationship(lazy="raise")
    main_point: Mapped[Point] = relationship(lazy="raise")
    points: Mapped[list[MeetingPoint]] = relationship(
        back_populates="meeting", lazy="raise", cascade="all, delete-orphan"
    )
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="AgendaItem.position",
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting", lazy="raise", cascade="all, delete-orphan"
    )


class MeetingPoint(Base):
    """A point taking part in a meeting, with its readiness."""

    __tablename__ = "meeting_points"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    point_id: Mapped[int] = mapped_column(ForeignKey("points.id"), primary_key=True)
    readiness: Mapped[Readiness] = mapped_column(_enum(Readiness), default=Readiness.UNKNOWN)
    readiness_note: Mapped[str | None] = mapped_column(Text)
    readiness_at: Mapped[datetime | None]
    readiness_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="points", lazy="raise")
    point: Mapped[Point] = relationship(lazy="raise")


class Invitation(Base):
    """One person invited to one meeting at one point, with their answer and attendance."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    point_id: Mapped[int] = mapped_column(ForeignKey("points.id"))
    status: Mapped[AnswerStatus] = mapped_column(
        _enum(AnswerStatus), default=AnswerStatus.NEEDS_ACTION
    )
    decline_reason: Mapped[str | None] = mapped_column(Text)
    delegate_name: Mapped[str | None] = mapped_column(String(200))
    delegate_title: Mapped[str | None] = mapped_column(String(300))
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    sent_at: Mapped[datetime | None]  # when it reached the person; None: not delivered (yet)
    # Check-in on the day, recorded by the point's coordinator: None = not marked yet.
    present: Mapped[bool | None] = mapped_column(Boolean)
    present_marked_at: Mapped[datetime | None]
    present_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="invitations", lazy="raise")
    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="raise")
    point: Mapped[Point] = relationship(lazy="raise")


class AgendaItem(Base):
    """An item of the meeting's programme, with its presenter and documents."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    presenter_text: Mapped[str | None] = mapped_column(String(300))  # "Đại diện đơn vị tư vấn"

    meeting: Mapped[Meeting] = relationship(back_populates="agenda", lazy="raise")
    presenter: Mapped[Person | None] = relationship(lazy="raise")
    documents: Mapped[list[Document]] = relationship(
        back_populates="agenda_item", lazy="raise", cascade="all, delete-orphan"
    )


class Document(Base):
    """A document attached to an agenda item (tài liệu)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    path: Mapped[str | None] = mapped_column(String(1000))
    telegram_file_id: Mapped[str | None] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64))

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="documents", lazy="raise")


class Recording(Base):
    """An uploaded recording of a meeting and the stage its pipeline has reached.

    One live job per recording: whoever works on it holds the lease (``lease_owner`` until
    ``lease_expires_at``), and every write of that job names ``lease_token``, which grows by
    one at each claim; a write with an older token is refused (fencing), so a job that lost
    its lease (its owner presumed dead) cannot write over the one that took it over.
    ``attempts`` counts the transcription runs started, so a recording that kills its
    worker every time fails with a reason instead of looping.
    """

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    path: Mapped[str] = mapped_column(String(1000))
    original_name: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    duration_s: Mapped[float | None] = mapped_column(Float)
    status: Mapped[RecordingStatus] = mapped_column(
        _enum(RecordingStatus), default=RecordingStatus.UPLOADED
    )
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # fraction of the duration
    error: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_token: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lease_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    segments: Mapped[list[TranscriptSegment]] = relationship(
        back_populates="recording",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="TranscriptSegment.seq",
    )


class TranscriptSegment(Base):
    """A timed piece of a recording's transcript. ``seq`` orders them and forbids duplicates."""

    __tablename__ = "transcript_segments"
    __table_args__ = (UniqueConstraint("recording_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)

    recording: Mapped[Recording] = relationship(back_populates="segments", lazy="raise")


class TranscriptWindow(Base):
    """A stretch of a recording whose segments are stored: the job's checkpoint.

    Written in the same transaction as its segments; ``(recording_id, start)`` is unique, so
    a second write of the same window (a job that should not be running) is refused by the
    database even if every other guard failed.
    """

    __tablename__ = "transcript_windows"
    __table_args__ = (UniqueConstraint("recording_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    segments: Mapped[int] = mapped_column(Integer)  # how many were stored from it
    lease_token: Mapped[int] = mapped_column(Integer)  # the job that wrote it


class Draft(Base):
    """Draft minutes and conclusion notice awaiting approval (dự thảo).

    ``content`` is the drafter's JSON (conclusions and tasks). ``version`` grows with each
    save; a save must name the version it edited, so two secretaries editing one draft cannot
    silently drop each other's work.
    """

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("recordings.id", ondelete="SET NULL")
    )
    status: Mapped[DraftStatus] = mapped_column(_enum(DraftStatus), default=DraftStatus.PENDING)
    version: Mapped[int] = mapped_column(Integer, default=1)
    content: Mapped[dict[str, Any]] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    edits: Mapped[list[DraftEdit]] = relationship(
        back_populates="draft", lazy="raise", order_by="DraftEdit.id"
    )


class DraftEdit(Base):
    """One saved change to a draft, kept for good (who, when, what)."""

    __tablename__ = "draft_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime]
    from_version: Mapped[int] = mapped_column(Integer)
    to_version: Mapped[int] = mapped_column(Integer)
    change: Mapped[dict[str, Any]] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)

    draft: Mapped[Draft] = relationship(back_populates="edits", lazy="raise")


class Task(Base):
    """A follow-up task from a meeting's conclusions (nhiệm vụ).

    The deadline is a date (``deadline_date``), an exact instant (``deadline_at``), or only
    the original words (``deadline_text`` with ``deadline_needs_review``).
    """

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    assignee_text: Mapped[str] = mapped_column(String(300))
    cooperating: Mapped[list[Any]] = mapped_column(default=list)
    action: Mapped[str] = mapped_column(Text)
    deadline_date: Mapped[date | None] = mapped_column(Date)
    deadline_at: Mapped[datetime | None]
    deadline_text: Mapped[str | None] = mapped_column(String(300))
    deadline_needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[float | None] = mapped_column(Float)
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus), default=TaskStatus.ASSIGNED)
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    unit: Mapped[Unit | None] = relationship(lazy="raise")
    meeting: Mapped[Meeting | None] = relationship(lazy="raise")
    events: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", lazy="raise", order_by="TaskEvent.id"
    )


class TaskEvent(Base):
    """The history of a task: status changes, progress notes, extensions, completion."""

    __tablename__ = "task_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    kind: Mapped[TaskEventKind] = mapped_column(_enum(TaskEventKind))
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    from_status: Mapped[TaskStatus | None] = mapped_column(_enum(TaskStatus))
    to_status: Mapped[TaskStatus | None] = mapped_column(_enum(TaskStatus))
    note: Mapped[str | None] = mapped_column(Text)
    old_deadline: Mapped[date | None] = mapped_column(Date)
    new_deadline: Mapped[date | None] = mapped_column(Date)

    task: Mapped[Task] = relationship(back_populates="events", lazy="raise")


class Notification(Base):
    """The outbox and the log of every message to a person (invitations, changes, alerts,
    tasks, reminders, digests, drafts for review).

    A row is written in the transaction of the change that causes it (``state`` pending) and
    delivered by the one sender (``bot.outbox``); the unique key makes a second row for the
    same notification impossible. ``sent_at`` is when the row last changed state (written,
    sent, blocked, given up).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("kind", "subject", "recipient", "moment"),
        Index("ix_notifications_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))  # "meeting.day_before", "task.overdue", ...
    subject: Mapped[str] = mapped_column(String(120))  # "meeting:12", "task:5"
    recipient: Mapped[str] = mapped_column(String(120))  # "person:3", "chat:-100123"
    moment: Mapped[datetime]  # the scheduled moment (or the change's), not the sending time
    state: Mapped[NotificationState] = mapped_column(_enum(NotificationState))
    sent_at: Mapped[datetime]
    error: Mapped[str | None] = mapped_column(Text)
    # What to send; rows logged before the outbox existed have none.
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    text: Mapped[str | None] = mapped_column(Text)
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    document_name: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)


class InviteCode(Base):
    """A one-time link that ties a Telegram account to a person (t.me/<bot>?start=<code>)."""

    __tablename__ = "invite_codes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="raise")


class AuditEntry(Base):
    """Who did what to which record, for the office's own audit (nhật ký)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(80))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class WebLoginToken(Base):
    """A one-time, short-lived sign-in link for the web office, sent by the bot's /web.

    Only the SHA-256 of the token is stored: a copy of the database opens no session.
    """

    __tablename__ = "web_login_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the row its SHA-256, the person,
    the form token that every change must echo (CSRF), and when it ends."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiToken(Base):
    """A script's key to the JSON API (mã truy cập của tích hợp): it reads what ``role`` sees in
    one committee and changes nothing. Only the token's SHA-256 is stored; revoking ends it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(_enum(Role))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class CalendarFeed(Base):
    """A person's secret calendar address (``/calendar/<token>.ics``) for their meetings and
    their unit's deadlines. Only the token's SHA-256 is stored; revoking ends it at once."""

    __tablename__ = "calendar_feeds"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class SeedKey(Base):
    """The key a committee's YAML file gives a person (``key: cv-vp``), so that seeding the
    file again updates that person in place; ``retired_at`` marks someone the file no longer
    lists: their memberships go, their answers, tasks and notifications stay."""

    __tablename__ = "seed_keys"

    committee_id: Mapped[int] = mapped_column(
        ForeignKey("committees.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    retired_at: Mapped[datetime | None]


class WebhookUpdate(Base):
    """An update Telegram delivered to the webhook, kept a few days by its ``update_id`` so a
    repeated delivery (Telegram retries until it gets a 2xx, and a restart may see the same
    update again) is handled once."""

    __tablename__ = "webhook_updates"
    __table_args__ = (Index("ix_webhook_updates_received_at", "received_at"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime]


class BotConversation(Base):
    """Where a person stands in a bot dialogue (hội thoại: creating a meeting, answering a
    question the bot asked), so that a restart resumes at the same question. One row per
    conversation handler and key (the chat and user ids, as JSON); a finished dialogue has none.
    """

    __tablename__ = "bot_conversations"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]


class BotUserData(Base):
    """What a person's open dialogue has collected so far (the typed form of the wizard), as
    tagged JSON; a person with nothing in progress has no row."""

    __tablename__ = "bot_user_data"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
