"""Write a deterministic demo landing directory for kinerja: one fictional Indonesian contact centre.

    python -m orchestration.demo.generate --landing-dir data/landing [--seed 7] [--days 30]
        [--start-date 2026-08-01] [--delivered-days N] [--force]

The same seed, day count and start date give byte-identical files: every random draw comes from
`random.Random` objects seeded from the seed and a part name, nothing reads the clock, and
everything is iterated in a fixed order. Only the standard library is used.

The files are laid out as nightly collection delivers them. Each source active on a day has its
own file for that day: a rotated queue_log and cdr_csv file, a Connect file, a lead export, a
survey file, and the pages of the Zendesk export run at 01:00 after the day. Each ticket has one List Comments file, rewritten
when the ticket gets a comment. `--delivered-days N` writes what had arrived after N days of the
same simulation. Delivering N days and then N + 1 into the same folder with `--force` therefore
adds one day of files the way production does, for trying incremental loads.

The centre, PT Contoh Layanan Nusantara, sells home internet as ContohNet. Its 49 agents work in
four teams: Layanan Umum, Tagihan and Digital in Jakarta (WIB) and Teknis in Makassar (WITA), on
an Asterisk PBX and Zendesk; four Layanan Umum agents do telesales, and five more answer the
Bali hotline on Amazon Connect from Denpasar (WITA). The default period, 2026-08-01 to 2026-08-30,
holds Independence Day (Monday 2026-08-17) and the Prophet's Birthday (Tuesday 2026-08-25); the
centre runs its weekend service on them. With seed 7 and 30 days, the three voice queues take
about 700 calls a day: about 450 on weekend days and holidays and about 1,200 on the outage day.
The Digital team handles about 150 WhatsApp, chat, web and e-mail tickets a day (100 to 220),
written in Bahasa Indonesia. Day 12 of the period has a fibre cut that quadruples `teknis` calls from 09:00
to 14:00 and adds 50 tickets.

What each source contains is described in its module:
- `calls` and `asterisk_files`: queue_log and Master.csv. Transfers of every kind (TRANSFER
  until the upgrade from Asterisk 11 to 16 at the first Monday restart, then BLINDTRANSFER and
  ATTENDEDTRANSFER BRIDGE, APP and LINK, some without the next agent's CONNECT), chains of three
  agents, overflow from `tagihan` to `layanan-umum`, WITHDRAW, after-call work as per-queue
  `ACW` pauses or as WRAPUPSTART (Teknis), breaks as PAUSE or PAUSEALL (Tagihan), agents in up to
  three queues, a Teknis night shift across local midnight whose last session is still open when
  the data ends, ring-all `teknis` calls with one ANSWERED and several NO ANSWER records per
  linkedid, and the telesales calls repeated in the account file `sales-YYYYMMDD.csv`.
- `amazon_connect`: contact records one per line, with transfers, abandons, hold, after-contact
  work, duplicate deliveries and updated versions.
- `telesales`: nightly lead exports tied to the telesales agents' outbound calls, with gaps in
  the recorded interest and score.
- `tickets` and `zendesk_files`: nightly incremental exports, voice tickets carrying the call id
  (or not), internal resolution notes (or not), reopened tickets, tickets with only private
  notes, placeholder field values, priorities on every ticket, and personal data in texts.

Besides the deliberately malformed records listed in `imperfections`, the files carry the
real-world quirks a warehouse has to handle:
- queue_log names some agents by interface (`PJSIP/1001`) on some days and by member name on
  others. `PJSIP/1999`, a temporary agent on days 2 and 10, is missing from the roster.
- Caller ids arrive as `0812...`, `62812...` or `+62812...`, or are anonymous or empty. Zendesk
  users write the same numbers as `+62 812-3456-7890`, `0812-3456-7890` or `0812 3456 7890`.
- Every inbound call is ANSWERED in the caller's own Master.csv record because the IVR answers
  it, even when the caller abandons in the queue. The records of the two calls before the first
  Asterisk start of the period have only the 16 standard columns, without uniqueid, because
  cdr.conf enabled `loguniqueid`, `loguserfield` and `newcdrcolumns` at that start.
- Tickets reappear in later export pages after each update, and each nightly run starts with
  the last ticket of the run before, because its start time is inclusive.
- Some agents have two Zendesk user ids. Some solved tickets have no category or a blank
  disposition, and the Time Tracking fields are null on about 15% of tickets.
- Survey responses arrive up to five days after the contact, in the file of their arrival day.
"""

import argparse
import csv
import io
import json
import random
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from orchestration.demo import asterisk_files, imperfections, zendesk_files
from orchestration.demo.amazon_connect import build_amazon_connect_files, connect_file_name
from orchestration.demo.calls import simulate_telephony
from orchestration.demo.centre import build_agents, roster_row
from orchestration.demo.localtime import SECONDS_PER_DAY, Period
from orchestration.demo.people import CustomerPool
from orchestration.demo.schedule import plan_agent_days
from orchestration.demo.surveys import SURVEY_HEADER, group_by_arrival_date, plan_surveys, survey_file_name
from orchestration.demo.telesales import LEAD_HEADER, lead_file_name, plan_telesales
from orchestration.demo.tickets import plan_helpdesk

DEFAULT_SEED = 7
DEFAULT_DAY_COUNT = 30
# The period covers Friday 2026-08-14 and Independence Day, Monday 2026-08-17, so tickets written
# on a Friday evening wait through a long weekend for the next business day.
DEFAULT_START_DATE = date(2026, 8, 1)
# 0-based days of the period on which the temporary agent PJSIP/1999 works.
TEMP_AGENT_DAY_INDEXES = (1, 9)
# Folders this generator writes. --force replaces only these.
GENERATED_FOLDERS = ("roster", "telephony", "crm", "surveys")
ROSTER_HEADER = ("agent_id", "full_name", "team", "site_timezone", "hire_date", "telephony_ids", "crm_user_ids")


class LandingDirectoryNotEmptyError(Exception):
    """Raised when the landing directory has files and `force` was not given."""


@dataclass(frozen=True)
class GenerationSummary:
    """File and record counts of one run, per file kind.

    `ticket_record_count` counts tickets over all export pages, so a ticket exported by two runs
    counts twice. `ticket_count` counts distinct tickets. `queue_call_count` counts inbound
    Asterisk contacts, however many queues each passed through. `amazon_connect_line_count`
    counts delivered lines, duplicates and earlier versions included, and `lead_line_count` the
    lines of all nightly lead exports, where `lead_count` counts distinct leads.
    `malformed_record_count` is the number of deliberately malformed lines and records (see
    `imperfections`).
    """

    agent_count: int
    queue_log_file_count: int
    queue_log_line_count: int
    queue_call_count: int
    cdr_row_count: int
    cdr_account_file_count: int
    telesales_call_count: int
    amazon_connect_file_count: int
    amazon_connect_line_count: int
    lead_file_count: int
    lead_line_count: int
    lead_count: int
    user_page_count: int
    user_count: int
    ticket_page_count: int
    ticket_count: int
    ticket_record_count: int
    comment_file_count: int
    comment_count: int
    survey_file_count: int
    survey_response_count: int
    malformed_record_count: int


def describe_folders() -> str:
    return ", ".join(GENERATED_FOLDERS[:-1]) + " and " + GENERATED_FOLDERS[-1]


def check_landing_dir(landing_dir: Path, force: bool) -> None:
    """Raise when the landing directory is a file, or has files and `force` is not set."""
    if landing_dir.exists() and not landing_dir.is_dir():
        raise NotADirectoryError(f"landing directory {landing_dir} is a file, not a directory; pass a directory path")
    if landing_dir.is_dir() and any(landing_dir.iterdir()) and not force:
        raise LandingDirectoryNotEmptyError(
            f"landing directory {landing_dir} is not empty; pass --force to replace its "
            f"{describe_folders()} folders, or choose an empty directory"
        )


def sync_landing_files(landing_dir: Path, files: dict[str, bytes]) -> None:
    """Make the generated folders hold exactly `files` (relative path to content).

    A file whose content is already there is left untouched, so its modification time stays, and
    a file in a generated folder that is not in `files` is removed. Writing a later delivery of the
    same simulation into a directory therefore adds and rewrites only what that delivery changed,
    as a nightly copy would.
    """
    for folder in GENERATED_FOLDERS:
        for path in sorted((landing_dir / folder).rglob("*")) if (landing_dir / folder).is_dir() else []:
            if path.is_file() and path.relative_to(landing_dir).as_posix() not in files:
                path.unlink()
    for relative_path, content in sorted(files.items()):
        path = landing_dir / relative_path
        if path.is_file() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def json_bytes(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def lines_bytes(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def csv_bytes(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def generate_landing(
    landing_dir: Path,
    seed: int = DEFAULT_SEED,
    days: int = DEFAULT_DAY_COUNT,
    start_date: date = DEFAULT_START_DATE,
    force: bool = False,
    delivered_days: int | None = None,
) -> GenerationSummary:
    """Simulate the centre for `days` days from `start_date` and write every landing file kind.

    `delivered_days` (default: all) writes the landing folder as it was after the export jobs of
    that many days had run. Each delivered day has one file per source active that day, and the
    Zendesk comment files are as the last of those jobs wrote them. The simulation does not depend on the number,
    so delivering one more day into the same folder adds that day's files and leaves the earlier
    ones as they were.
    """
    if days < 1:
        raise ValueError(f"invalid days {days}: pass a number of days from 1")
    delivered_days = days if delivered_days is None else delivered_days
    if not 1 <= delivered_days <= days:
        raise ValueError(f"invalid delivered days {delivered_days}: pass a number from 1 to the {days} simulated days")
    check_landing_dir(landing_dir, force)

    def part_rng(part: str) -> random.Random:
        return random.Random(f"{seed}:{part}")

    period = Period(start_date, days)
    last_delivered_date = period.dates[delivered_days - 1]
    delivered_until = period.start_at + delivered_days * SECONDS_PER_DAY
    export_runs = zendesk_files.export_run_times(period)[:delivered_days]
    exported_at = export_runs[-1]

    agents = build_agents(part_rng("roster"), period)
    temp_agent_days = [period.dates[index] for index in TEMP_AGENT_DAY_INDEXES if index < days]
    agent_days = plan_agent_days(part_rng("schedule"), agents, period.dates, temp_agent_days)
    customers = CustomerPool(part_rng("customers"))
    restarts = asterisk_files.restart_times(period.dates)
    telephony = simulate_telephony(part_rng("calls"), customers, agent_days, period.dates, asterisk_files.upgrade_time(restarts))
    helpdesk = plan_helpdesk(part_rng("tickets"), period, customers, agent_days, telephony.queue_calls)
    telesales = plan_telesales(part_rng("telesales"), agents, agent_days, customers, period)
    connect_days = build_amazon_connect_files(part_rng("amazon-connect"), agents, customers, period)

    extra_outbound = helpdesk.phone_followups + telesales.calls
    logins = asterisk_files.login_channels(agent_days)
    asterisk_files.number_channels(asterisk_files.all_channels(telephony, extra_outbound, logins), restarts)
    queue_log_days = asterisk_files.split_queue_log_by_day(asterisk_files.build_queue_log_lines(telephony, logins, restarts, period.end_at))
    cdr_files = asterisk_files.split_cdr_by_day(asterisk_files.build_cdr_rows(telephony, extra_outbound, restarts, period.end_at))

    zendesk_ids = zendesk_files.assign_ids(part_rng("zendesk-ids"), helpdesk)
    users_by_run = [
        zendesk_files.agent_users(agents, period, run_at) + zendesk_files.end_users(part_rng("zendesk-users"), helpdesk, zendesk_ids, run_at)
        for run_at in export_runs
    ]
    user_pages = [page for run_pages in zendesk_files.build_user_export_pages(users_by_run) for page in run_pages]
    ticket_runs = zendesk_files.build_export_pages(helpdesk.tickets, zendesk_ids, period, export_runs)
    exported_tickets = [ticket for ticket in helpdesk.tickets if ticket.created_at <= exported_at]

    responses = plan_surveys(part_rng("surveys"), period, telephony.queue_calls, helpdesk.tickets)

    # The flaws are drawn from the whole simulation, so a later delivery keeps them where they were.
    queue_log_files = {asterisk_files.queue_log_file_name(day): lines for day, lines in sorted(queue_log_days.items())}
    cut_queue_log_file = min(queue_log_files, default=None)
    defects_rng = part_rng("imperfections")
    spoiled_lines = imperfections.spoil_hold_times(defects_rng, queue_log_files, cut_queue_log_file)
    spoiled_scores = imperfections.spoil_survey_scores(defects_rng, responses)
    spoiled_lead = imperfections.spoil_lead_score(defects_rng, telesales.lead_files, LEAD_HEADER.index("lead_score"))

    files: dict[str, bytes] = {}
    files["roster/agents.csv"] = csv_bytes(ROSTER_HEADER, [tuple(roster_row(agent).values()) for agent in agents])

    queue_log_line_count = 0
    for file_name, lines in queue_log_files.items():
        if file_name > asterisk_files.queue_log_file_name(last_delivered_date):
            continue
        if file_name == cut_queue_log_file:
            files[f"telephony/queue_log/{file_name}"] = imperfections.truncate_last_line(lines).encode("utf-8")
        else:
            files[f"telephony/queue_log/{file_name}"] = lines_bytes(lines)
        queue_log_line_count += len(lines)

    cut_cdr_day = min(cdr_files.get(asterisk_files.MASTER_CDR_STEM, {}), default=None)
    cut_cdr_file = asterisk_files.cdr_file_name(asterisk_files.MASTER_CDR_STEM, cut_cdr_day) if cut_cdr_day else None
    cdr_row_count = 0
    for stem, rows_by_day in sorted(cdr_files.items()):
        for day, rows in sorted(rows_by_day.items()):
            if day > last_delivered_date:
                continue
            file_name = asterisk_files.cdr_file_name(stem, day)
            if file_name == cut_cdr_file:
                files[f"telephony/cdr/{file_name}"] = imperfections.cut_last_cdr_record(rows).encode("utf-8")
            else:
                files[f"telephony/cdr/{file_name}"] = lines_bytes([asterisk_files.format_cdr_line(row.fields) for row in rows])
            if stem == asterisk_files.MASTER_CDR_STEM:
                cdr_row_count += len(rows)

    cut_connect_day = min(connect_days, default=None)
    cut_connect_file = connect_file_name(cut_connect_day) if cut_connect_day else None
    delivered_connect = {day: lines for day, lines in sorted(connect_days.items()) if day <= last_delivered_date}
    for day, lines in delivered_connect.items():
        if day == cut_connect_day:
            files[f"telephony/amazon_connect/{connect_file_name(day)}"] = imperfections.cut_last_json_line(lines).encode("utf-8")
        else:
            files[f"telephony/amazon_connect/{connect_file_name(day)}"] = lines_bytes(lines)

    delivered_leads = {name: rows for name, rows in sorted(telesales.lead_files.items()) if name <= lead_file_name(last_delivered_date)}
    for file_name, lead_rows in delivered_leads.items():
        files[f"crm/leads/{file_name}"] = csv_bytes(LEAD_HEADER, lead_rows)

    for page_number, page in enumerate(user_pages, start=1):
        files[f"crm/users/users-{page_number:04d}.json"] = json_bytes(page)
    ticket_pages = [page for run_pages in ticket_runs for page in run_pages]
    for page_number, page in enumerate(ticket_pages, start=1):
        files[f"crm/tickets/tickets-{page_number:04d}.json"] = json_bytes(page)
    comment_count = 0
    for ticket in exported_tickets:
        page = zendesk_files.comment_page(ticket, zendesk_ids, exported_at)
        comment_count += len(page["comments"])  # type: ignore[arg-type]
        files[f"crm/ticket_comments/ticket-{ticket.ticket_id}.json"] = json_bytes(page)

    survey_days = {day: day_responses for day, day_responses in group_by_arrival_date(responses, period).items() if day <= last_delivered_date}
    for day, day_responses in survey_days.items():
        files[f"surveys/{survey_file_name(day)}"] = csv_bytes(SURVEY_HEADER, [response.row() for response in day_responses])

    sync_landing_files(landing_dir, files)

    delivered_responses = [response for day_responses in survey_days.values() for response in day_responses]
    delivered_lead_rows = [row for rows in delivered_leads.values() for row in rows]
    delivered_paths = {PurePosixPath(path).name for path in files}
    malformed_count = (
        sum(1 for file_name in spoiled_lines + spoiled_lead + [cut_queue_log_file, cut_connect_file, cut_cdr_file] if file_name in delivered_paths)
        + sum(1 for response in spoiled_scores if response in delivered_responses)
    )
    return GenerationSummary(
        agent_count=len(agents),
        queue_log_file_count=sum(1 for path in files if path.startswith("telephony/queue_log/")),
        queue_log_line_count=queue_log_line_count,
        queue_call_count=sum(1 for call in telephony.queue_calls if call.entered_at < delivered_until),
        cdr_row_count=cdr_row_count,
        cdr_account_file_count=sum(1 for path in files if path.startswith("telephony/cdr/") and not path.startswith(f"telephony/cdr/{asterisk_files.MASTER_CDR_STEM}-")),
        telesales_call_count=sum(1 for call in telesales.calls if call.ended_at < delivered_until),
        amazon_connect_file_count=len(delivered_connect),
        amazon_connect_line_count=sum(len(lines) for lines in delivered_connect.values()),
        lead_file_count=len(delivered_leads),
        lead_line_count=len(delivered_lead_rows),
        lead_count=len({row[0] for row in delivered_lead_rows}),
        user_page_count=len(user_pages),
        user_count=len(users_by_run[-1]),
        ticket_page_count=len(ticket_pages),
        ticket_count=len(exported_tickets),
        ticket_record_count=sum(len(page["tickets"]) for page in ticket_pages),  # type: ignore[arg-type]
        comment_file_count=len(exported_tickets),
        comment_count=comment_count,
        survey_file_count=len(survey_days),
        survey_response_count=len(delivered_responses),
        malformed_record_count=malformed_count,
    )


def parse_start_date(text: str) -> date:
    """Parse --start-date, naming the expected format when the value is invalid."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD, for example 2026-08-01") from None


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.demo.generate",
        description="Write a deterministic demo landing directory: roster, Asterisk queue_log and CDR, Amazon Connect contact records, CRM leads, Zendesk users, tickets and comments, surveys.",
    )
    parser.add_argument("--landing-dir", type=Path, required=True, help="directory to write, which must be empty unless --force is given")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed, where the same seed writes byte-identical files (default {DEFAULT_SEED})")
    parser.add_argument("--days", type=int, default=DEFAULT_DAY_COUNT, help=f"number of days to simulate, 1 or more (default {DEFAULT_DAY_COUNT})")
    parser.add_argument(
        "--start-date",
        type=parse_start_date,
        default=DEFAULT_START_DATE,
        help=f"first local day in Asia/Jakarta, YYYY-MM-DD (default {DEFAULT_START_DATE.isoformat()})",
    )
    parser.add_argument(
        "--delivered-days",
        type=int,
        default=None,
        help="write the files of only the first N simulated days, as the nightly exports had delivered them; run again with N+1 and --force to add one day (default: all days)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"write into a non-empty landing directory: its {describe_folders()} folders end up holding exactly the generated files, and files whose content is unchanged are not rewritten",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    try:
        summary = generate_landing(arguments.landing_dir, arguments.seed, arguments.days, arguments.start_date, arguments.force, arguments.delivered_days)
    except (LandingDirectoryNotEmptyError, NotADirectoryError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote demo landing files to {arguments.landing_dir}")
    for name, value in vars(summary).items():
        print(f"  {name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
