"""Build and write the public holidays and collective leave days of a country and year range.

The dates come from the `holidays` package (pinned in pyproject.toml). For Indonesia it lists the
national public holidays (category `public`) and the collective leave days, cuti bersama, that the
government sets each year by joint ministerial decree (category `government`). Nothing here reads
the clock: the same years, country, language and package version always give the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import duckdb
import holidays

from orchestration.extract.common import transaction

PUBLIC_HOLIDAYS_TABLE = "raw.public_holidays"

PUBLIC_HOLIDAYS_DDL = f"""
create table if not exists {PUBLIC_HOLIDAYS_TABLE} (
    holiday_date date not null,
    holiday_name varchar not null,
    is_collective_leave boolean not null,
    country_code varchar not null,
    source_package varchar not null
)
"""

# The `holidays` category that contains the collective leave days, per country. In Indonesia's
# implementation (holidays 0.108) the `government` category contains exactly the cuti bersama days.
COLLECTIVE_LEAVE_CATEGORIES = {"ID": holidays.GOVERNMENT}


@dataclass(frozen=True)
class PublicHoliday:
    """One day off in a country's calendar, public holiday or collective leave."""

    holiday_date: date
    holiday_name: str
    is_collective_leave: bool
    country_code: str


def build_public_holidays(
    country_code: str, first_year: int, last_year: int, language: str
) -> list[PublicHoliday]:
    """Build the days off of `country_code` from `first_year` to `last_year`, in date order.

    A date that is both a public holiday and a collective leave day counts as a public holiday,
    and its name joins both names. `language` is required because the package otherwise picks the
    language from the process locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), so the same call could
    give English names in one shell and Indonesian in another.

    Raises ValueError when the year range is empty or the package does not know the country.
    """
    if first_year > last_year:
        raise ValueError(
            f"invalid holiday year range {first_year}-{last_year}: first_year must not be after last_year"
        )
    years = range(first_year, last_year + 1)
    try:
        public_days = holidays.country_holidays(
            country_code, years=years, categories=(holidays.PUBLIC,), language=language
        )
    except NotImplementedError as error:
        raise ValueError(
            f"country code {country_code!r} not found in the holidays package {version('holidays')}"
        ) from error

    collective_leave_category = COLLECTIVE_LEAVE_CATEGORIES.get(country_code)
    collective_leave_days = (
        holidays.country_holidays(
            country_code, years=years, categories=(collective_leave_category,), language=language
        )
        if collective_leave_category is not None
        else {}
    )

    all_dates = sorted(set(public_days) | set(collective_leave_days))
    return [
        PublicHoliday(
            holiday_date=holiday_date,
            holiday_name=join_holiday_names(
                public_days.get_list(holiday_date) if holiday_date in public_days else [],
                collective_leave_days.get_list(holiday_date)
                if holiday_date in collective_leave_days
                else [],
            ),
            is_collective_leave=holiday_date not in public_days,
            country_code=country_code,
        )
        for holiday_date in all_dates
    ]


def join_holiday_names(public_names: Sequence[str], collective_leave_names: Sequence[str]) -> str:
    """Join the names of one date, public holidays first, each name once."""
    names = list(dict.fromkeys([*public_names, *collective_leave_names]))
    return "; ".join(names)


def write_public_holidays(
    con: duckdb.DuckDBPyConnection, rows: Sequence[PublicHoliday]
) -> int:
    """Replace every row of raw.public_holidays with `rows`, in one transaction.

    Returns the number of rows written. `source_package` records the package version the dates
    came from, because a newer release can add or move collective leave days.
    """
    source_package = f"holidays=={version('holidays')}"
    with transaction(con):
        con.execute("create schema if not exists raw")
        con.execute(PUBLIC_HOLIDAYS_DDL)
        con.execute(f"delete from {PUBLIC_HOLIDAYS_TABLE}")
        con.executemany(
            f"""
            insert into {PUBLIC_HOLIDAYS_TABLE}
                (holiday_date, holiday_name, is_collective_leave, country_code, source_package)
            values (?, ?, ?, ?, ?)
            """,
            [
                [row.holiday_date, row.holiday_name, row.is_collective_leave, row.country_code, source_package]
                for row in rows
            ],
        )
    return len(rows)
