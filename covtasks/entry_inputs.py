"""The fingerprint of what an entry is rendered from, so a sync can skip unchanged entries.

An entry's refresh reads its own text (marker included), its module's numbers and missing
lines, its owner, milestone and ratchet date, what its notes are made from, the template
and the settings. Sync remembers a hash of all of them per entry (``covtasks.sync_memo``);
when the next sync computes the same hash, nothing the refresh reads has changed and
rendering the entry again would change nothing, so it is skipped. The day is left out on
purpose: a refresh of unchanged inputs writes no date (see ``planner._values``), so
rendering again on another day gives the same text; a property test holds this.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from covtasks import __version__
from covtasks.config import Config
from covtasks.model import ModuleCoverage
from covtasks.template import EntryTemplate

if TYPE_CHECKING:
    from hashlib import _Hash as Hash


def rendering_identity(
    config: Config, template: EntryTemplate, precision: int, has_branches: bool
) -> bytes:
    """What every entry's rendering shares: covtasks, settings, template, display."""
    settings = dataclasses.replace(config, root=Path(), source=None)
    shape = (template.heading, template.fields, sorted(template.defaults.items()))
    return repr((__version__, settings, shape, precision, has_branches)).encode()


def entry_fingerprint(
    identity: bytes,
    lines: Sequence[str],
    module: ModuleCoverage | None,
    per_module: Sequence[str],
) -> str:
    """A hash of the entry's lines (endings and trailing blank lines aside) and its inputs."""
    end = len(lines)
    while end > 0 and not lines[end - 1].strip(" \t\r\n"):
        end -= 1
    digest = hashlib.sha256(identity)
    digest.update("\n".join([line.rstrip("\r\n") for line in lines[:end]]).encode())
    digest.update(b"\0")
    digest.update(repr(tuple(per_module)).encode())
    _update_with(digest, module)
    return digest.hexdigest()[:16]


def _update_with(digest: Hash, value: object) -> None:
    """Feed a record's fields in: line-number lists as machine integers, the rest as repr.

    Every field of the record counts, whichever fields it gains later; the long lists of
    line numbers are what a repr would spend its time on. The pieces are gathered and fed
    in at once: the same bytes, one hash update instead of a dozen per module.
    """
    pieces: list[bytes] = []
    _pieces(value, pieces)
    digest.update(b"".join(pieces))


def _pieces(value: object, out: list[bytes]) -> None:
    kind = type(value)
    names = _FIELDS.get(kind, _UNSEEN)
    if names is _UNSEEN:
        names = None
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = tuple(field.name for field in dataclasses.fields(value))
        _FIELDS[kind] = names
    if names is not None:
        out.append(kind.__name__.encode())
        for name in names:
            field = getattr(value, name)
            out.append(b"\0")
            if type(field) in _SCALARS:  # most fields: their repr, as below, without a call
                out.append(repr(field).encode())
            else:
                _pieces(field, out)
    elif isinstance(value, tuple) and value:
        try:
            flat = itertools.chain.from_iterable(value) if type(value[0]) is tuple else value
            packed = array("q", flat).tobytes()
        except (TypeError, OverflowError):
            out.append(repr(value).encode())
        else:
            out.append(f"{type(value[0]).__name__}[{len(value)}]".encode())
            out.append(packed)
    else:
        out.append(repr(value).encode())


# Each type's field names when its values are records (dataclass instances), else None.
_FIELDS: dict[type, tuple[str, ...] | None] = {}
_UNSEEN = ("",)  # no type has been looked at yet
_SCALARS = frozenset({int, str, float, bool, type(None)})
