"""The project index (issue 15): for every file of a project, what a run over some of its files
needs of the others (`FileFacts`: the constants it binds, its imports, the names it mentions),
kept in the result cache by content and refreshed by stat. A file whose size and stamp (or
whose bytes) did not change is not read again; a changed one is read once; a deleted or
newly excluded one drops out. Without a cache, facts are read as they are asked for."""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Callable

from routelint.cache import Reading, ResultCache
from routelint.engine import MAX_SOURCE_BYTES
from routelint.files import UnreadableFile, read_bytes, source_from_bytes
from routelint.project import FileFacts


class ProjectIndex:
    """The facts of the files of one project (display key -> path), asked for one at a time."""

    def __init__(
        self, files: Mapping[str, Path], reportable: Callable[[str], bool], cache: ResultCache | None = None,
        listed: Iterable[Path] = (),
    ) -> None:
        """`files`: the files whose facts may be asked for; `listed`: every file of the project
        (those given to the run too), whose entries the index keeps."""
        self.files = files
        self.reportable = reportable
        self.cache = cache
        self.read = 0  # files read (not served by the index), for -v and the tests
        kept = {*files.values(), *listed}
        if cache is not None and kept:
            cache.forget_facts(Path(os.path.commonpath([str(p.absolute().parent) for p in kept])), kept)

    def facts(self, key: str) -> FileFacts | None:
        """What the file imports, binds and mentions; None when it cannot be read or is too
        large to parse (it holds no constants then)."""
        path = self.files.get(key)
        if path is None:
            return None
        if self.cache is not None:
            kept = self.cache.lookup_facts(path)
            if kept is not None:
                return kept
        try:
            data, info = read_bytes(path)
            text = source_from_bytes(path, data).text
        except UnreadableFile:
            return None
        self.read += 1
        if len(text) > MAX_SOURCE_BYTES:
            return None
        facts = FileFacts.of(text, self.reportable)
        if self.cache is not None:
            self.cache.store_facts(path, Reading.of(info, hashlib.sha256(data).hexdigest(), time.time_ns()), facts)
        return facts
