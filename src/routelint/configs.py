"""Which settings govern each file: the nearest config above it, as ruff's hierarchical
configuration finds it, or the one config given with --config.

Without --config, each folder's settings are those of the nearest config file at or above it
(`config.config_in`: .routelint.toml, routelint.toml, or a pyproject.toml with
[tool.routelint]), looked up once per folder and kept for the run; a folder with none above it
has the defaults, with patterns relative to the working folder. Configs are not merged: a
sub-project's config replaces its parent's under its folder, as in ruff without `extend`.
Command-line overrides apply on top of every config (`adjust`).
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from routelint.config import Settings, config_in, settings_from_file
from routelint.discovery import Selection
from routelint.patterns import Pattern

if TYPE_CHECKING:
    from routelint.engine import Linter

Adjust = Callable[[Settings], Settings]


class Configs:
    """The settings of each folder of a run, each config file read once."""

    def __init__(self, *, cwd: Path, fixed: Settings | None = None, adjust: Adjust | None = None) -> None:
        self.cwd = cwd.absolute()
        self.fixed = fixed
        self._adjust: Adjust = adjust or (lambda settings: settings)
        self._folders: dict[str, Settings] = {}  # absolute folder -> the settings governing it
        self._files: dict[Path, Settings] = {}  # config file -> its settings (one object each)
        self._defaults: Settings | None = None
        self._rules: dict[int, tuple[list[Pattern], Selection]] = {}  # id(settings) -> what discovery applies
        self._linters: dict[tuple[Any, ...], Linter] = {}

    @classmethod
    def one(cls, settings: Settings) -> Configs:
        """One settings for every file (--config, a test, a host given its settings)."""
        return cls(cwd=settings.root, fixed=settings)

    def for_path(self, path: Path) -> Settings:
        """The settings of a file (its folder's) or of a folder (its own)."""
        absolute = path if path.is_absolute() else self.cwd / path
        return self.for_folder(absolute if os.path.isdir(absolute) else absolute.parent)

    def for_file(self, path: Path) -> Settings:
        """The settings of a file: its folder's (by text: a run asks this of every file)."""
        folder = os.path.dirname(os.path.join(self.cwd, path))
        known = self._folders.get(folder)  # the normalized folder, as a walk gives it (empty with `fixed`)
        return known if known is not None else self.for_folder(folder)

    def for_folder(self, folder: Path | str) -> Settings:
        if self.fixed is not None:
            return self.fixed
        start = os.path.normpath(os.path.join(self.cwd, folder))  # join keeps an absolute `folder` as it is
        chain: list[str] = []
        current = start
        found: Settings | None = None
        while True:
            known = self._folders.get(current)
            if known is not None:
                found = known
                break
            chain.append(current)
            config = config_in(Path(current))
            if config is not None:
                found = self._load(config)
                break
            parent = os.path.dirname(current)
            if parent == current:
                found = self.defaults()
                break
            current = parent
        for name in chain:
            self._folders[name] = found
        return found

    def defaults(self) -> Settings:
        if self.fixed is not None:
            return self.fixed
        if self._defaults is None:
            self._defaults = self._adjust(Settings(root=self.cwd))
        return self._defaults

    def _load(self, config: Path) -> Settings:
        settings = self._files.get(config)
        if settings is None:
            settings = self._files[config] = self._adjust(settings_from_file(config))
        return settings

    def rules(self, folder: Path) -> tuple[list[Pattern], Selection]:
        """The exclude patterns and the include selection that discovery applies in `folder`."""
        settings = self.for_folder(folder)
        kept = self._rules.get(id(settings))
        if kept is None:
            kept = self._rules[id(settings)] = (settings.exclude_patterns(), settings.selection())
        return kept

    def linter(self, settings: Settings, today: dt.date) -> Linter:
        """The linter for files these settings govern, built when first asked for (a run whose
        every file is cached never parses the catalog); one for all settings that make the same."""
        from routelint.engine import Linter

        key = (settings.extend_catalog, settings.deprecation_horizon_days, settings.model_names, settings.test_code, today)
        made = self._linters.get(key)
        if made is None:
            made = self._linters[key] = Linter.for_settings(settings, today)
        return made

    def group(self, files: Sequence[Path]) -> list[tuple[Settings, list[Path]]]:
        """The files by the settings that govern them, in the order each settings is first met."""
        groups: dict[int, tuple[Settings, list[Path]]] = {}
        for path in files:
            settings = self.for_file(path)
            groups.setdefault(id(settings), (settings, []))[1].append(path)
        return list(groups.values())
