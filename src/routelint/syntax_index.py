"""What the extractor needs from the catalog, precomputed once per run, and the questions
answered from it alone: which surface an SDK call path or an API URL reaches."""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from routelint.catalog_code import CodeFacts
from routelint.catalog_data import Catalog
from routelint.catalog_reach import Prefix, Wrapper
from routelint.urls import split_query, surface_for_path, url_path


@dataclass(frozen=True)
class SyntaxIndex:
    """What the extractor needs from the catalog, precomputed once per run."""

    call_paths: Mapping[str, str]  # "chat.completions.create" -> surface
    longest_call: int
    dict_types: Mapping[str, str]  # value of a dict's "type" key -> surface
    dict_keys: Mapping[str, str]  # dict key / keyword whose dict value is a config of a surface
    session_keywords: Mapping[str, tuple[str, ...]]  # surface -> keywords holding its config
    model_names: tuple[str, ...]  # extra name parts that mark a model context (config)
    code: CodeFacts  # the SDK's package, clients and wrappers, Azure's, HTTP libraries' (rules/code.toml)
    local_calls: frozenset[str] = frozenset()  # calls whose model= never reaches the API
    url_paths: Mapping[str, str] = field(default_factory=dict)  # "/v1/chat/completions" -> surface
    hosts: tuple[str, ...] = ()
    wrappers: Mapping[str, tuple[Wrapper, ...]] = field(default_factory=dict)  # last name -> wrappers
    prefixes: tuple[Prefix, ...] = ()  # longest first
    parameters: Mapping[str, frozenset[str]] = field(default_factory=dict)  # surface -> deprecated parameter names
    batch_calls: tuple[tuple[str, ...], ...] = ()  # ("batches", "create")
    batch_keyword: str = ""
    model_ids: frozenset[str] = frozenset()  # the catalog's model IDs, as the API spells them

    @classmethod
    def build(cls, catalog: Catalog, model_names: Sequence[str] = ()) -> SyntaxIndex:
        paths: dict[str, str] = {}
        url_paths: dict[str, str] = {}
        dict_types: dict[str, str] = {}
        dict_keys: dict[str, str] = {}
        keywords: dict[str, tuple[str, ...]] = {}
        for surface in catalog.surfaces.values():
            paths.update({path: surface.id for path in surface.calls})
            url_paths.update({path: surface.id for path in surface.paths})
            dict_types.update({t: surface.id for t in surface.dict_types})
            dict_keys.update({k: surface.id for k in surface.dict_keys})
            keywords[surface.id] = surface.config_keywords
        wrappers: dict[str, tuple[Wrapper, ...]] = {}
        for wrapper in catalog.wrappers.values():
            wrappers[wrapper.last_name] = (*wrappers.get(wrapper.last_name, ()), wrapper)
        return cls(
            call_paths=paths,
            longest_call=max((p.count(".") + 1 for p in paths), default=0),
            dict_types=dict_types,
            dict_keys=dict_keys,
            session_keywords=keywords,
            model_names=tuple(n.casefold() for n in ("model", *model_names)),
            code=catalog.code,
            local_calls=catalog.local_calls,
            url_paths=url_paths,
            hosts=catalog.hosts,
            wrappers=wrappers,
            prefixes=tuple(sorted(catalog.prefixes.values(), key=lambda p: -len(p.text))),
            parameters={
                sid: frozenset(p.name for p in catalog.parameters.values() if p.surface == sid)
                for sid in {p.surface for p in catalog.parameters.values()}
            },
            batch_calls=tuple(tuple(c.split(".")) for c in catalog.batch.calls) if catalog.batch else (),
            batch_keyword=catalog.batch.endpoint_keyword if catalog.batch else "",
            model_ids=frozenset(catalog.models),
        )

    @functools.cached_property
    def resources(self) -> frozenset[str]:
        """The SDK's resource names (`chat`, `responses`, `audio`, ...): the parts of its call
        paths before the method."""
        return frozenset(part for path in self.call_paths for part in path.split(".")[:-1])

    def sdk_call(self, chain: tuple[str, ...]) -> tuple[str, str] | None:
        """(call path, surface) of the SDK call a chain names, or None."""
        wrappers = self.code.sdk.response_wrappers  # `chat.completions.with_raw_response.create`
        names = tuple(part for part in chain if part not in wrappers)
        for length in range(min(self.longest_call, len(names)), 0, -1):
            path = ".".join(names[-length:])
            surface = self.call_paths.get(path)
            if surface is not None and length >= 2:
                return path, surface
        return None

    def url_surface(self, url: str, *, relative: bool = False) -> str | None:
        """The surface of an OpenAI API URL (or of an API path like "/v1/embeddings")."""
        base = split_query(url)[0]
        relative &= base.startswith(self.code.sdk.path_prefix)  # "/v1/embeddings"
        path = base if relative else url_path(base, self.hosts)
        return surface_for_path(path, self.url_paths) if path else None
