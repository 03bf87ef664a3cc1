"""The one cross-file driver: the files of a project, each linted (or read) in the project's
order as the uses of its names travel to it from the files that import them. Every way in goes
through `project_pass` with its own per-file step: the command line's project pass and a buffer
as a file of its project (crossfile.py), the inventory (inventory.py), the lint of files in memory
(`project.lint_sources`: the fixture harness, editors). The table of what crosses is project.py's.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Generic, Optional, TypeVar

from routelint.facts import Incoming

if TYPE_CHECKING:
    from routelint.neighbourhood import Neighbourhood
    from routelint.project import ProjectTable

MAX_ROUNDS = 3  # a file is linted again at most about this often as uses of its names arrive

R = TypeVar("R")
Exports = Sequence[tuple[str, Incoming]]  # (key of the file whose name is used, the use)
# One file's step: what it gives the caller (None: nothing of it is kept), and its exports.
Step = tuple[Optional[R], Exports]


@dataclass(frozen=True)
class ProjectPass(Generic[R]):
    """What a project pass gives back, by key (normalized display path)."""

    results: Mapping[str, R]  # each file's last step's result (files with none left out), in the keys' order
    incoming: Mapping[str, tuple[Incoming, ...]]  # the uses of its names the file's last step was given


def project_pass(
    keys: Sequence[str],
    table: ProjectTable,
    step: Callable[[str, tuple[Incoming, ...]], Step[R]],
    *,
    outside: Callable[[str, tuple[Incoming, ...]], Step[R]] | None = None,
    near: Neighbourhood | None = None,
    first: Mapping[str, Step[R]] | None = None,
    again: Callable[[R, R], R] | None = None,
) -> ProjectPass[R]:
    """Run `step(key, incoming)` on every file of `keys` in the project's order (`schedule`),
    again on a file when more uses of its names arrive; a file's later result replaces its
    earlier one (`again(earlier, later)` when given, to carry over what the earlier step did).

    `near`: the files given are those of `keys` that are neither `near.holders` nor
    `near.users` (a run over some files of a project); the others go to `outside`, with the
    uses made in files given first (a literal is judged once, for its first use), and only when
    uses of their names arrived or they use the given files' names (`near.users`).
    `first`: every file has had its first step already (in worker processes), with these results."""
    given = given_files(keys, near)
    results: dict[str, R] = {}
    incoming: dict[str, tuple[Incoming, ...]] = {}

    def process(key: str, uses: tuple[Incoming, ...]) -> Exports:
        incoming[key], (result, exports) = file_step(key, uses, step, outside, near, given)
        earlier = results.get(key)
        if result is None:
            results.pop(key, None)
        else:
            results[key] = again(earlier, result) if again is not None and earlier is not None else result
        return exports

    exported: dict[str, Exports] | None = None
    if first is not None:
        exported = {}
        for key, (result, exports) in first.items():
            if result is not None:
                results[key] = result
            exported[key], incoming[key] = exports, ()
    schedule(keys, set(table.constants), process, exported)
    return ProjectPass({key: results[key] for key in keys if key in results}, incoming)


def given_files(keys: Iterable[str], near: Neighbourhood | None) -> frozenset[str]:
    """The files of a pass that were given to the run: all, or those `near` did not add."""
    return frozenset(keys) - near.holders - near.users if near is not None else frozenset(keys)


def file_step(
    key: str, uses: tuple[Incoming, ...], step: Callable[[str, tuple[Incoming, ...]], Step[R]],
    outside: Callable[[str, tuple[Incoming, ...]], Step[R]] | None, near: Neighbourhood | None, given: frozenset[str],
) -> tuple[tuple[Incoming, ...], Step[R]]:
    """One file's step in a pass (also a first round's, in a worker process): a file given goes
    to `step`; a file past them to `outside`, with the uses made in files given first, and only
    when it has uses of its names or uses the given files' names; (None, ()) otherwise. Returns
    the uses as the step was given them, and the step."""
    if key in given or outside is None or near is None:
        return uses, step(key, uses)
    uses = tuple(sorted(uses, key=lambda use: use.target.origin is None or posixpath.normpath(use.target.origin) not in given))
    return uses, (outside(key, uses) if uses or key in near.users else (None, ()))


def schedule(
    keys: Sequence[str],
    holders: set[str],
    process: Callable[[str, tuple[Incoming, ...]], Exports],
    first: Mapping[str, Exports] | None = None,
) -> None:
    """Lint every file once, the files that hold constants last, and again any file that learns
    of more uses of its names afterwards. `process(key, incoming)` lints one file and returns
    its exports; keys are normalized display paths. `first`: every file was linted once already,
    knowing no uses (in parallel), with these exports; only files that have uses are linted again."""
    known = set(keys)
    incoming: dict[str, set[Incoming]] = defaultdict(set)
    if first is None:
        queue = deque(sorted(keys, key=lambda k: k in holders))
        done: set[str] = set()
    else:
        for key in keys:
            for target, use in first.get(key, ()):
                if target in known:
                    incoming[target].add(use)
        queue = deque(sorted((k for k in keys if incoming[k]), key=lambda k: k in holders))
        done = set(keys) - set(queue)
    budget = MAX_ROUNDS * max(len(keys), 1)
    while queue and budget:
        budget -= 1
        key = queue.popleft()
        exports = process(key, tuple(sorted(incoming[key], key=repr)))
        done.add(key)
        for target, use in exports:
            if target in known and use not in incoming[target]:
                incoming[target].add(use)
                if target in done and target not in queue:
                    queue.append(target)
