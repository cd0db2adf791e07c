"""Dagster asset that writes public holidays and collective leave days to raw.public_holidays.

The dates come from `orchestration.calendar.public_holidays`; this module wires that to the
warehouse and reports what it wrote. The dbt business-hours models read the table as source
`raw.public_holidays`, whose default asset key is the key of this asset.
"""

# No `from __future__ import annotations`: Dagster inspects the `context` and `config`
# annotations at definition time and rejects them as strings.
from importlib.metadata import version

from dagster import AssetExecutionContext, Config, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from orchestration.calendar.public_holidays import build_public_holidays, write_public_holidays


class PublicHolidaysConfig(Config):
    """Country, years and name language of the calendar, set in the run config of `refresh_warehouse`.

    The default years cover the exports a centre starting now is likely to load, up to 2027,
    the last year whose collective leave days holidays 0.108 lists (the government announces
    them about a year ahead). Business hours for a ticket outside these years are null, and the
    `is_calendar_covered` test on `int_ticket_business_durations` warns about it.
    """

    first_year: int = 2024
    last_year: int = 2027
    # ISO 3166-1 alpha-2 code. Collective leave days are known for Indonesia (`ID`) only.
    country_code: str = "ID"
    # Holiday names in Bahasa Indonesia, the language of the ops-facing reports.
    language: str = "id"


@asset(
    key=["raw", "public_holidays"],
    group_name="extract",
    kinds={"duckdb"},
    description="Public holidays and collective leave days (cuti bersama) from the holidays package.",
)
def public_holidays(
    context: AssetExecutionContext, config: PublicHolidaysConfig, warehouse: DuckDBResource
) -> MaterializeResult:
    rows = build_public_holidays(
        config.country_code, config.first_year, config.last_year, config.language
    )
    with warehouse.get_connection() as connection:
        written = write_public_holidays(connection, rows)

    collective_leave_count = sum(row.is_collective_leave for row in rows)
    context.log.info(
        f"public_holidays: wrote {written} days off of {config.country_code} for "
        f"{config.first_year}-{config.last_year}, {collective_leave_count} of them collective leave"
    )
    return MaterializeResult(
        metadata={
            "rows_written": written,
            "collective_leave_days": collective_leave_count,
            "years": f"{config.first_year}-{config.last_year}",
            "country_code": config.country_code,
            "holidays_package": MetadataValue.text(version("holidays")),
        }
    )
