"""Several users at the same moment: threads released together by a barrier,
each in its own application context (its own database session), as two
requests or two workers would be."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def at_once(app, count: int, action: Callable[[int], Any], *, before: Callable[[int], Any] | None = None,
            timeout: float = 60) -> list[Any]:
    """Runs `action(n)` (or `action(n, prepared)` with `before`, which runs in
    the thread before the barrier) in `count` threads at once. A thread's
    session is committed after its action, or rolled back when the action
    raises; the results come back in the order the threads finished, an
    exception as its result."""
    from recruit.extensions import db

    barrier = threading.Barrier(count)
    results: list[Any] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        with app.app_context():
            try:
                prepared = before(n) if before else None
                barrier.wait()
                result = action(n, prepared) if before else action(n)
                db.session.commit()
            except Exception as exc:  # the caller asserts on it
                db.session.rollback()
                result = exc
            finally:
                db.session.remove()
            with lock:
                results.append(result)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    return results
