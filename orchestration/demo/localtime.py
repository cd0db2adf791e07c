"""Time zones and public holidays of the demo centre, and conversions between local clock times and UTC epoch seconds.

The generator keeps every instant as integer UTC epoch seconds and converts only when it writes
a file. Indonesia has observed no daylight saving time since 1964, so fixed offsets are exact for
both sites and the generator needs no time zone database.

The centre staffs a public holiday or a collective leave day (cuti bersama) like a Sunday, and its
customers call and write as little as on a Sunday.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

CENTRE_TIMEZONE = "Asia/Jakarta"

SITE_OFFSETS = {
    "Asia/Jakarta": timezone(timedelta(hours=7)),
    "Asia/Makassar": timezone(timedelta(hours=8)),
}

# Indonesian public holidays and collective leave days of 2026, as the `holidays` package (0.108,
# categories `public` and `government`) lists them from the government's joint decree. The
# generator stays on the standard library, so the dates are written out here. A test compares
# them with the package where it is installed.
# NOTE: other years have no holidays here, so a period outside 2026 is simulated without any.
PUBLIC_HOLIDAYS = {
    date(2026, 1, 1): "Tahun Baru Masehi",
    date(2026, 1, 16): "Isra Mikraj Nabi Muhammad",
    date(2026, 2, 16): "Cuti Bersama Tahun Baru Imlek",
    date(2026, 2, 17): "Tahun Baru Imlek",
    date(2026, 3, 18): "Cuti Bersama Hari Suci Nyepi",
    date(2026, 3, 19): "Hari Suci Nyepi",
    date(2026, 3, 20): "Cuti Bersama Hari Raya Idul Fitri",
    date(2026, 3, 21): "Hari Raya Idul Fitri",
    date(2026, 3, 22): "Hari kedua dari Hari Raya Idul Fitri",
    date(2026, 3, 23): "Cuti Bersama Hari Raya Idul Fitri",
    date(2026, 3, 24): "Cuti Bersama Hari Raya Idul Fitri",
    date(2026, 4, 3): "Wafat Yesus Kristus",
    date(2026, 4, 5): "Kebangkitan Yesus Kristus",
    date(2026, 5, 1): "Hari Buruh Internasional",
    date(2026, 5, 14): "Kenaikan Yesus Kristus",
    date(2026, 5, 15): "Cuti Bersama Kenaikan Yesus Kristus",
    date(2026, 5, 27): "Hari Raya Idul Adha",
    date(2026, 5, 28): "Cuti Bersama Hari Raya Idul Adha",
    date(2026, 5, 31): "Hari Raya Waisak",
    date(2026, 6, 1): "Hari Lahir Pancasila",
    date(2026, 6, 16): "Tahun Baru Islam",
    date(2026, 8, 17): "Hari Kemerdekaan Republik Indonesia",
    date(2026, 8, 25): "Maulid Nabi Muhammad",
    date(2026, 12, 24): "Cuti Bersama Hari Raya Natal",
    date(2026, 12, 25): "Hari Raya Natal",
}

SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86400


def is_day_off(day: date) -> bool:
    """Return whether the centre runs its weekend service on a day: Saturday, Sunday or a public holiday."""
    return day.weekday() >= 5 or day in PUBLIC_HOLIDAYS


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


def parse_utc_iso(text: str) -> int:
    """Parse a timestamp written by `format_utc_iso` back to UTC epoch seconds."""
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


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
