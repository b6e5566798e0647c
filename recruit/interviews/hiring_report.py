"""The figures a head of recruiting reads: per source channel the funnel
(résumés -> invited -> came -> offered -> hired), the show-up rate, the
median days from application to hire and the cost per hire; per vacancy
the weeks to fill at the current pace; per interviewer the share of the
interviews they held that have their scorecard.

The funnel follows the applications received in the period (a cohort):
what became of them, whenever it happened. Each table is one statement
whatever the number of rows, so the page stays fast on a large database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import day_figures
from recruit.interviews.models import Booking, InterviewSession, Scorecard, SessionInterviewer
from recruit.interviews.pace import PACE_WINDOW_WEEKS, Pace, cost_per_hire, median_days, share
from recruit.interviews.scorecards import held_by
from recruit.organisation.services import zone
from recruit.utc import utcnow
from recruit.vacancies import channel_costs, channels
from recruit.vacancies.models import Application, Candidate, Vacancy
from recruit.vacancies.pipeline import STAGE_INDEX

OPEN_STATES = ("open", "on_hold")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    """What the report is narrowed to; None: not narrowed. The days are the
    organisation's, both included."""

    start: date | None = None
    end: date | None = None
    vacancy_id: int | None = None
    interviewer_id: int | None = None
    channel: str | None = None

    def since(self) -> datetime | None:
        return None if self.start is None else datetime.combine(self.start, time(), tzinfo=zone())

    def until(self) -> datetime | None:
        """The first instant after the period: the next day's midnight there."""
        return None if self.end is None else datetime.combine(self.end + DAY, time(), tzinfo=zone())

    @property
    def costs_apply(self) -> bool:
        """A channel's cost is for all its candidates: divided by one vacancy's
        or one interviewer's hires it would read as a cost per hire it is not."""
        return self.vacancy_id is None and self.interviewer_id is None

    @property
    def shape(self) -> tuple[bool, ...]:
        """Which filters are set: the statements are built once per shape, the values are parameters."""
        return (self.start is not None, self.end is not None, self.vacancy_id is not None,
                self.interviewer_id is not None, self.channel is not None)

    def params(self) -> dict[str, object]:
        return {"since": self.since(), "until": self.until(), "start_day": self.start, "end_day": self.end,
                "vacancy": self.vacancy_id, "interviewer": self.interviewer_id, "channel": self.channel}

    def as_args(self) -> dict[str, str]:
        """The filters as the page's GET parameters (the exports' links)."""
        args = {"start": self.start.isoformat() if self.start else "", "end": self.end.isoformat() if self.end else "",
                "vacancy": str(self.vacancy_id or ""), "interviewer": str(self.interviewer_id or ""),
                "channel": self.channel or ""}
        return {key: value for key, value in args.items() if value}


@dataclass
class ChannelFunnel:
    channel: str
    resumes: int = 0
    invited: int = 0
    came: int = 0
    no_show: int = 0
    offered: int = 0
    hired: int = 0
    days_to_hire: list[float] = field(default_factory=list)
    cost: dict[str, Decimal] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return channels.label(self.channel) if self.channel else ""

    @property
    def show_up(self) -> float | None:
        """Of those whose interview came due (arrived or no-show): cancelled in advance is no no-show."""
        return share(self.came, self.came + self.no_show)

    @property
    def median_days_to_hire(self) -> float | None:
        return median_days(self.days_to_hire)

    @property
    def cost_per_hire(self) -> dict[str, Decimal]:
        return cost_per_hire(self.cost, self.hired)

    def stages(self) -> list[tuple[str, int]]:
        return [("resumes", self.resumes), ("invited", self.invited), ("came", self.came),
                ("offered", self.offered), ("hired", self.hired)]


@dataclass(frozen=True)
class VacancyPace:
    vacancy_id: int
    position: str
    city: str
    pace: Pace


@dataclass(frozen=True)
class InterviewerRate:
    interviewer_id: int
    name: str
    held: int
    scored: int

    @property
    def rate(self) -> float | None:
        return share(self.scored, self.held)

    @property
    def missing(self) -> int:
        return self.held - self.scored


def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _applications(shape: tuple[bool, ...]) -> list[sa.ColumnElement[bool]]:
    """The applications the funnel counts: received in the period, of the vacancy,
    from the channel, interviewed by the interviewer."""
    start, end, vacancy, interviewer, channel = shape
    where: list[sa.ColumnElement[bool]] = []
    if start:
        where.append(Application.created_at >= sa.bindparam("since"))
    if end:
        where.append(Application.created_at < sa.bindparam("until"))
    if vacancy:
        where.append(Application.vacancy_id == sa.bindparam("vacancy"))
    if channel:
        where.append(Candidate.source == sa.bindparam("channel"))
    if interviewer:
        where.append(Application.id.in_(sa.select(Booking.application_id)
                                        .where(Booking.interviewer_id == sa.bindparam("interviewer"))))
    return where


_BUILT: dict[tuple, sa.Executable] = {}


def _built(name: str, shape: tuple, build: Callable[[tuple], sa.Executable]) -> sa.Executable:
    """A statement built once per process and filter shape: building one (and
    its cache key) cost as much as running it on a few thousand rows."""
    stmt = _BUILT.get((name, shape))
    if stmt is None:
        stmt = _BUILT[(name, shape)] = build(shape)
    return stmt


def _bookings_per_application() -> sa.Subquery:
    """Per application: booked at all, ever arrived, ever a no-show. One pass
    over the bookings joined to the applications (there is no index on a
    booking's application: an EXISTS per application read them all each time)."""
    return (sa.select(Booking.application_id.label("application_id"),
                      sa.func.max(sa.case((Booking.state == "arrived", 1), else_=0)).label("arrived"),
                      sa.func.max(sa.case((Booking.state == "no_show", 1), else_=0)).label("no_show"))
            .group_by(Booking.application_id).subquery("booked"))


COUNTS, HIRE, COST = 0, 1, 2  # the kinds of the funnel statement's rows


def _costs_apply(shape: tuple[bool, ...]) -> bool:
    _start, _end, vacancy, interviewer, _channel = shape
    return not vacancy and not interviewer  # as Filters.costs_apply


def _funnel_statement(shape: tuple[bool, ...]) -> sa.CompoundSelect:
    """The hires (for the median time to hire), the counts per channel and
    the channels' costs (when they apply) in one statement: the hires first,
    so the columns take the moments' and the amount's types; a count row has
    no moments, a hire row no counts, a cost row its currency and total only."""
    far = Application.furthest_stage
    booked = _bookings_per_application()
    came = sa.or_(far >= STAGE_INDEX["interviewed"], booked.c.arrived == 1)
    where = _applications(shape)
    zero = sa.literal(0, sa.Integer)
    no_amount = sa.cast(sa.null(), channel_costs.COST_TOTALS.selected_columns.total.type)
    hires = (sa.select(Candidate.source, sa.literal(HIRE, sa.Integer), zero, zero, zero, zero, zero, zero,
                       Application.created_at, Application.stage_changed_at, sa.null(), no_amount)
             .join(Candidate, Application.candidate_id == Candidate.id).where(*where, Application.stage == "hired"))
    counts = (sa.select(Candidate.source, sa.literal(COUNTS, sa.Integer), sa.func.count(Application.id),
                        _count(sa.or_(far >= STAGE_INDEX["invited"], booked.c.application_id.is_not(None))),
                        _count(came), _count(sa.and_(sa.not_(came), booked.c.no_show == 1)),
                        _count(far >= STAGE_INDEX["offer"]), _count(Application.stage == "hired"),
                        sa.null(), sa.null(), sa.null(), sa.null())
              .join(Candidate, Application.candidate_id == Candidate.id)
              .outerjoin(booked, booked.c.application_id == Application.id).where(*where)
              .group_by(Candidate.source))
    if not _costs_apply(shape):
        return sa.union_all(hires, counts)
    costs = channel_costs.COST_TOTALS.subquery("costs")
    spent = sa.select(costs.c.name, sa.literal(COST, sa.Integer), zero, zero, zero, zero, zero, zero,
                      sa.null(), sa.null(), costs.c.currency, costs.c.total)
    return sa.union_all(hires, counts, spent)


def channel_funnels(filters: Filters) -> list[ChannelFunnel]:
    """One row per channel, the most résumés first, the channels' costs
    joined (a channel that cost money and brought nobody is listed too)."""
    funnels: dict[str, ChannelFunnel] = {}
    days: dict[str, list[float]] = defaultdict(list)
    costs: dict[str, dict[str, Decimal]] = defaultdict(dict)
    params = {**filters.params(), **channel_costs.period_bounds(filters.start, filters.end)}
    for source, kind, *numbers, applied, hired, code, total in db.session.execute(
            _built("funnel", filters.shape, _funnel_statement), params):
        if kind == HIRE:
            days[source or ""].append(max((hired - applied) / DAY, 0.0))
        elif kind == COST:
            costs[source][code] = Decimal(total)
        else:
            funnels[source or ""] = ChannelFunnel(source or "", *(int(n) for n in numbers))
    for source, found in days.items():
        funnels[source].days_to_hire = found
    for name, cost in costs.items():
        if filters.channel is None or filters.channel == name:
            funnels.setdefault(name, ChannelFunnel(name)).cost = cost
    return sorted(funnels.values(), key=lambda f: (-f.resumes, f.label.casefold()))


def totals(funnels: list[ChannelFunnel]) -> ChannelFunnel:
    """All channels as one funnel (the chart's bars), costs summed per currency."""
    total = ChannelFunnel("")
    for row in funnels:
        for name, value in row.stages():
            setattr(total, name, getattr(total, name) + value)
        total.no_show += row.no_show
        total.days_to_hire += row.days_to_hire
        for code, amount in row.cost.items():
            total.cost[code] = total.cost.get(code, Decimal(0)) + amount
    return total


PACE, RATE = "p", "r"  # the kinds of the lists statement's rows (with the days' figures, day_figures.py)


def _paces_branch(vacancy: bool) -> sa.Select:
    """(kind, vacancy, position, city, headcount, hired, hired lately): the
    open vacancies, or the one of the filters."""
    hired = Application.stage == "hired"
    stmt = (sa.select(sa.literal(PACE, sa.String).label("kind"), Vacancy.id.label("key"),
                      Vacancy.position.label("name"), Vacancy.city.label("city"), Vacancy.headcount.label("n1"),
                      _count(hired).label("n2"),
                      _count(sa.and_(hired, Application.stage_changed_at >= sa.bindparam("recent"))).label("n3"))
            .outerjoin(Application, Application.vacancy_id == Vacancy.id)
            .group_by(Vacancy.id, Vacancy.position, Vacancy.city, Vacancy.headcount))
    if vacancy:
        return stmt.where(Vacancy.id == sa.bindparam("vacancy"))
    return stmt.where(Vacancy.state.in_(OPEN_STATES))


def _paces_statement(shape: tuple[bool]) -> sa.Select:
    return _paces_branch(shape[0]).order_by("name", "key")


def _paces(rows) -> list[VacancyPace]:
    return [VacancyPace(vid, position, city, Pace(headcount, int(n), int(recent_n), PACE_WINDOW_WEEKS))
            for kind, vid, position, city, headcount, n, recent_n in rows if kind == PACE]


def _recent(now: datetime | None) -> datetime:
    return (now or utcnow()) - timedelta(weeks=PACE_WINDOW_WEEKS)


def vacancy_paces(filters: Filters, now: datetime | None = None) -> list[VacancyPace]:
    """The open vacancies (or the one filtered), each with its hires so far and
    over the last weeks: the current pace, whatever the period chosen."""
    stmt = _built("paces", (filters.vacancy_id is not None,), _paces_statement)
    return _paces(db.session.execute(stmt, {"recent": _recent(now), "vacancy": filters.vacancy_id}))


def _held(shape: tuple[bool, ...]) -> list[sa.ColumnElement[bool]]:
    """Interviews held on days that are over: the candidate came and was seen by someone."""
    start, end, vacancy, interviewer, channel = shape
    where = [Booking.state == "arrived", InterviewSession.ends_at < sa.bindparam("now")]
    if start:
        where.append(InterviewSession.day >= sa.bindparam("start_day"))
    if end:
        where.append(InterviewSession.day <= sa.bindparam("end_day"))
    if vacancy:
        where.append(InterviewSession.vacancy_id == sa.bindparam("vacancy"))
    if interviewer:
        where.append(SessionInterviewer.user_id == sa.bindparam("interviewer"))
    if channel:
        where.append(Booking.source == sa.bindparam("channel"))
    return where


def _rates_statement(shape: tuple[bool, ...]) -> sa.Select:
    """(kind, interviewer, name, "", held, with their own scorecard, null)."""
    own = sa.exists().where(Scorecard.booking_id == Booking.id, Scorecard.interviewer_id == SessionInterviewer.user_id)
    return (sa.select(sa.literal(RATE, sa.String), User.id, User.full_name, sa.literal("", sa.String),
                      sa.func.count(Booking.id), _count(own), sa.null())
            .join(InterviewSession, Booking.session_id == InterviewSession.id)
            .join(SessionInterviewer, held_by(Booking, InterviewSession))
            .join(User, SessionInterviewer.user_id == User.id)
            .where(*_held(shape)).group_by(User.id, User.full_name))


def _rates(rows) -> list[InterviewerRate]:
    rates = [InterviewerRate(uid, name, int(held), int(scored))
             for kind, uid, name, _city, held, scored, _none in rows if kind == RATE]
    return sorted(rates, key=lambda r: (r.rate if r.rate is not None else 1.0, r.name.casefold()))


def scorecard_rates(filters: Filters, now: datetime | None = None) -> list[InterviewerRate]:
    """Per interviewer: the interviews they held and how many have their own
    scorecard (another interviewer's card does not count for them)."""
    return _rates(db.session.execute(_built("rates", filters.shape, _rates_statement),
                                     {**filters.params(), "now": now or utcnow()}))


@dataclass(frozen=True)
class Choices:
    vacancies: list[tuple[int, str]]
    interviewers: list[tuple[int, str]]
    channels: list[str]


def _choices_statement() -> sa.CompoundSelect:
    """The vacancies, the people who have sat on a panel and the channels
    candidates came from, in one statement (kind, id, name, city)."""
    sources = channels.SOURCES_IN_USE.bindparams(limit=5000).columns(value=sa.String).subquery("sources")
    empty = sa.literal("", sa.String)
    return sa.union_all(
        sa.select(sa.literal("v", sa.String), Vacancy.id, Vacancy.position, Vacancy.city)
        .where(Vacancy.state != "draft"),
        sa.select(sa.literal("i", sa.String), User.id, User.full_name, empty)
        .where(User.id.in_(sa.select(SessionInterviewer.user_id))),
        sa.select(sa.literal("c", sa.String), sa.null(), sources.c.value, empty))


CHOICES = _choices_statement()  # built once: it has no parameter of the request


def filter_choices() -> Choices:
    """What the filter form offers, sorted as a person looks for them."""
    found: dict[str, list[tuple[int | None, str, str]]] = defaultdict(list)
    for kind, item_id, name, city in db.session.execute(CHOICES):
        found[kind].append((item_id, name, city))
    vacancies = sorted(found["v"], key=lambda v: (v[1].casefold(), v[0]))
    return Choices([(vid, f"{position}, {city}" if city else position) for vid, position, city in vacancies],
                   [(uid, name) for uid, name, _city in sorted(found["i"], key=lambda u: (u[1].casefold(), u[0]))],
                   sorted((name for _id, name, _city in found["c"]), key=lambda n: channels.label(n).casefold()))


def _lists_statement(shape: tuple) -> sa.CompoundSelect:
    """The paces, the scorecard rates and the interview days' figures in one
    statement (a page's statements cost more than these few rows): the
    vacancies in the database's order of their positions, as on their own."""
    *filters, dialect = shape
    return sa.union_all(_paces_branch(filters[2]), _rates_statement(tuple(filters)),
                        *day_figures.BRANCHES[dialect]).order_by("kind", "name", "key")


@dataclass(frozen=True)
class HiringReport:
    filters: Filters
    funnels: list[ChannelFunnel]
    total: ChannelFunnel
    paces: list[VacancyPace]
    rates: list[InterviewerRate]
    days: dict  # the interview days' figures (day_figures.figures), read with the paces and rates


def hiring_report(filters: Filters, now: datetime | None = None) -> HiringReport:
    funnels = channel_funnels(filters)
    at = now or utcnow()
    stmt = _built("lists", (*filters.shape, db.session.get_bind().dialect.name), _lists_statement)
    rows = db.session.execute(stmt, {**filters.params(), "now": at, "recent": _recent(at)}).all()
    return HiringReport(filters, funnels, totals(funnels), _paces(rows), _rates(rows), day_figures.figures(rows))
