"""A fake clock for tests that check our own arithmetic of time (lock windows, retention, dates).

Tests that prove a runaway render is killed keep real time: what they measure is the wall clock.
Import as ``from fake_clock import FakeClock``; conftest.py's ``clock`` fixture installs one.
"""

from datetime import UTC, date, datetime, timedelta

START = datetime(2026, 3, 5, 9, 30)  # a Thursday morning, naive UTC as models.utcnow gives


class FakeClock:
    """A clock that moves only when the test moves it, read as a datetime, a date or Unix time."""

    def __init__(self, start: datetime = START):
        self.now = start

    def utcnow(self) -> datetime:
        """Return the current instant, naive UTC (as ``models.utcnow``)."""
        return self.now

    def today(self) -> date:
        """Return the current date."""
        return self.now.date()

    def time(self) -> float:
        """Return the current instant in seconds since the epoch (as ``time.time``)."""
        return self.now.replace(tzinfo=UTC).timestamp()

    def advance(self, **delta) -> datetime:
        """Move the clock on by a timedelta's keywords (seconds=..., minutes=...); return now."""
        self.now += timedelta(**delta)
        return self.now

    def date_class(self) -> type[date]:
        """Return a ``date`` class whose ``today()`` reads this clock, to patch over a module's."""
        clock = self

        class FakeDate(date):
            @classmethod
            def today(cls):
                return clock.today()

        return FakeDate
