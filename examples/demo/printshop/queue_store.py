"""The job queue on disk: one JSON object per line, appended as jobs arrive."""

from __future__ import annotations

import json
from pathlib import Path

from printshop.jobs import PrintJob


class QueueFileError(RuntimeError):
    """The queue file exists but cannot be understood."""


def append_job(queue_file: Path, job: PrintJob) -> None:
    queue_file.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "customer": job.customer,
        "document": job.document,
        "pages": list(job.pages),
        "copies": job.copies,
        "colour": job.colour,
    }
    with queue_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def load_jobs(queue_file: Path) -> list[PrintJob]:
    """Every queued job, oldest first; a missing file is an empty queue."""
    if not queue_file.exists():
        return []
    jobs = []
    for number, line in enumerate(queue_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QueueFileError(f"{queue_file}:{number}: not JSON ({exc.msg})") from exc
        jobs.append(
            PrintJob(
                record["customer"],
                record["document"],
                tuple(record["pages"]),
                record["copies"],
                record["colour"],
            )
        )
    return jobs


def clear_queue(queue_file: Path) -> int:
    """Empty the queue after a print run and say how many jobs went."""
    count = len(load_jobs(queue_file))
    queue_file.write_text("", encoding="utf-8")
    return count
