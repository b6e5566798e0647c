"""What the interview rooms raise: a sentence the person can act on."""

from __future__ import annotations


class InterviewError(ValueError):
    pass


class InterviewerBusyError(InterviewError):
    """A send-in to an interviewer still with someone: the desk asks first.
    Carries what the question names, and the booking whose interview a
    confirmation ends (a confirmation for another one does not count)."""

    def __init__(self, message: str, *, booking_id: int, candidate: str, interviewer_id: int, interviewer: str,
                 with_id: int, with_name: str, until: str):
        super().__init__(message)
        self.booking_id, self.candidate = booking_id, candidate
        self.interviewer_id, self.interviewer = interviewer_id, interviewer
        self.with_id, self.with_name, self.until = with_id, with_name, until
