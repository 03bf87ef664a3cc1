"""Find and read [tool.routelint] once, validate it, and merge command-line overrides."""
from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from routelint.discovery import Selection, enclosing_project
from routelint.names import is_test_path
from routelint.patterns import Pattern, compile_pattern
from routelint.tomlfile import TomlError, read_toml

CONFIG_NAMES = (".routelint.toml", "routelint.toml", "pyproject.toml")
DEFAULT_HORIZON_DAYS = 365
_LIST_KEYS = (
    "select", "ignore", "extend-select", "exclude", "extend-exclude", "extend-catalog", "model-names", "include", "extend-include",
)
DEFAULT_INCLUDE = ("*.py", "*.pyi", "*.ipynb")
KNOWN_KEYS = frozenset((*_LIST_KEYS, "per-file-ignores", "deprecation-horizon-days", "fail-on", "test-code"))
FAIL_ON = ("error", "warning", "note")  # a finding fails the run when its severity is at or above
# How test files (names.is_test_path) are judged: "requests", only the strings that reach a
# request routelint sees (an SDK call, a catalog wrapper); "all", like any other code.
TEST_CODE = ("requests", "all")
# Keys whose strings are rule codes or name parts: an empty one would match every rule (or name).
_NAME_KEYS = ("select", "ignore", "extend-select", "model-names")


class ConfigError(Exception):
    """Bad configuration or usage: exit code 2, with a message naming the key and the file."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("RL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    extend_include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extend_catalog: tuple[Path, ...] = ()
    model_names: tuple[str, ...] = ()
    deprecation_horizon_days: int = DEFAULT_HORIZON_DAYS
    fail_on: str = "warning"
    test_code: str = "requests"
    config_file: Path | None = None
    root: Path = field(default_factory=Path.cwd)  # folder patterns are relative to

    def selection(self) -> Selection:
        return Selection.of(self.include + self.extend_include, self.root.absolute())

    def is_test_file(self, path: Path) -> bool:
        """Whether `test-code` applies to a file: by its path below the project (a folder above
        it named `tests` says nothing, and a run from inside `tests/` changes nothing). The
        project is the config's folder, else the file's git work tree or packaging root
        (discovery.project_root's order); else the path counts as given."""
        full = os.path.abspath(path)
        folder = self._root_text if self.config_file is not None else _project_folder(os.path.dirname(full))
        if folder is not None and full.startswith(folder.rstrip(os.sep) + os.sep):
            return is_test_path(full[len(folder.rstrip(os.sep)) + 1 :])
        return is_test_path(path.as_posix())

    @functools.cached_property
    def _root_text(self) -> str:
        return str(self.root.absolute())  # asked once per file of a run

    def exclude_patterns(self) -> list[Pattern]:
        texts = self.exclude + self.extend_exclude
        return [p for p in (compile_pattern(t, self.root.absolute()) for t in texts) if p is not None]


# Asked for every file of a run without a config: once per folder.
_project_folder = functools.lru_cache(maxsize=4096)(enclosing_project)


def find_config(start: Path) -> Path | None:
    """The nearest config walking up from `start`; a pyproject.toml counts only with [tool.routelint]."""
    for folder in [start.absolute(), *start.absolute().parents]:
        found = config_in(folder)
        if found is not None:
            return found
    return None


def config_in(folder: Path) -> Path | None:
    """The config file in `folder` itself, in CONFIG_NAMES order, if any."""
    for name in CONFIG_NAMES:
        candidate = folder / name
        if not os.path.isfile(candidate):  # False, not an error, for a folder that cannot be searched
            continue
        if name != "pyproject.toml":
            return candidate
        tool = _read(candidate).get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{candidate}: tool must be a table ([tool]), not {type(tool).__name__}")
        if "routelint" in tool:
            return candidate
    return None


def load_settings(config_path: Path | None, *, cwd: Path) -> Settings:
    path = config_path if config_path is not None else find_config(cwd)
    if path is None:
        return Settings(root=cwd.absolute())
    return settings_from_file(path)


def settings_from_file(path: Path) -> Settings:
    """The settings a config file holds (its [tool.routelint] table for a pyproject.toml)."""
    data = _read(path)
    table = data.get("tool", {}).get("routelint", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.routelint] must be a table")
    return settings_from_table(table, path)


def settings_from_table(table: Mapping[str, Any], path: Path) -> Settings:
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})")
    values: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in table:
            value = table[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: {key} must be a list of strings, got {value!r}")
            if key in _NAME_KEYS and not all(v.strip() for v in value):
                raise ConfigError(f"{path}: {key} holds an empty string, got {value!r}")
            values[key.replace("-", "_")] = tuple(value)
    if values.get("select") == ():
        raise ConfigError(f"{path}: select = [] turns off every rule, RL001 included; leave it out for the default (all rules)")
    root = path.parent.absolute()
    if "extend_catalog" in values:
        values["extend_catalog"] = tuple(root / p for p in values["extend_catalog"])
    if "per-file-ignores" in table:
        per_file = table["per-file-ignores"]
        if not isinstance(per_file, dict) or not all(
            isinstance(v, list) and all(isinstance(c, str) and c.strip() for c in v) for v in per_file.values()
        ):
            raise ConfigError(f"{path}: per-file-ignores must be a table of pattern = [codes] (codes not empty), got {per_file!r}")
        values["per_file_ignores"] = {k: tuple(v) for k, v in per_file.items()}
    if "fail-on" in table:
        if table["fail-on"] not in FAIL_ON:
            raise ConfigError(f"{path}: fail-on must be one of {', '.join(FAIL_ON)}, got {table['fail-on']!r}")
        values["fail_on"] = table["fail-on"]
    if "test-code" in table:
        if table["test-code"] not in TEST_CODE:
            raise ConfigError(f"{path}: test-code must be one of {', '.join(TEST_CODE)}, got {table['test-code']!r}")
        values["test_code"] = table["test-code"]
    if "deprecation-horizon-days" in table:
        horizon = table["deprecation-horizon-days"]
        if not isinstance(horizon, int) or isinstance(horizon, bool) or horizon < 0:
            raise ConfigError(f"{path}: deprecation-horizon-days must be a whole number >= 0, got {horizon!r}")
        values["deprecation_horizon_days"] = horizon
    return Settings(config_file=path, root=root, **values)


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """Command-line values replace the file's, with ruff's rule selection: a `--select` starts
    the selection afresh (the file's select, extend-select and ignore no longer apply); without
    one, `--ignore` and `--extend-select` add to the file's."""
    changes = {k: v for k, v in overrides.items() if v is not None}
    if "select" in changes:
        changes.setdefault("ignore", ())
        changes.setdefault("extend_select", ())
    else:
        for key in ("ignore", "extend_select"):
            if key in changes:
                changes[key] = getattr(settings, key) + tuple(changes[key])
    return replace(settings, **changes)


def resolve_today(option: str | None, environ: Mapping[str, str] = os.environ) -> dt.date:
    """--today, else ROUTELINT_TODAY, else the UTC date."""
    raw = option or environ.get("ROUTELINT_TODAY")
    if not raw:
        return dt.datetime.now(dt.timezone.utc).date()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        source = "--today" if option else "ROUTELINT_TODAY"
        raise ConfigError(f"{source}: {raw!r} is not a date (want YYYY-MM-DD)") from None


@dataclass(frozen=True)
class RuleDecision:
    code: str
    enabled: bool
    why: str


def decide_rules(settings: Settings, all_codes: Sequence[str], path: Path | None = None) -> list[RuleDecision]:
    """Like ruff: the most specific selector wins; at equal specificity, ignore wins."""
    ignores = list(settings.ignore)
    if path is not None:
        ignores += [code for pattern, codes in settings.per_file_ignores.items() if _matches(pattern, path, settings) for code in codes]
    decisions = []
    for code in all_codes:
        chosen = _best(code, settings.select + settings.extend_select)
        dropped = _best(code, ignores)
        if chosen is None:
            decisions.append(RuleDecision(code, False, "not selected"))
        elif dropped is not None and _specificity(dropped) >= _specificity(chosen):
            where = "per-file-ignores" if dropped not in settings.ignore else "ignore"
            decisions.append(RuleDecision(code, False, f"{where} {dropped!r}"))
        else:
            decisions.append(RuleDecision(code, True, f"selected by {chosen!r}"))
    return decisions


def enabled_codes(settings: Settings, all_codes: Sequence[str], path: Path | None = None) -> frozenset[str]:
    return frozenset(d.code for d in decide_rules(settings, all_codes, path) if d.enabled)


def validate_codes(selectors: Iterable[str], all_codes: Sequence[str], where: str) -> None:
    for selector in selectors:
        if _best_match_any(selector, all_codes) is False:
            raise ConfigError(f"{where}: unknown rule code or prefix {selector!r}")


def _best_match_any(selector: str, all_codes: Sequence[str]) -> bool:
    return selector.upper() == "ALL" or any(code.startswith(selector.upper()) for code in all_codes)


def _specificity(selector: str) -> int:
    return 0 if selector.upper() == "ALL" else len(selector)


def _best(code: str, selectors: Iterable[str]) -> str | None:
    matching = [s for s in selectors if s.upper() == "ALL" or code.startswith(s.upper())]
    return max(matching, key=_specificity, default=None)


def _matches(pattern: str, path: Path, settings: Settings) -> bool:
    compiled = compile_pattern(pattern, settings.root.absolute())
    return compiled is not None and compiled.matches(path.absolute(), False)


def _read(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except TomlError as exc:
        raise ConfigError(str(exc)) from None
