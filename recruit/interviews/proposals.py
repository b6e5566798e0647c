"""What the planner's page shows of a plan: the day slot by slot (who is
proposed, each one's chance to come, the arrivals each slot can expect), a
sentence that says in plain words why so many are invited, and the figures
the page's script recomputes as the recruiter ticks and moves people, with
the same formulas as overbooking.evaluate_day (the server recomputes them
on every submit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from babel import Locale
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from recruit.dates import clock, reader_locale
from recruit.interviews import preferences
from recruit.interviews.formats import percent
from recruit.interviews.models import InterviewSession
from recruit.vacancies import channels

WAITLIST = "w"  # a row's choice: the day's waiting list instead of a slot


@dataclass(frozen=True)
class SlotView:
    index: int
    starts_at: datetime
    time: str  # its start as the page writes it, in the reader's zone
    capacity: int
    held: int  # invited before this plan
    held_expected: float  # of them, how many are expected to come
    rows: list  # the applications proposed here
    expected: float  # arrivals expected: those invited before and those proposed


def slot_views(session: InterviewSession, future: Sequence[int], held: Sequence[Sequence[float]],
               assignment: Mapping[int, int], applications: Sequence, probabilities: Mapping[int, float]
               ) -> tuple[list[SlotView], list]:
    """The slots to come, each with the applications assigned to it, and the
    applications assigned to none (in the order given)."""
    per_slot: dict[int, list] = {i: [] for i in future}
    rest = []
    for application in applications:
        index = assignment.get(application.id)
        per_slot.get(index, rest).append(application)
    views = []
    for i in future:
        slot, before = session.slots[i], sum(held[i])
        views.append(SlotView(i, slot.starts_at, clock(slot.starts_at), slot.capacity, len(held[i]), before,
                              per_slot[i], before + sum(probabilities[a.id] for a in per_slot[i])))
    return views, rest


class Line(NamedTuple):
    """One candidate's row on the page, in the words it shows."""

    id: int
    name: str
    channel: str  # the source as shown (a built-in channel in the reader's language)
    shows_up: str  # the chance to come, a whole percent
    chosen: int | str | None  # what the row's select marks: a slot's index, the waiting list, or nothing
    ticked: bool


def lines(views: Sequence[SlotView], rest: Sequence, rest_choices: Mapping[int, tuple],
          probabilities: Mapping[int, float]) -> list[tuple[SlotView | None, list[Line]]]:
    """The page's groups of rows: each slot to come with the candidates
    proposed there (ticked, their slot chosen), then those not invited (None)
    as `rest_choices` marks them. Fifty rows share a few chances and channels,
    so each is written once per page here instead of by a call per row in
    the template (a third of the page's rows' time)."""
    shares: dict[float, str] = {}
    labels: dict[str, str] = {}

    def line(application, chosen: int | str | None, ticked: bool) -> Line:
        chance, source = probabilities[application.id], application.candidate.source
        if chance not in shares:
            shares[chance] = percent(chance, 0)
        if source not in labels:
            labels[source] = channels.label(source) if source else ""
        return Line(application.id, application.candidate.full_name, labels[source], shares[chance], chosen, ticked)

    groups: list[tuple[SlotView | None, list[Line]]] = [
        (view, [line(a, view.index, True) for a in view.rows]) for view in views]
    groups.append((None, [line(a, *rest_choices[a.id]) for a in rest]))
    return groups


def capacity_labels(session: InterviewSession, views: Sequence[SlotView]) -> dict[int, str]:
    """"2 interviewers" (a stream) or "8 seats" (a group) for each capacity
    the day's slots have: written once per capacity, not once per slot."""
    if session.kind == "stream":
        return {c: ngettext("%(num)d interviewer", "%(num)d interviewers", c) for c in {v.capacity for v in views}}
    return {c: ngettext("%(num)d seat", "%(num)d seats", c) for c in {v.capacity for v in views}}


def rest_choices(rest: Sequence, choices: Mapping[int, str], waitlisted: set[int]) -> dict[int, tuple]:
    """For each application assigned to no slot, (its choice, ticked): the
    waiting list unless the recruiter chose "not now" or a slot and left it
    unticked, ticked when the recruiter ticked it onto the waiting list."""
    result: dict[int, tuple] = {}
    for application in rest:
        sent = choices.get(application.id)
        if sent in (None, WAITLIST):
            result[application.id] = (WAITLIST, sent == WAITLIST and application.id in waitlisted)
        else:
            result[application.id] = (int(sent) if sent.isdigit() else None, False)
    return result


def explanation(views: Sequence[SlotView], probabilities: Mapping[int, float], not_invited: int) -> str:
    """One or two sentences on the plan, from its own numbers: how many of
    these candidates come, and so how many are invited per interviewer and
    slot; when every ticked candidate is invited, that the day could take
    more; when some are not, what becomes of them."""
    invited = [probabilities[a.id] for view in views for a in view.rows]
    if not invited:
        return _("Nobody more is proposed: the slots to come hold as many invitations as the day can take.")
    chance = sum(invited) / len(invited)
    one_in = round(1 / chance) if chance > 0 else 0
    if not not_invited:  # the candidates ran out before the day did
        if one_in <= 1:
            return ngettext("Nearly all of these candidates come: the %(num)d ticked is invited, and the day "
                            "could take more.",
                            "Nearly all of these candidates come: all %(num)d ticked are invited, and the day "
                            "could take more.", len(invited))
        return ngettext("About 1 in %(one_in)d of these candidates comes: the %(num)d ticked is invited, and the "
                        "day could take more.",
                        "About 1 in %(one_in)d of these candidates comes: all %(num)d ticked are invited, and the "
                        "day could take more.", len(invited), one_in=one_in)
    seats = sum(view.capacity for view in views if view.rows) or 1
    per_seat = max(1, round(len(invited) / seats))
    if one_in <= 1:
        first = ngettext("Nearly all of these candidates come, so %(num)d is invited for each interviewer and slot.",
                         "Nearly all of these candidates come, so %(num)d are invited for each interviewer and slot.",
                         per_seat)
    else:
        first = ngettext("About 1 in %(one_in)d of these candidates comes, so %(num)d is invited for each "
                         "interviewer and slot.",
                         "About 1 in %(one_in)d of these candidates comes, so %(num)d are invited for each "
                         "interviewer and slot.", per_seat, one_in=one_in)
    second = ngettext("%(num)d more would mostly wait: they stay uninvited, or join the waiting list.",
                      "%(num)d more would mostly wait: they stay uninvited, or join the waiting list.", not_invited)
    return f"{first} {second}"


def page_data(session: InterviewSession, views: Sequence[SlotView], held: Sequence[Sequence[float]],
              probabilities: Mapping[int, float], preference: int) -> dict:
    """What the page's script needs to recompute the day as the recruiter
    edits it: each slot to come (capacity, chances of those invited before),
    each candidate's chance, the weights, and how the page's language writes
    numbers."""
    weights = preferences.weights_for(session.kind, preference)
    symbols = Locale.parse(str(reader_locale())).number_symbols.get("latn", {})
    return {
        "slots": [{"index": v.index, "capacity": v.capacity, "held": list(held[v.index])} for v in views],
        "chances": {str(app_id): p for app_id, p in probabilities.items()},
        "slotMinutes": session.slot_minutes,
        "reward": weights.reward, "overflowCost": weights.overflow_cost,
        "decimal": symbols.get("decimal", "."), "group": symbols.get("group", ","),
        "percent": percent(0.5).replace(format_decimal(50, "0.0"), "{}", 1),
    }
