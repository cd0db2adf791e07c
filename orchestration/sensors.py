"""The landing sensor: start `refresh_warehouse` when landing files are added, changed or removed.

Every `LANDING_SENSOR_INTERVAL_SECONDS` the sensor lists the files in each extract source's folder
(not its subfolders) and hashes their paths, sizes and modification times into a fingerprint, its
cursor. A new fingerprint starts a run, keyed by the fingerprint so one state of the folder never
starts two runs. The sensor waits while any file was modified within the settle time, so a copy
in progress starts one run when it ends rather than one per file. A folder written to without
pause therefore never starts a run, and only the daily schedule refreshes it. The sensor also
waits while a refresh is in progress, because DuckDB allows one writer.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dagster import (
    DagsterInstance,
    DagsterRunStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from orchestration import settings
from orchestration.assets.extract import EXTRACT_SOURCES
from orchestration.extract.registry import LandingFile, scan_landing_files
from orchestration.jobs import refresh_warehouse

# Polling a folder listing is cheap, and a minute keeps a new day's files from waiting long.
LANDING_SENSOR_INTERVAL_SECONDS = 60
IN_PROGRESS_STATUSES = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


@dataclass(frozen=True)
class LandingSnapshot:
    """The state of the landing folders at one tick."""

    fingerprint: str
    file_count: int
    unsettled_files: tuple[str, ...]


def snapshot_landing(
    landing_dir: Path, folders: Iterable[str], settle_seconds: float, now: datetime
) -> LandingSnapshot:
    """Fingerprint the files directly in the given landing folders; `now` is naive UTC."""
    files: list[LandingFile] = []
    for folder in sorted(set(folders)):
        files += scan_landing_files(landing_dir, f"{folder}/*")
    digest = hashlib.md5(usedforsecurity=False)
    for landing_file in files:
        digest.update(
            f"{landing_file.source_file}\0{landing_file.size_bytes}\0"
            f"{landing_file.modified_at.isoformat()}\n".encode()
        )
    settled_before = now - timedelta(seconds=settle_seconds)
    unsettled = tuple(
        landing_file.source_file
        for landing_file in files
        if landing_file.modified_at > settled_before
    )
    return LandingSnapshot(digest.hexdigest(), len(files), unsettled)


def decide_refresh(
    snapshot: LandingSnapshot, cursor: str | None, is_refresh_running: bool
) -> RunRequest | SkipReason:
    """Return a run request for a new settled state of the landing folders, else the skip reason."""
    if is_refresh_running:
        return SkipReason("refresh_warehouse is running; the landing folders are checked next tick")
    if snapshot.unsettled_files:
        listed = ", ".join(snapshot.unsettled_files[:5])
        more = len(snapshot.unsettled_files) - 5
        if more > 0:
            listed += f" and {more} more"
        return SkipReason(f"waiting for landing files still being written to settle: {listed}")
    if snapshot.fingerprint == cursor:
        return SkipReason(
            f"no landing file added, changed or removed ({snapshot.file_count} files)"
        )
    return RunRequest(run_key=snapshot.fingerprint)


def is_job_running(instance: DagsterInstance, job_name: str) -> bool:
    """True when a run of the job is queued or in progress."""
    runs = instance.get_runs(
        filters=RunsFilter(job_name=job_name, statuses=IN_PROGRESS_STATUSES), limit=1
    )
    return bool(runs)


def landing_folders(sources: Sequence = EXTRACT_SOURCES) -> list[str]:
    """Return the landing folders of the extract sources."""
    return [source.landing_folder for source in sources]


@sensor(
    name="landing_files_sensor",
    job=refresh_warehouse,
    minimum_interval_seconds=LANDING_SENSOR_INTERVAL_SECONDS,
    description="Start refresh_warehouse when landing files are added, changed or removed and"
    " no file changed within KINERJA_LANDING_SETTLE_SECONDS.",
)
def landing_files_sensor(context: SensorEvaluationContext):
    snapshot = snapshot_landing(
        settings.landing_dir(),
        landing_folders(),
        settings.landing_settle_seconds(),
        datetime.now(UTC).replace(tzinfo=None),
    )
    decision = decide_refresh(
        snapshot, context.cursor, is_job_running(context.instance, refresh_warehouse.name)
    )
    if isinstance(decision, RunRequest):
        context.update_cursor(snapshot.fingerprint)
        context.log.info(
            f"landing folders changed ({snapshot.file_count} files), starting refresh_warehouse"
        )
    return decision
