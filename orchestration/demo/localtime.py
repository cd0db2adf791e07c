"""Time zones of the demo centre and conversions between local clock times and UTC epoch seconds.

The generator keeps every instant as integer UTC epoch seconds and converts only when it writes
a file. Indonesia has observed no daylight saving time since 1964, so fixed offsets are exact for
both sites and the generator needs no time zone database.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

CENTRE_TIMEZONE = "Asia/Jakarta"

SITE_OFFSETS = {
    "Asia/Jakarta": timezone(timedelta(hours=7)),
    "Asia/Makassar": timezone(timedelta(hours=8)),
}

SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86400


def local_epoch(day: date, hour: int, minute: int, site_timezone: str, second: int = 0) -> int:
    """Convert a local clock time on `day` at the site to UTC epoch seconds."""
    local = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SITE_OFFSETS[site_timezone])
    return int(local.timestamp())


def local_datetime(epoch: int, site_timezone: str = CENTRE_TIMEZONE) -> datetime:
    """Convert UTC epoch seconds to an aware datetime in the site's zone."""
    return datetime.fromtimestamp(epoch, tz=SITE_OFFSETS[site_timezone])


def local_date(epoch: int, site_timezone: str = CENTRE_TIMEZONE) -> date:
    """Return the local calendar day of an instant at the site."""
    return local_datetime(epoch, site_timezone).date()


def format_utc_iso(epoch: int) -> str:
    """Format an instant as Zendesk writes timestamps, for example `2026-10-01T02:15:00Z`."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_local_iso(epoch: int, site_timezone: str = CENTRE_TIMEZONE) -> str:
    """Format an instant as ISO 8601 with the site's offset, for example `2026-10-01T09:15:00+07:00`."""
    return local_datetime(epoch, site_timezone).isoformat()


def format_local_clock(epoch: int, site_timezone: str = CENTRE_TIMEZONE) -> str:
    """Format an instant as Asterisk's cdr_csv writes it: local `YYYY-MM-DD HH:MM:SS`, no zone."""
    return local_datetime(epoch, site_timezone).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Period:
    """The generated days: `day_count` local calendar days in Asia/Jakarta from `start_date`."""

    start_date: date
    day_count: int

    @property
    def dates(self) -> list[date]:
        return [self.start_date + timedelta(days=offset) for offset in range(self.day_count)]

    @property
    def last_date(self) -> date:
        return self.start_date + timedelta(days=self.day_count - 1)

    @property
    def start_at(self) -> int:
        """Midnight at the start of the first day, Jakarta time, as UTC epoch seconds."""
        return local_epoch(self.start_date, 0, 0, CENTRE_TIMEZONE)

    @property
    def end_at(self) -> int:
        """Midnight after the last day, Jakarta time: no generated event happens at or after it."""
        return self.start_at + self.day_count * SECONDS_PER_DAY
