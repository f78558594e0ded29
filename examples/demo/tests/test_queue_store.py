"""The queue file round-trips jobs; corrupt files and clearing are not tested yet."""

from pathlib import Path

from printshop.jobs import PrintJob
from printshop.queue_store import append_job, load_jobs


def test_load_jobs_without_queue_file_is_empty(tmp_path: Path) -> None:
    assert load_jobs(tmp_path / "queue.jsonl") == []


def test_appended_jobs_load_back_oldest_first(tmp_path: Path) -> None:
    queue = tmp_path / "shop" / "queue.jsonl"
    first = PrintJob("ana", "a.pdf", (1, 2))
    second = PrintJob("bo", "b.pdf", (3,), copies=4, colour=True)
    append_job(queue, first)
    append_job(queue, second)
    assert load_jobs(queue) == [first, second]
