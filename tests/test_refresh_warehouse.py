"""End to end: `refresh_warehouse` on a small hand-written landing directory.

The landing files under fixtures/landing_small describe one day of a two-agent centre. Every
expected KPI below is worked out by hand from those files; the arithmetic is beside it.

Times: T = 1790820000 = 2026-10-01 02:00:00 UTC = 09:00 WIB (Jakarta) = 10:00 WITA (Makassar).
AGT-001 Budi works in Jakarta (PJSIP/1001, member name "Budi Santoso", Zendesk 9001);
AGT-002 Siti works in Makassar (PJSIP/1002, Zendesk 9002). PJSIP/1999 is not on the roster.

Calls (queue_log):
  1790820000.1   tagihan  0812 3456 7890   Budi answers after 18 s wait, talks 240 s
  1790820100.2   teknis   hangs up after 3 s (short abandon)
  1790820200.3   teknis   hangs up after 40 s (abandon), caller 0822 2222 2222
  1790820000.10  teknis   PJSIP/1999 answers after 8 s, talks 100 s
  1790992800.7   tagihan  +62 812-3456-7890, two days later; Siti answers after 25 s, talks 300 s
  one CONNECT line with holdtime `abc` is rejected
Tickets (Zendesk):
  5001 whatsapp, requester phone +62 822-2222-2222, Budi, created 03:00 UTC, first public reply
       03:15 (900 s), 600 s tracked, rating offered then good in a later page
  5002 email, requester by e-mail only, Siti, created 07:00 UTC, only a private note, 1200 s
       tracked, rating bad, solved with no category and a blank disposition
  5003 voice: Budi's record of a call, not a contact of its own
Surveys: call .1 csat 5 nps 9; call .7 csat 3 nps 4; ticket 5001 nps 10; call .10 csat 4.5 (rejected)
"""

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, ExecuteInProcessResult

LANDING_DIR = Path(__file__).parent / "fixtures" / "landing_small"


def run_refresh(monkeypatch: pytest.MonkeyPatch, warehouse: Path, reports: Path) -> ExecuteInProcessResult:
    monkeypatch.setenv("KINERJA_LANDING_DIR", str(LANDING_DIR))
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("KINERJA_REPORTS_DIR", str(reports))
    # A fresh clone gives the fixture files the clone time as their modification time.
    monkeypatch.setenv("KINERJA_LANDING_SETTLE_SECONDS", "0")
    from orchestration.definitions import build_definitions

    job = build_definitions().resolve_job_def("refresh_warehouse")
    result = job.execute_in_process(instance=DagsterInstance.ephemeral())
    assert result.success
    return result


def read_rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def snapshot_marts(warehouse: Path) -> dict[str, list[tuple]]:
    marts = ("fct_contacts", "agent_daily_kpis", "queue_daily_kpis")
    return {mart: read_rows(warehouse, f"select * from marts.{mart} order by all") for mart in marts}


@pytest.fixture(scope="module")
def refresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExecuteInProcessResult]:
    folder = tmp_path_factory.mktemp("refresh")
    warehouse = folder / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        result = run_refresh(monkeypatch, warehouse, folder / "reports")
    return warehouse, result


@pytest.fixture(scope="module")
def warehouse(refresh) -> Path:
    return refresh[0]


def check_evaluations(result: ExecuteInProcessResult) -> dict[str, dict]:
    """Map each data-quality check's name to whether it passed and its metadata."""
    return {
        evaluation.check_name: {
            "passed": evaluation.passed,
            "metadata": {key: value.value for key, value in evaluation.metadata.items()},
        }
        for evaluation in result.get_asset_check_evaluations()
    }


def test_contacts_one_row_per_call_and_ticket(warehouse):
    rows = read_rows(warehouse, "select contact_id, channel from marts.fct_contacts order by contact_id")
    # 5 calls + tickets 5001 and 5002; 5003 is a voice ticket and the call it records is counted once
    assert rows == [
        ("1790820000.1", "voice"),
        ("1790820000.10", "voice"),
        ("1790820100.2", "voice"),
        ("1790820200.3", "voice"),
        ("1790992800.7", "voice"),
        ("5001", "whatsapp"),
        ("5002", "email"),
    ]


def test_contacts_measures_per_contact(warehouse):
    rows = read_rows(
        warehouse,
        """
        select contact_id, agent_id, started_date::varchar, wait_seconds, handle_seconds,
               first_response_seconds, is_short_abandon, is_first_contact_resolution,
               is_csat_satisfied, nps_score
        from marts.fct_contacts order by contact_id
        """,
    )
    assert rows == [
        # Budi, 09:00 WIB 1 Oct; the same number calls again two days later: not FCR
        ("1790820000.1", "AGT-001", "2026-10-01", 18, 240, None, False, False, True, 9),
        # unknown PJSIP/1999: no agent, default zone's day; nobody calls back: FCR; csat 4.5 rejected
        ("1790820000.10", None, "2026-10-01", 8, 100, None, False, True, None, None),
        # 3 s < 5 s: short abandon, not handled
        ("1790820100.2", None, "2026-10-01", 3, None, None, True, None, None, None),
        # 40 s abandon, not handled
        ("1790820200.3", None, "2026-10-01", 40, None, None, False, None, None, None),
        # Siti, 02:00 UTC 3 Oct = 10:00 WITA 3 Oct; csat 3 < 4
        ("1790992800.7", "AGT-002", "2026-10-03", 25, 300, None, False, True, False, 4),
        # 03:00 -> 03:15 UTC = 900 s; the earlier abandon by the same number is before it: FCR
        ("5001", "AGT-001", "2026-10-01", None, 600, 900, False, True, True, 10),
        # only a private note: no first response; rating bad
        ("5002", "AGT-002", "2026-10-01", None, 1200, None, False, True, False, None),
    ]


def test_agent_daily_kpis_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select agent_id, activity_date::varchar, channel, contacts_handled, aht_seconds, fcr_rate,
               csat_rate, csat_responses, nps, nps_responses, first_response_seconds_avg
        from marts.agent_daily_kpis order by all
        """,
    )
    d = Decimal
    assert rows == [
        # call .1: aht 240 / 1; fcr 0 / 1; csat 1 / 1 (5 >= 4); nps 100 * (1 - 0) / 1
        ("AGT-001", "2026-10-01", "voice", 1, d("240"), d("0"), d("1"), 1, d("100"), 1, None),
        # ticket 5001: aht 600 / 1; fcr 1 / 1; csat good 1 / 1; nps 10 -> 100; first response 900 / 1
        ("AGT-001", "2026-10-01", "whatsapp", 1, d("600"), d("1"), d("1"), 1, d("100"), 1, d("900")),
        # ticket 5002: aht 1200 / 1; fcr 1 / 1; csat bad 0 / 1; no nps; no public reply
        ("AGT-002", "2026-10-01", "email", 1, d("1200"), d("1"), d("0"), 1, None, 0, None),
        # call .7: aht 300 / 1; fcr 1 / 1; csat 3 -> 0 / 1; nps 4 is a detractor: 100 * (0 - 1) / 1
        ("AGT-002", "2026-10-03", "voice", 1, d("300"), d("1"), d("0"), 1, d("-100"), 1, None),
    ]


def test_queue_daily_kpis_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select queue_name, activity_date::varchar, calls_offered, calls_answered, calls_abandoned,
               calls_short_abandoned, abandonment_rate, service_level_rate,
               average_speed_of_answer_seconds
        from marts.queue_daily_kpis order by all
        """,
    )
    d = Decimal
    assert rows == [
        # call .1 answered in 18 s <= 20: abandonment 0 / 1, service level 1 / 1, ASA 18
        ("tagihan", "2026-10-01", 1, 1, 0, 0, d("0"), d("1"), d("18")),
        # call .7 answered in 25 s > 20: service level 0 / 1, ASA 25
        ("tagihan", "2026-10-03", 1, 1, 0, 0, d("0"), d("0"), d("25")),
        # .2 short abandon, .3 abandon, .10 answered in 8 s
        # abandonment 1 / (3 - 1) = 0.5; service level 1 / (1 answered + 1 abandoned) = 0.5; ASA 8
        ("teknis", "2026-10-01", 3, 1, 1, 1, d("0.5"), d("0.5"), d("8")),
    ]


def test_rejected_lines_name_file_and_line(warehouse):
    rows = read_rows(
        warehouse,
        "select source_kind, source_file, source_position, field_name from raw.rejected_records order by all",
    )
    assert rows == [
        ("queue_log", "telephony/queue_log/queue_log", 15, "holdtime"),
        ("surveys", "surveys/surveys-2026-10-03.csv", 4, "score"),
    ]


def test_rerun_leaves_marts_identical(warehouse, tmp_path, monkeypatch):
    before = snapshot_marts(warehouse)
    run_refresh(monkeypatch, warehouse, tmp_path / "reports")
    assert snapshot_marts(warehouse) == before
    (raw_rows,) = read_rows(warehouse, "select count(*) from raw.queue_log")[0:1]
    # 18 lines, one rejected
    assert raw_rows == (17,)


def test_ticket_recording_check_names_ticket(refresh):
    evaluations = check_evaluations(refresh[1])
    tickets = evaluations["tickets_recording"]
    # 5002 is solved with no category and a blank disposition; 5001 and 5003 are complete
    assert tickets["passed"] is False
    assert tickets["metadata"]["sample_failing_ids"] == [5002]


def test_identity_check_names_unknown_identity(refresh):
    identities = check_evaluations(refresh[1])["agent_identities"]
    assert identities["passed"] is False
    assert "PJSIP/1999" in str(identities["metadata"]["sample_failing_values"])


def test_complete_records_pass_their_checks(refresh):
    evaluations = check_evaluations(refresh[1])
    # every handled call has an agent row (1790820000.10 has a null agent_id, so it fails too)
    assert evaluations["calls_recording"]["passed"] is False
    assert evaluations["calls_recording"]["metadata"]["sample_failing_ids"] == ["1790820000.10"]
    # the csat 4.5 was rejected at extract, so every loaded score is on its scale
    assert evaluations["survey_scores"]["passed"] is True
    assert evaluations["roster_complete"]["passed"] is True
