"""``printshop`` at the counter: quote a job, queue it, or print everything queued."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from printshop.backends import LpPrinter
from printshop.jobs import JobError, make_job
from printshop.pricing import format_price, price_cents
from printshop.queue_store import append_job
from printshop.settings import load_settings
from printshop.spooler import print_run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="printshop")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("quote", "queue"):
        command = commands.add_parser(name)
        command.add_argument("customer")
        command.add_argument("document")
        command.add_argument("--pages", default="1")
        command.add_argument("--page-count", type=int, default=1)
        command.add_argument("--copies", type=int, default=1)
    commands.add_parser("run")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    if args.command == "run":
        result = print_run(settings.queue_file, LpPrinter(settings.printer))
        print(f"printed {len(result.job_ids)} jobs, {format_price(result.takings_cents)}")
        return 0
    try:
        job = make_job(args.customer, args.document, args.pages, args.page_count, args.copies)
    except JobError as exc:
        print(f"printshop: {exc}", file=sys.stderr)
        return 2
    if args.command == "queue":
        append_job(settings.queue_file, job)
    print(f"{job.customer}: {job.sheets} sheets, {format_price(price_cents(job))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
