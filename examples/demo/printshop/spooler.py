"""A print run: price every queued job, send it to the printer, and empty the queue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from printshop.backends import Printer
from printshop.pricing import price_cents
from printshop.queue_store import clear_queue, load_jobs


@dataclass(frozen=True)
class RunResult:
    job_ids: tuple[str, ...]
    takings_cents: int


def print_run(queue_file: Path, printer: Printer) -> RunResult:
    """Submit every queued job in order; the queue is cleared only when all went through."""
    ids = []
    takings = 0
    for job in load_jobs(queue_file):
        ids.append(printer.submit(job.document, job.copies))
        takings += price_cents(job)
    if ids:
        clear_queue(queue_file)
    return RunResult(tuple(ids), takings)
