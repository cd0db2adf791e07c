"""The operations report: sums per agent and team, order, both languages, settings, CLI.

The mart rows and the rates worked out by hand are in warehouse_fixture.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from orchestration.quality import ops_report

from .warehouse_fixture import build_recording_quality_warehouse

GENERATED_AT = datetime(2026, 10, 8, 0, 30, tzinfo=UTC)
PLACEHOLDERS = ("-", "n/a", "null")


class TableRowParser(HTMLParser):
    """Collect the data attributes of the body rows of each table, by table id."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[dict[str, str]]] = {}
        self._table_id: str | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "table":
            self._table_id = attributes.get("id")
            self.rows[self._table_id or ""] = []
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows[self._table_id or ""].append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False


def parse_rows(html: str) -> dict[str, list[dict[str, str]]]:
    parser = TableRowParser()
    parser.feed(html)
    return parser.rows


@pytest.fixture
def mart_warehouse(tmp_path: Path) -> Path:
    return build_recording_quality_warehouse(tmp_path / "warehouse.duckdb")


@pytest.fixture
def window_rows(mart_warehouse: Path) -> list[ops_report.QualityRow]:
    return ops_report.read_quality_rows(mart_warehouse, window_days=7)


def test_window_ends_on_latest_day(window_rows):
    days = {row.activity_date for row in window_rows}

    # 30 Sep is 7 days before 7 Oct, one day too early.
    assert min(days) == date(2026, 10, 5)
    assert max(days) == date(2026, 10, 7)
    assert "AGT-4" not in {row.agent_id for row in window_rows}


def test_agents_lowest_completeness_first(window_rows):
    lines = ops_report.summarize_agents(window_rows)

    assert [(line.agent_id, line.record_kind) for line in lines] == [
        ("AGT-2", "ticket"),
        ("AGT-3", "lead"),
        ("AGT-1", "ticket"),
    ]
    # Siti: (1 + 1) / (4 + 2); Dewi: 2 / 4; Budi: (9 + 10) / (10 + 10).
    assert [(line.records_complete, line.records_due) for line in lines] == [
        (2, 6),
        (2, 4),
        (19, 20),
    ]
    assert lines[0].completeness_rate == pytest.approx(1 / 3)


def test_agent_line_lists_records_by_day(window_rows):
    siti = ops_report.summarize_agents(window_rows)[0]

    assert siti.records_to_fix == (
        (date(2026, 10, 5), ("7050",)),
        (date(2026, 10, 7), ("7101", "7102", "7103")),
    )
    assert siti.missing_field_names == ("call_id", "category", "resolution_note")
    assert siti.records_incomplete == 4


def test_target_reached_exactly_is_met(window_rows):
    budi = ops_report.summarize_agents(window_rows)[-1]

    # 19 / 20 = 0.95 is the target itself.
    assert budi.is_below_target is False
    assert [line.is_below_target for line in ops_report.summarize_agents(window_rows)] == [
        True,
        True,
        False,
    ]


def test_teams_sum_their_agents(window_rows):
    lines = ops_report.summarize_teams(window_rows)

    # Teknis tickets 2 / 6 (Agus is outside the window), Tagihan leads 2 / 4,
    # Tagihan tickets 19 / 20.
    assert [(line.team, line.record_kind, line.records_complete, line.records_due) for line in lines] == [
        ("Teknis", "ticket", 2, 6),
        ("Tagihan", "lead", 2, 4),
        ("Tagihan", "ticket", 19, 20),
    ]


def test_indonesian_page_reads_as_expected(window_rows):
    html = ops_report.render_report(window_rows, "id", GENERATED_AT, PLACEHOLDERS)

    assert '<html lang="id">' in html
    assert "<h1>Kelengkapan pencatatan</h1>" in html
    assert "Periode: 5 Okt 2026 s.d. 7 Okt 2026" in html
    # 00:30 UTC is 07:30 in Jakarta (UTC+7)
    assert "Dibuat: 2026-10-08 07:30 WIB" in html
    assert "diisi sekadar “-”, “n/a” atau “null” dianggap belum diisi" in html
    # 2 / 6 with a decimal comma.
    assert "33,3%" in html
    assert "Catatan yang perlu dilengkapi" in html
    assert '<time datetime="2026-10-05">5 Okt 2026</time>: 7050' in html
    assert "ID panggilan, kategori, catatan penyelesaian internal" in html
    assert "di bawah target" in html
    assert "Prospek" in html


def test_english_page_reads_as_expected(window_rows):
    html = ops_report.render_report(window_rows, "en", GENERATED_AT, PLACEHOLDERS)

    assert '<html lang="en">' in html
    assert "<h1>Recording completeness</h1>" in html
    assert "Period: 5 Oct 2026 to 7 Oct 2026" in html
    assert "holds just “-”, “n/a” or “null” counts as not filled" in html
    assert "33.3%" in html
    assert "Records to complete" in html
    assert "call id, category, internal resolution note" in html
    assert "below target" in html
    assert "Kelengkapan" not in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_both_languages_keep_order(window_rows, language):
    html = ops_report.render_report(window_rows, language, GENERATED_AT, PLACEHOLDERS)

    rows = parse_rows(html)
    assert [row["data-agent-id"] for row in rows["agents"]] == ["AGT-2", "AGT-3", "AGT-1"]
    assert [row["class"] for row in rows["agents"]] == ["below-target", "below-target", "meets-target"]
    assert [row["data-team"] for row in rows["teams"]] == ["Teknis", "Tagihan", "Tagihan"]


def test_page_escapes_names(window_rows):
    html = ops_report.render_report(window_rows, "id", GENERATED_AT, PLACEHOLDERS)

    assert "Dewi &lt;Lestari&gt; &amp; Co" in html
    assert "Dewi <Lestari>" not in html


def test_empty_mart_says_nothing_due(tmp_path):
    warehouse = build_recording_quality_warehouse(tmp_path / "warehouse.duckdb", include_rows=False)

    summary = ops_report.write_report(warehouse, tmp_path / "reports", "id", 7, GENERATED_AT)

    html = summary.path.read_text(encoding="utf-8")
    assert "Tidak ada catatan yang wajib diisi dalam periode ini." in html
    assert 'id="agents"' not in html
    assert summary.first_day is None
    assert summary.agent_lines == 0


def test_write_report_summarizes_page(mart_warehouse, tmp_path):
    summary = ops_report.write_report(mart_warehouse, tmp_path / "reports", "en", 7, GENERATED_AT)

    assert summary.path == tmp_path / "reports" / "ops_recording_report.html"
    assert summary.path.exists()
    assert (summary.first_day, summary.last_day) == (date(2026, 10, 5), date(2026, 10, 7))
    assert summary.agent_lines == 3
    # Siti and Dewi.
    assert summary.agent_lines_below_target == 2
    # Siti 4, Dewi 2, Budi 1.
    assert summary.records_to_fix == 7


def test_data_docs_link_follows_output(mart_warehouse, tmp_path):
    in_reports = ops_report.write_report(mart_warehouse, tmp_path / "reports", "en", 7, GENERATED_AT)
    elsewhere = ops_report.write_report(
        mart_warehouse, tmp_path / "reports", "en", 7, GENERATED_AT, tmp_path / "out" / "report-en.html"
    )

    assert '<a href="data_docs/index.html">' in in_reports.path.read_text(encoding="utf-8")
    # from tmp/out/ up one folder and into tmp/reports/
    assert '<a href="../reports/data_docs/index.html">' in elsewhere.path.read_text(encoding="utf-8")


def test_missing_warehouse_names_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.duckdb not found"):
        ops_report.write_report(tmp_path / "absent.duckdb", tmp_path, "id", 7)


def test_language_defaults_to_indonesian():
    assert ops_report.report_language({}) == "id"
    assert ops_report.report_language({"KINERJA_REPORT_LANGUAGE": " EN "}) == "en"


def test_unknown_language_is_rejected():
    with pytest.raises(ops_report.ReportSettingError) as error:
        ops_report.report_language({"KINERJA_REPORT_LANGUAGE": "jv"})

    assert str(error.value) == "KINERJA_REPORT_LANGUAGE must be one of id, en, got 'jv'"


def test_window_days_must_be_positive():
    assert ops_report.report_window_days({}) == 7
    assert ops_report.report_window_days({"KINERJA_REPORT_WINDOW_DAYS": "1"}) == 1
    for invalid in ("0", "seven", "-3"):
        with pytest.raises(ops_report.ReportSettingError, match="at least 1"):
            ops_report.report_window_days({"KINERJA_REPORT_WINDOW_DAYS": invalid})


def test_rates_and_days_by_language():
    assert ops_report.format_rate(0.875, "id") == "87,5%"
    assert ops_report.format_rate(0.875, "en") == "87.5%"
    assert ops_report.format_rate(1, "id") == "100%"
    assert ops_report.format_day(date(2026, 8, 17), "id") == "17 Agu 2026"
    assert ops_report.format_day(date(2026, 8, 17), "en") == "17 Aug 2026"


def test_command_writes_chosen_language(mart_warehouse, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(mart_warehouse))
    monkeypatch.setenv("KINERJA_REPORTS_DIR", str(tmp_path / "reports"))
    output = tmp_path / "laporan.html"

    exit_code = ops_report.main(["--language", "en", "--output", str(output)])

    assert exit_code == 0
    assert '<html lang="en">' in output.read_text(encoding="utf-8")
    assert capsys.readouterr().out == f"Recording report (en): {output}\n"


def test_command_explains_bad_language(mart_warehouse, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(mart_warehouse))
    monkeypatch.setenv("KINERJA_REPORT_LANGUAGE", "fr")

    exit_code = ops_report.main([])

    assert exit_code == 1
    assert "KINERJA_REPORT_LANGUAGE must be one of id, en, got 'fr'" in capsys.readouterr().err


def test_generated_time_uses_site_zone():
    # 00:30 UTC is 08:30 in Makassar (UTC+8) and 09:30 in Jayapura (UTC+9)
    assert ops_report.format_generated_at(GENERATED_AT, "Asia/Makassar") == "2026-10-08 08:30 WITA"
    assert ops_report.format_generated_at(GENERATED_AT, "Asia/Jayapura") == "2026-10-08 09:30 WIT"
    assert ops_report.format_generated_at(GENERATED_AT, "Asia/Singapore") == "2026-10-08 08:30 Asia/Singapore"
