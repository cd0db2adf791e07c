"""Write a deterministic demo landing directory for kinerja: one fictional Indonesian contact centre.

    python -m orchestration.demo.generate --landing-dir data/landing [--seed 7] [--days 30]
        [--start-date 2026-08-01] [--force]

The same seed, day count and start date give byte-identical files: every random draw comes from
`random.Random` objects seeded from the seed and a part name, nothing reads the clock, and
everything is iterated in a fixed order. Only the standard library is used.

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
  linkedid, and the telesales calls repeated in `sales.csv`.
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
- Tickets reappear in later export pages after each update, and the last ticket of a full page
  reappears at the top of the next page.
- Some agents have two Zendesk user ids. Some solved tickets have no category or a blank
  disposition, and the Time Tracking fields are null on about 15% of tickets.
- Survey responses arrive up to five days after the contact, in the file of their arrival day.
"""

import argparse
import csv
import json
import random
import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.demo import asterisk_files, imperfections, zendesk_files
from orchestration.demo.amazon_connect import build_amazon_connect_files
from orchestration.demo.calls import simulate_telephony
from orchestration.demo.centre import build_agents, roster_row
from orchestration.demo.localtime import Period
from orchestration.demo.people import CustomerPool
from orchestration.demo.schedule import plan_agent_days
from orchestration.demo.surveys import SURVEY_HEADER, group_by_arrival_date, plan_surveys
from orchestration.demo.telesales import LEAD_HEADER, plan_telesales
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


def prepare_landing_dir(landing_dir: Path, force: bool) -> None:
    """Create the landing directory, or empty its generated folders when `force` is set.

    Raises LandingDirectoryNotEmptyError when the directory contains anything and `force` is not set.
    """
    if landing_dir.exists() and not landing_dir.is_dir():
        raise NotADirectoryError(f"landing directory {landing_dir} is a file, not a directory; pass a directory path")
    if landing_dir.is_dir() and any(landing_dir.iterdir()):
        if not force:
            raise LandingDirectoryNotEmptyError(
                f"landing directory {landing_dir} is not empty; pass --force to replace its "
                f"{describe_folders()} folders, or choose an empty directory"
            )
        for folder in GENERATED_FOLDERS:
            if (landing_dir / folder).exists():
                shutil.rmtree(landing_dir / folder)
    landing_dir.mkdir(parents=True, exist_ok=True)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def write_json(path: Path, document: object) -> None:
    write_text(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")))


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate_landing(
    landing_dir: Path,
    seed: int = DEFAULT_SEED,
    days: int = DEFAULT_DAY_COUNT,
    start_date: date = DEFAULT_START_DATE,
    force: bool = False,
) -> GenerationSummary:
    """Simulate the centre for `days` days from `start_date` and write every landing file kind."""
    if days < 1:
        raise ValueError(f"days must be 1 or more, got {days}")
    prepare_landing_dir(landing_dir, force)

    def part_rng(part: str) -> random.Random:
        return random.Random(f"{seed}:{part}")

    period = Period(start_date, days)
    agents = build_agents(part_rng("roster"), period)
    temp_agent_days = [period.dates[index] for index in TEMP_AGENT_DAY_INDEXES if index < days]
    agent_days = plan_agent_days(part_rng("schedule"), agents, period.dates, temp_agent_days)
    customers = CustomerPool(part_rng("customers"))
    restarts = asterisk_files.restart_times(period.dates)
    telephony = simulate_telephony(part_rng("calls"), customers, agent_days, period.dates, asterisk_files.upgrade_time(restarts))
    helpdesk = plan_helpdesk(part_rng("tickets"), period, customers, agent_days, telephony.queue_calls)
    telesales = plan_telesales(part_rng("telesales"), agents, agent_days, customers, period)
    amazon_connect_files = build_amazon_connect_files(part_rng("amazon-connect"), agents, customers, period)

    extra_outbound = helpdesk.phone_followups + telesales.calls
    logins = asterisk_files.login_channels(agent_days)
    asterisk_files.number_channels(asterisk_files.all_channels(telephony, extra_outbound, logins), restarts)
    queue_log_lines = asterisk_files.build_queue_log_lines(telephony, logins, restarts, period.end_at)
    queue_log_files = asterisk_files.split_rotated_files(queue_log_lines, asterisk_files.rotation_times(period.dates))
    cdr_rows = asterisk_files.build_cdr_rows(telephony, extra_outbound, restarts, period.end_at)
    cdr_account_rows = asterisk_files.account_cdr_rows(cdr_rows)

    zendesk_ids = zendesk_files.assign_ids(part_rng("zendesk-ids"), helpdesk)
    users = zendesk_files.agent_users(agents, period) + zendesk_files.end_users(part_rng("zendesk-users"), helpdesk, zendesk_ids)
    user_pages = zendesk_files.build_user_pages(users)
    ticket_pages = zendesk_files.build_export_pages(helpdesk.tickets, zendesk_ids, period)

    responses = plan_surveys(part_rng("surveys"), period, telephony.queue_calls, helpdesk.tickets)

    defects_rng = part_rng("imperfections")
    malformed_count = imperfections.spoil_hold_times(defects_rng, queue_log_files, asterisk_files.QUEUE_LOG_FILE)
    malformed_count += imperfections.spoil_survey_scores(defects_rng, responses)
    malformed_count += imperfections.spoil_lead_score(defects_rng, telesales.lead_files, LEAD_HEADER.index("lead_score"))
    # The cut-off last line of the newest Amazon Connect file.
    malformed_count += 1 if amazon_connect_files else 0
    # The cut-off last lines of queue_log and Master.csv.
    malformed_count += 1 if queue_log_files[asterisk_files.QUEUE_LOG_FILE] else 0
    malformed_count += 1 if cdr_rows else 0

    write_csv(landing_dir / "roster" / "agents.csv", ROSTER_HEADER, [tuple(roster_row(agent).values()) for agent in agents])

    queue_log_dir = landing_dir / "telephony" / "queue_log"
    for file_name, lines in sorted(queue_log_files.items()):
        if file_name == asterisk_files.QUEUE_LOG_FILE:
            write_text(queue_log_dir / file_name, imperfections.truncate_last_line(lines))
        else:
            write_text(queue_log_dir / file_name, "".join(line + "\n" for line in lines))
    write_text(landing_dir / "telephony" / "cdr" / "Master.csv", imperfections.cut_last_cdr_record(cdr_rows))
    for accountcode, rows in sorted(cdr_account_rows.items()):
        write_text(landing_dir / "telephony" / "cdr" / f"{accountcode}.csv", "".join(asterisk_files.format_cdr_line(row.fields) + "\n" for row in rows))

    connect_dir = landing_dir / "telephony" / "amazon_connect"
    newest_connect_file = max(amazon_connect_files, default=None)
    for file_name, lines in sorted(amazon_connect_files.items()):
        if file_name == newest_connect_file:
            write_text(connect_dir / file_name, imperfections.cut_last_json_line(lines))
        else:
            write_text(connect_dir / file_name, "".join(line + "\n" for line in lines))
    for file_name, lead_rows in sorted(telesales.lead_files.items()):
        write_csv(landing_dir / "crm" / "leads" / file_name, LEAD_HEADER, lead_rows)

    for page_number, page in enumerate(user_pages, start=1):
        write_json(landing_dir / "crm" / "users" / f"users-{page_number:04d}.json", page)
    for page_number, page in enumerate(ticket_pages, start=1):
        write_json(landing_dir / "crm" / "tickets" / f"tickets-{page_number:04d}.json", page)
    comment_count = 0
    for ticket in helpdesk.tickets:
        page = zendesk_files.comment_page(ticket, zendesk_ids)
        comment_count += len(page["comments"])  # type: ignore[arg-type]
        write_json(landing_dir / "crm" / "ticket_comments" / f"ticket-{ticket.ticket_id}.json", page)

    survey_files = group_by_arrival_date(responses, period)
    for file_name, file_responses in sorted(survey_files.items()):
        write_csv(landing_dir / "surveys" / file_name, SURVEY_HEADER, [response.row() for response in file_responses])

    return GenerationSummary(
        agent_count=len(agents),
        queue_log_file_count=len(queue_log_files),
        queue_log_line_count=len(queue_log_lines),
        queue_call_count=len(telephony.queue_calls),
        cdr_row_count=len(cdr_rows),
        cdr_account_file_count=len(cdr_account_rows),
        telesales_call_count=len(telesales.calls),
        amazon_connect_file_count=len(amazon_connect_files),
        amazon_connect_line_count=sum(len(lines) for lines in amazon_connect_files.values()),
        lead_file_count=len(telesales.lead_files),
        lead_line_count=sum(len(rows) for rows in telesales.lead_files.values()),
        lead_count=telesales.lead_count,
        user_page_count=len(user_pages),
        user_count=len(users),
        ticket_page_count=len(ticket_pages),
        ticket_count=len(helpdesk.tickets),
        ticket_record_count=sum(len(page["tickets"]) for page in ticket_pages),  # type: ignore[arg-type]
        comment_file_count=len(helpdesk.tickets),
        comment_count=comment_count,
        survey_file_count=len(survey_files),
        survey_response_count=len(responses),
        malformed_record_count=malformed_count,
    )


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.demo.generate",
        description="Write a deterministic demo landing directory: roster, Asterisk queue_log and CDR, Zendesk users, tickets and comments, surveys.",
    )
    parser.add_argument("--landing-dir", type=Path, required=True, help="directory to write, which must be empty unless --force is given")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed, where the same seed writes byte-identical files (default {DEFAULT_SEED})")
    parser.add_argument("--days", type=int, default=DEFAULT_DAY_COUNT, help=f"number of days to simulate, 1 or more (default {DEFAULT_DAY_COUNT})")
    parser.add_argument(
        "--start-date",
        type=date.fromisoformat,
        default=DEFAULT_START_DATE,
        help=f"first local day in Asia/Jakarta, YYYY-MM-DD (default {DEFAULT_START_DATE.isoformat()})",
    )
    parser.add_argument("--force", action="store_true", help=f"replace the {describe_folders()} folders of a non-empty landing directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    try:
        summary = generate_landing(arguments.landing_dir, arguments.seed, arguments.days, arguments.start_date, arguments.force)
    except (LandingDirectoryNotEmptyError, NotADirectoryError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote demo landing files to {arguments.landing_dir}")
    for name, value in vars(summary).items():
        print(f"  {name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
