"""Extract layer: load landing files into the raw schema of the DuckDB warehouse.

Each loader is a full sync of one source kind and returns a LoadResult with its counts.
"""

from orchestration.extract.cdr import load_cdr
from orchestration.extract.common import LoadResult
from orchestration.extract.queue_log import load_queue_log
from orchestration.extract.roster import load_roster
from orchestration.extract.surveys import load_surveys
from orchestration.extract.zendesk import (
    load_zendesk_ticket_comments,
    load_zendesk_tickets,
    load_zendesk_users,
)

__all__ = [
    "LoadResult",
    "load_cdr",
    "load_queue_log",
    "load_roster",
    "load_surveys",
    "load_zendesk_ticket_comments",
    "load_zendesk_tickets",
    "load_zendesk_users",
]
