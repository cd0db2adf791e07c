"""The public holidays and collective leave days written from the holidays package."""

from datetime import date

import duckdb
import pytest

from orchestration.calendar.public_holidays import (
    PublicHoliday,
    build_public_holidays,
    join_holiday_names,
    write_public_holidays,
)


def holidays_by_date(rows: list[PublicHoliday]) -> dict[date, PublicHoliday]:
    return {row.holiday_date: row for row in rows}


def test_collective_leave_flagged_apart():
    rows = holidays_by_date(build_public_holidays("ID", 2026, 2026, "id"))
    # Lunar New Year 2026 is Tuesday 17 February. The government made Monday 16 February
    # collective leave, so the office week loses both days.
    assert rows[date(2026, 2, 16)].is_collective_leave is True
    assert rows[date(2026, 2, 16)].holiday_name == "Cuti Bersama Tahun Baru Imlek"
    assert rows[date(2026, 2, 17)].is_collective_leave is False
    assert rows[date(2026, 2, 17)].holiday_name == "Tahun Baru Imlek"
    assert rows[date(2026, 8, 17)].holiday_name == "Hari Kemerdekaan Republik Indonesia"


def test_rows_stay_inside_year_range():
    rows = build_public_holidays("ID", 2026, 2027, "id")
    years = {row.holiday_date.year for row in rows}
    assert years == {2026, 2027}
    assert [row.holiday_date for row in rows] == sorted(row.holiday_date for row in rows)
    assert all(row.country_code == "ID" for row in rows)


def test_2026_counts_match_package_listing():
    rows = build_public_holidays("ID", 2026, 2026, "id")
    # holidays 0.108 lists 17 public holidays and 8 collective leave days for Indonesia in 2026
    assert sum(not row.is_collective_leave for row in rows) == 17
    assert sum(row.is_collective_leave for row in rows) == 8


def test_names_ignore_process_locale(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en_US")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    rows = holidays_by_date(build_public_holidays("ID", 2026, 2026, "id"))
    assert rows[date(2026, 1, 1)].holiday_name == "Tahun Baru Masehi"


def test_english_names_on_request():
    rows = holidays_by_date(build_public_holidays("ID", 2026, 2026, "en_US"))
    assert rows[date(2026, 8, 17)].holiday_name == "Independence Day"


def test_inverted_year_range_rejected():
    with pytest.raises(ValueError, match="2027-2026"):
        build_public_holidays("ID", 2027, 2026, "id")


def test_unknown_country_rejected():
    with pytest.raises(ValueError, match="'XX' not found"):
        build_public_holidays("XX", 2026, 2026, "id")


def test_shared_date_joins_names():
    assert join_holiday_names(["Hari Raya Natal"], ["Cuti Bersama Hari Raya Natal"]) == (
        "Hari Raya Natal; Cuti Bersama Hari Raya Natal"
    )
    assert join_holiday_names(["Tahun Baru Imlek"], ["Tahun Baru Imlek"]) == "Tahun Baru Imlek"


def test_write_replaces_previous_rows():
    con = duckdb.connect()
    first_written = write_public_holidays(con, build_public_holidays("ID", 2025, 2026, "id"))
    written = write_public_holidays(con, build_public_holidays("ID", 2026, 2026, "id"))

    rows = con.execute(
        "select holiday_date, is_collective_leave, source_package from raw.public_holidays order by 1"
    ).fetchall()
    assert first_written > written
    assert len(rows) == written == 25
    assert {row[0].year for row in rows} == {2026}
    assert rows[0][2] == "holidays==0.108"


def test_rewrite_gives_identical_table():
    con = duckdb.connect()
    query = "select * from raw.public_holidays order by holiday_date"
    write_public_holidays(con, build_public_holidays("ID", 2024, 2027, "id"))
    before = con.execute(query).fetchall()
    write_public_holidays(con, build_public_holidays("ID", 2024, 2027, "id"))
    assert con.execute(query).fetchall() == before
