"""Readers for the files of a demo landing directory, shared by the demo tests.

The readers that parse the larger files cache their result per directory, because many tests
read the same session-wide landing directory. Callers must not change what they return.
"""

import csv
import json
from functools import cache
from pathlib import Path


def read_queue_log(landing_dir: Path) -> dict[str, list[str]]:
    folder = landing_dir / "telephony" / "queue_log"
    return {path.name: path.read_text(encoding="utf-8").split("\n") for path in sorted(folder.iterdir())}


@cache
def queue_log_records(landing_dir: Path) -> list[list[str]]:
    """Return the fields of every complete queue_log line in time order, ignoring the cut-off last line."""
    records = []
    for lines in read_queue_log(landing_dir).values():
        records.extend(line.split("|") for line in lines if len(line.split("|")) >= 5)
    return sorted(records, key=lambda record: int(record[0]))


def cdr_paths(landing_dir: Path, stem: str = "Master") -> list[Path]:
    """Return the daily rotated files of a cdr_csv file stem, oldest first."""
    return sorted((landing_dir / "telephony" / "cdr").glob(f"{stem}-*.csv"))


@cache
def read_cdr(landing_dir: Path, stem: str = "Master") -> list[list[str]]:
    """Return the records of every daily file of a cdr_csv file stem, in file order."""
    rows = []
    for path in cdr_paths(landing_dir, stem):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.reader(handle))
    return rows


def read_roster(landing_dir: Path) -> list[dict[str, str]]:
    with (landing_dir / "roster" / "agents.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def read_ticket_pages(landing_dir: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((landing_dir / "crm" / "tickets").glob("tickets-*.json"))]


@cache
def read_comment_pages(landing_dir: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((landing_dir / "crm" / "ticket_comments").glob("ticket-*.json"))]


@cache
def read_users(landing_dir: Path) -> dict[int, dict]:
    pages = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((landing_dir / "crm" / "users").glob("users-*.json"))]
    return {user["id"]: user for page in pages for user in page["users"]}


def read_surveys(landing_dir: Path) -> dict[str, list[dict[str, str]]]:
    surveys = {}
    for path in sorted((landing_dir / "surveys").glob("surveys-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            surveys[path.name] = list(csv.DictReader(handle))
    return surveys


def read_leads(landing_dir: Path) -> dict[str, list[dict[str, str]]]:
    leads = {}
    for path in sorted((landing_dir / "crm" / "leads").glob("leads-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            leads[path.name] = list(csv.DictReader(handle))
    return leads


def read_connect_lines(landing_dir: Path) -> dict[str, list[str]]:
    folder = landing_dir / "telephony" / "amazon_connect"
    return {path.name: path.read_text(encoding="utf-8").split("\n") for path in sorted(folder.glob("*.json"))}


def custom_field(ticket: dict, field_id: int) -> object:
    return next(field["value"] for field in ticket["custom_fields"] if field["id"] == field_id)
