"""End to end: `refresh_warehouse` on a small hand-written landing directory.

The landing files under fixtures/landing_small describe one day of a two-agent centre. Every
expected KPI below is worked out by hand from those files; the arithmetic is beside it.

Times: T = 1790820000 = 2026-10-01 02:00:00 UTC = 09:00 WIB (Jakarta) = 10:00 WITA (Makassar).
AGT-001 Budi works in Jakarta (PJSIP/1001, member name "Budi Santoso", Zendesk 9001);
AGT-002 Siti works in Makassar (PJSIP/1002, Zendesk 9002). PJSIP/1999 is not on the roster.

Calls (queue_log):
  1790820000.1   tagihan  0812 3456 7890   Budi answers after 18 s wait, talks 240 s, then wraps
                 up in an ACW pause from T+260 to T+320 (2 s after hanging up): 60 s
  1790820100.2   teknis   hangs up after 3 s (short abandon)
  1790820200.3   teknis   hangs up after 40 s (abandon), caller 0822 2222 2222
  1790820000.10  teknis   PJSIP/1999 answers after 8 s, talks 100 s
  1790821500.12  tagihan  0852 5555 5555 at T+1500; Budi answers after 5 s, talks 120 s and blind-
                 transfers it to teknis (WRAPUPSTART of 30 s), where Siti answers at T+1636 and
                 talks 180 s: two legs, one contact whose agent is Siti
  1790992800.7   tagihan  +62 812-3456-7890, two days later; Siti answers after 25 s, talks 300 s
  one CONNECT line with holdtime `abc` is rejected
Agent sessions (queue_log):
  Budi joins tagihan and teknis at T-100 and leaves both at T+2300: 2400 s logged in, with a break
  (PAUSEALL and one PAUSE per queue, one pause) from T+500 to T+1400: 900 s paused
  Siti joins teknis from T+1200 to T+2400 (1200 s), and tagihan at T+172725 (two days later) without
  leaving before the data ends at T+173125: that session is closed there and flagged
Tickets (Zendesk):
  5001 whatsapp, requester phone +62 822-2222-2222, Budi, created 03:00 UTC, first public reply
       03:15 (900 s), 600 s tracked, rating offered then good in a later page
  5002 email, requester by e-mail only, Siti, created 07:00 UTC, only a private note, 1200 s
       tracked, rating bad, solved with no category and a blank disposition
  5003 voice: Budi's record of a call, not a contact of its own
  5004 whatsapp, requester 7003 (no phone or address), Budi, created Friday 2026-08-14 12:30 UTC
       = 19:30 WIB, after closing on the Friday before Independence Day (Monday 17 August);
       first public reply Tuesday 02:15 UTC = 09:15 WIB, solved 04:00 UTC, closed 20 August;
       300 s tracked; rated good on 19 August, changed to bad on 20 August
  5005 email, requester 7004, Siti, created 01:00 UTC = 09:00 WITA; replies at 01:30 and 03:45,
       solved 02:00, reopened by the customer 03:00, solved again 04:00; 900 s tracked
Business hours (seeds): Tagihan works jakarta_weekdays, Teknis makassar_weekdays, both Monday to
Friday 08:00-17:00 local time, closed on the holidays of the `holidays` package.
Surveys: call .1 csat 5 nps 9; call .7 csat 3 nps 4; ticket 5001 nps 10; call .10 csat 4.5 (rejected)
Outbound calls (CDR, context from-internal, the PBX clock in WIB):
  1790821800.12  Budi  09:30 WIB 1 Oct, NO ANSWER
  1790823600.20  Budi  10:00 WIB 1 Oct, ANSWERED, 180 s billed
  1790825400.21  Siti  10:30 WIB = 11:30 WITA 1 Oct, ANSWERED, 120 s billed
  1790827200.22  Siti  11:00 WIB = 12:00 WITA 1 Oct, BUSY
Leads (crm/leads/leads-2026-10-01.csv):
  L-101  Budi, contacted 10:05 WIB 1 Oct, score 70, blank interest
  L-102  Budi, created 09:00 WIB 29 Sep, won 11:00 WIB 1 Oct, score 90, interest filled
  L-103  Siti, lost 13:00 WITA 30 Sep, no score, interest `n/a`
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
    marts = (
        "fct_contacts",
        "fct_agent_legs",
        "agent_state_intervals",
        "agent_daily_kpis",
        "queue_daily_kpis",
        "sla_compliance",
        "agent_recording_quality",
    )
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
    # 6 calls + tickets 5001, 5002, 5004 and 5005. 5003 is a voice ticket, and the call it
    # records is counted once. The transferred call .12 is one contact.
    assert rows == [
        ("1790820000.1", "voice"),
        ("1790820000.10", "voice"),
        ("1790820100.2", "voice"),
        ("1790820200.3", "voice"),
        ("1790821500.12", "voice"),
        ("1790992800.7", "voice"),
        ("5001", "whatsapp"),
        ("5002", "email"),
        ("5004", "whatsapp"),
        ("5005", "email"),
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
        # Budi, 09:00 WIB 1 Oct; handle 240 talk + 60 wrap-up = 300; the same number calls again
        # two days later: not FCR
        ("1790820000.1", "AGT-001", "2026-10-01", 18, 300, None, False, False, True, 9),
        # unknown PJSIP/1999: no agent, default zone's day; nobody calls back: FCR; csat 4.5 rejected
        ("1790820000.10", None, "2026-10-01", 8, 100, None, False, True, None, None),
        # 3 s < 5 s: short abandon, not handled
        ("1790820100.2", None, "2026-10-01", 3, None, None, True, None, None, None),
        # 40 s abandon, not handled
        ("1790820200.3", None, "2026-10-01", 40, None, None, False, None, None, None),
        # Siti finished it: 02:25 UTC = 10:25 WITA 1 Oct; handle (120 + 30) + (180 + 0) = 330;
        # nobody else calls from 0852 5555 5555: FCR
        ("1790821500.12", "AGT-002", "2026-10-01", 5, 330, None, False, True, None, None),
        # Siti, 02:00 UTC 3 Oct = 10:00 WITA 3 Oct; csat 3 < 4
        ("1790992800.7", "AGT-002", "2026-10-03", 25, 300, None, False, True, False, 4),
        # 03:00 -> 03:15 UTC = 900 s; the earlier abandon by the same number is before it: FCR
        ("5001", "AGT-001", "2026-10-01", None, 600, 900, False, True, True, 10),
        # only a private note: no first response; rating bad
        ("5002", "AGT-002", "2026-10-01", None, 1200, None, False, True, False, None),
        # 19:30 WIB Friday 14 Aug; 12:30 -> Tuesday 02:15 UTC = 3 days 13 h 45 min = 308700 s;
        # solved, never reopened, no other ticket of requester 7003: FCR; rating good then bad: bad
        ("5004", "AGT-001", "2026-08-14", None, 300, 308700, False, True, False, None),
        # 01:00 -> 01:30 UTC = 1800 s; reopened: not FCR; unoffered: no CSAT response
        ("5005", "AGT-002", "2026-10-01", None, 900, 1800, False, False, None, None),
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
        # ticket 5004: aht 300 / 1; fcr 1 / 1; csat bad 0 / 1; no nps; first response 308700 / 1
        ("AGT-001", "2026-08-14", "whatsapp", 1, d("300"), d("1"), d("0"), 1, None, 0, d("308700")),
        # Budi's own legs of .1 (240 + 60) and .12 (120 + 30): aht (300 + 150) / 2 = 225
        # outcomes of .1 only, the contact he finished: fcr 0 / 1; csat 1 / 1 (5 >= 4); nps 100 * (1 - 0) / 1
        ("AGT-001", "2026-10-01", "voice", 2, d("225"), d("0"), d("1"), 1, d("100"), 1, None),
        # ticket 5001: aht 600 / 1; fcr 1 / 1; csat good 1 / 1; nps 10 -> 100; first response 900 / 1
        ("AGT-001", "2026-10-01", "whatsapp", 1, d("600"), d("1"), d("1"), 1, d("100"), 1, d("900")),
        # tickets 5002 and 5005: aht (1200 + 900) / 2 = 1050; fcr 5002 yes, 5005 reopened: 1 / 2;
        # csat 5002 bad 0 / 1 (5005 unoffered); no nps; first response only 5005: 1800 / 1
        ("AGT-002", "2026-10-01", "email", 2, d("1050"), d("0.5"), d("0"), 1, None, 0, d("1800")),
        # Siti's leg of .12 (connected 02:27 UTC = 10:27 WITA): aht 180 / 1; she finished it:
        # fcr 1 / 1; no survey
        ("AGT-002", "2026-10-01", "voice", 1, d("180"), d("1"), None, 0, None, 0, None),
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
        # calls .1 (18 s) and .12 (5 s) answered within 20 s: abandonment 0 / 2, service level
        # 2 / 2, ASA (18 + 5) / 2 = 11.5; .12's transfer into teknis is no new offer there
        ("tagihan", "2026-10-01", 2, 2, 0, 0, d("0"), d("1"), d("11.5")),
        # call .7 answered in 25 s > 20: service level 0 / 1, ASA 25
        ("tagihan", "2026-10-03", 1, 1, 0, 0, d("0"), d("0"), d("25")),
        # .2 short abandon, .3 abandon, .10 answered in 8 s
        # abandonment 1 / (3 - 1) = 0.5; service level 1 / (1 answered + 1 abandoned) = 0.5; ASA 8
        ("teknis", "2026-10-01", 3, 1, 1, 1, d("0.5"), d("0.5"), d("8")),
    ]


def test_agent_legs_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select leg_id, agent_id, wait_seconds, talk_seconds, after_call_work_seconds,
               handle_seconds, end_reason
        from marts.fct_agent_legs order by leg_id
        """,
    )
    assert rows == [
        # ACW pause 2 s after hanging up, T+260 to T+320: 60 s
        ("1790820000.1#1", "AGT-001", 18, 240, 60, 300, "completeagent"),
        ("1790820000.10#1", None, 8, 100, 0, 100, "completeagent"),
        # WRAPUPSTART of 30 s at the transfer
        ("1790821500.12#1", "AGT-001", 5, 120, 30, 150, "blindtransfer"),
        # 10 s in teknis after the transfer
        ("1790821500.12#2", "AGT-002", 10, 180, 0, 180, "completecaller"),
        ("1790992800.7#1", "AGT-002", 25, 300, 0, 300, "completecaller"),
    ]


def test_agent_states_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select agent_id, activity_date::varchar, ring_no_answer_count, logged_in_seconds,
               paused_seconds, available_seconds, on_contact_seconds, after_call_work_seconds,
               occupancy_rate, contacts_per_logged_in_hour
        from marts.agent_daily_kpis where channel = 'voice' order by all
        """,
    )
    d = Decimal
    assert rows == [
        # Budi, T-100 to T+2300 = 2400 s: on contact 240 + 120 = 360, wrap-up 60 + 30 = 90,
        # paused 900, available 2400 - 360 - 90 - 900 = 1050
        # occupancy (360 + 90) / (360 + 90 + 1050) = 0.3; 2 contacts * 3600 / 2400 = 3 per hour
        ("AGT-001", "2026-10-01", 0, 2400, 900, 1050, 360, 90, d("0.3"), d("3")),
        # Siti, T+1200 to T+2400 = 1200 s, on .12 for 180 s; rang out on .1 at T+15
        # occupancy 180 / (180 + 1020) = 0.15; 1 * 3600 / 1200 = 3 per hour
        ("AGT-002", "2026-10-01", 1, 1200, 0, 1020, 180, 0, d("0.15"), d("3")),
        # Siti, T+172725 to the data end T+173125 = 400 s, on .7 for 300 s
        # occupancy 300 / 400 = 0.75; 1 * 3600 / 400 = 9 per hour
        ("AGT-002", "2026-10-03", 0, 400, 0, 100, 300, 0, d("0.75"), d("9")),
    ]


def test_pause_in_two_queues_counts_once(warehouse):
    rows = read_rows(
        warehouse,
        """
        select agent_id, pause_reason, duration_seconds
        from marts.agent_state_intervals where agent_state = 'paused'
        """,
    )
    # PAUSEALL and a PAUSE in tagihan and in teknis at T+500, unpaused at T+1400: one 900 s pause
    assert rows == [("AGT-001", "Istirahat", 900)]


def test_open_session_is_flagged(warehouse):
    rows = read_rows(
        warehouse,
        """
        select agent_id, agent_state, activity_date::varchar, duration_seconds
        from marts.agent_state_intervals where is_closed_at_data_end
        """,
    )
    # Siti never left tagihan: her last stretch ends at the last event, T+173125, and is flagged
    assert rows == [("AGT-002", "on_contact", "2026-10-03", 300)]


def test_rejected_lines_name_file_and_line(warehouse):
    rows = read_rows(
        warehouse,
        "select source_kind, source_file, source_position, field_name from raw.rejected_records order by all",
    )
    assert rows == [
        ("queue_log", "telephony/queue_log/queue_log", 22, "holdtime"),
        ("surveys", "surveys/surveys-2026-10-03.csv", 4, "score"),
    ]


def test_rerun_leaves_marts_identical(warehouse, tmp_path, monkeypatch):
    before = snapshot_marts(warehouse)
    run_refresh(monkeypatch, warehouse, tmp_path / "reports")
    assert snapshot_marts(warehouse) == before
    (raw_rows,) = read_rows(warehouse, "select count(*) from raw.queue_log")[0:1]
    # 40 lines, one rejected
    assert raw_rows == (39,)


def test_ticket_recording_check_names_ticket(refresh):
    evaluations = check_evaluations(refresh[1])
    tickets = evaluations["tickets_recording"]
    # 5002 is solved with no category and a blank disposition; voice ticket 5003 has neither a
    # call id nor a private note after its opening comment; 5004 and 5005 have category and
    # disposition but only public comments, so no resolution note; 5001 has all (its private
    # note is comment 2)
    assert tickets["passed"] is False
    assert tickets["metadata"]["sample_failing_ids"] == [5002, 5003, 5004, 5005]
    # all five tickets end solved or closed: 1 of 5 complete, below the 0.95 target
    assert tickets["metadata"]["records_due"] == 5
    assert tickets["metadata"]["completeness_rate"] == 1 / 5


def test_recording_quality_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select agent_id, activity_date::varchar, record_kind, records_due, records_complete,
               completeness_rate, is_below_target, incomplete_record_ids, missing_field_names
        from marts.agent_recording_quality order by all
        """,
    )
    d = Decimal
    assert rows == [
        # Budi: 5004 (12:30 UTC = 19:30 WIB on 14 Aug) has no resolution note: 0 / 1
        ("AGT-001", "2026-08-14", "ticket", 1, 0, d("0"), True, "5004", "resolution_note"),
        # Budi's call .20 connected at 10:00 WIB on 1 Oct, so L-101 (10:05) and L-102 (11:00),
        # changed that day, are due; L-101 has a blank interest: 1 / 2. L-103 is not due: Siti
        # changed it on 30 Sep (WITA), and her only connected call is on 1 Oct.
        ("AGT-001", "2026-10-01", "lead", 2, 1, d("0.5"), True, "L-101", "interest"),
        # Budi: 5001 (10:00 WIB) is complete. 5003 (11:00 WIB) lacks call id and note: 1 / 2
        ("AGT-001", "2026-10-01", "ticket", 2, 1, d("0.5"), True, "5003", "call_id, resolution_note"),
        # Siti: 5002 (15:00 WITA) lacks category and disposition, though its private note counts;
        # 5005 (09:00 WITA) lacks a resolution note: 0 / 2
        (
            "AGT-002", "2026-10-01", "ticket", 2, 0, d("0"), True, "5002, 5005",
            "category, disposition, resolution_note",
        ),
    ]


def test_ops_report_lists_lowest_first(refresh):
    materializations = {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in refresh[1].get_asset_materialization_events()
    }
    metadata = materializations["reports/ops_recording_report"]
    html = Path(metadata["path"].value).read_text(encoding="utf-8")
    # the last 7 local days of data end on 1 Oct, so 14 Aug is outside the window.
    # Indonesian by default; Siti (tickets 0 / 2 = 0 %) before Budi (tickets 1 / 2 and
    # leads 1 / 2, 50 % each)
    assert '<html lang="id">' in html
    assert html.index('data-agent-id="AGT-002"') < html.index('data-agent-id="AGT-001"')
    assert "L-101" in html
    # tickets 5002, 5003 and 5005, and lead L-101
    assert metadata["records_to_fix"].value == 4


def test_lead_recording_check_names_lead(refresh):
    leads = check_evaluations(refresh[1])["leads_recording"]
    # one record per lead and worked day: L-101 and L-102 on 1 Oct, L-103 on 30 Sep; due are
    # L-101 and L-102 (see test_recording_quality_by_hand), and L-101 misses its interest:
    # 1 / 2 = 0.5, below the 0.95 target
    assert leads["passed"] is False
    assert leads["metadata"]["sample_failing_ids"] == ["L-101"]
    assert leads["metadata"]["records_due"] == 2
    assert leads["metadata"]["completeness_rate"] == 1 / 2


def test_agent_daily_recording_includes_leads(warehouse):
    rows = read_rows(
        warehouse,
        """
        select recording.agent_id, recording.activity_date::varchar, recording.channel,
               recording.records_due, recording.records_complete,
               kpis.recording_completeness_rate
        from intermediate.int_agent_daily_recording as recording
        inner join marts.agent_daily_kpis as kpis
            using (agent_id, activity_date, channel)
        order by all
        """,
    )
    d = Decimal
    assert rows == [
        # 5004 without a note: 0 / 1
        ("AGT-001", "2026-08-14", "whatsapp", 1, 0, d("0")),
        # voice ticket 5003 (incomplete) and leads L-101 (incomplete) and L-102: 1 / 3
        ("AGT-001", "2026-10-01", "voice", 3, 1, d("0.333333")),
        # 5001 complete: 1 / 1
        ("AGT-001", "2026-10-01", "whatsapp", 1, 1, d("1")),
        # 5002 and 5005: 0 / 2
        ("AGT-002", "2026-10-01", "email", 2, 0, d("0")),
    ]


def test_telesales_kpis_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select agent_id, activity_date::varchar, calls_dialled, calls_connected, leads_worked,
               leads_won, leads_closed, conversion_rate, sales_cycle_days_median
        from marts.telesales_daily_kpis order by all
        """,
    )
    d = Decimal
    assert rows == [
        # calls .12 (no answer) and .20 (answered): 2 dialled, 1 connected; L-101 and L-102
        # changed: 2 worked; L-102 won, nothing lost: 1 / 1 = 1; cycle 09:00 WIB 29 Sep to
        # 11:00 WIB 1 Oct = 50 h = 180000 s / 86400 = 2.083333 days
        ("AGT-001", "2026-10-01", 2, 1, 2, 1, 1, d("1"), d("2.083333")),
        # L-103 changed and lost at 13:00 WITA on 30 Sep: 0 won / 1 closed = 0; no cycle
        ("AGT-002", "2026-09-30", 0, 0, 1, 0, 1, d("0"), None),
        # calls .21 (answered, 11:30 WITA) and .22 (busy, 12:00 WITA); nothing closed: no rate
        ("AGT-002", "2026-10-01", 2, 1, 0, 0, 0, None, None),
    ]


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


def test_ticket_durations_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select contact_id, first_response_seconds, first_response_business_minutes,
               resolution_seconds, resolution_business_minutes, reopen_count, is_one_touch_resolution
        from marts.fct_contacts where source_system = 'zendesk' order by contact_id
        """,
    )
    d = Decimal
    assert rows == [
        # 10:00 -> 10:15 WIB Thursday, all in opening hours: 15 min; solved 05:00 UTC = 12:00 WIB:
        # 2 h = 7200 s, 120 business min; one public reply, never reopened: one-touch
        ("5001", 900, d("15"), 7200, d("120"), 0, True),
        # no public agent reply: no first response; 15:00 -> 17:00 WITA (closing) = 120 min
        ("5002", None, None, 7200, d("120"), 0, False),
        # Friday 19:30 WIB is after closing, Saturday and Sunday are closed, Monday 17 August is
        # Independence Day: the clock starts Tuesday 08:00 WIB. First reply 09:15 WIB = 75 min;
        # solved 11:00 WIB = 180 min. Calendar: 12:30 Fri -> 04:00 Tue UTC = 87 h 30 min = 315000 s
        ("5004", 308700, d("75"), 315000, d("180"), 0, True),
        # 09:00 -> 09:30 WITA = 30 min; last solve 04:00 UTC = 12:00 WITA: 3 h = 10800 s, 180 min;
        # solved, reopened, solved: one reopen, so no one-touch
        ("5005", 1800, d("30"), 10800, d("180"), 1, False),
    ]


def test_sla_compliance_by_hand(warehouse):
    rows = read_rows(
        warehouse,
        """
        select ticket_id, sla_metric, priority, target_business_minutes, actual_business_minutes,
               sla_status, is_breached
        from marts.sla_compliance order by ticket_id, sla_metric
        """,
    )
    d = Decimal
    # targets from the sla_targets seed: whatsapp normal 15 / 960, email high 120 / 960,
    # email normal 240 / 1440 business minutes; the voice ticket 5003 has no target
    assert rows == [
        (5001, "first_response", "normal", 15, d("15"), "met", False),
        (5001, "resolution", "normal", 960, d("120"), "met", False),
        # solved after 120 business minutes without a public reply: the first response clock
        # stopped at the solve, within the 120 min target, so the metric is not due
        (5002, "first_response", "high", 120, None, "solved_without_reply", None),
        (5002, "resolution", "high", 960, d("120"), "met", False),
        # 75 > 15 business minutes
        (5004, "first_response", "normal", 15, d("75"), "breached", True),
        (5004, "resolution", "normal", 960, d("180"), "met", False),
        (5005, "first_response", "normal", 240, d("30"), "met", False),
        (5005, "resolution", "normal", 1440, d("180"), "met", False),
    ]


def test_public_holidays_from_package(warehouse):
    rows = read_rows(
        warehouse,
        """
        select holiday_date::varchar, holiday_name, is_collective_leave
        from raw.public_holidays
        where holiday_date in ('2026-02-16', '2026-02-17', '2026-08-17')
        order by holiday_date
        """,
    )
    assert rows == [
        ("2026-02-16", "Cuti Bersama Tahun Baru Imlek", True),
        ("2026-02-17", "Tahun Baru Imlek", False),
        ("2026-08-17", "Hari Kemerdekaan Republik Indonesia", False),
    ]


def test_agent_daily_sla_counts(warehouse):
    rows = read_rows(
        warehouse,
        """
        select agent_id, activity_date::varchar, channel, sla_metrics_due, sla_metrics_met
        from intermediate.int_agent_daily_sla order by all
        """,
    )
    assert rows == [
        # 5004: first response breached, resolution met
        ("AGT-001", "2026-08-14", "whatsapp", 2, 1),
        # 5001: both met
        ("AGT-001", "2026-10-01", "whatsapp", 2, 2),
        # 5002 resolution and both metrics of 5005 met; 5002's first response is not due
        ("AGT-002", "2026-10-01", "email", 3, 3),
    ]
