"""Reading a standard file: safe YAML (JSON being YAML), size and encoding checked, then
validated. Pure Python: no Django."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from scoring.standard_file.checking import StandardFileError, problem
from scoring.standard_file.spec import StandardSpec
from scoring.standard_file.validation import validate_standard

MAX_FILE_BYTES = 5 * 1024 * 1024


class _Loader(yaml.SafeLoader):
    """Safe YAML with two traps removed: duplicate keys are errors, and only true/false are
    booleans (YAML 1.2), so that `expected: yes` means the answer "yes", not True."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _DuplicateKeyError(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark, key: Any):
        self.mark, self.key = mark, key
        super().__init__(f"line {mark.line + 1}, column {mark.column + 1}: duplicate key {key!r}")


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: set = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key; reported when the mapping is checked
            continue
        if duplicate:
            raise _DuplicateKeyError(key_node.start_mark, key)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_standard_file(path: str | Path) -> StandardSpec:
    """A standard file, with the one it `extends` (if any) beneath it, validated."""
    return validate_standard(_file_data(Path(path), ()))


def parse_standard(text: str) -> StandardSpec:
    """A standard from its text; one that `extends` another needs its folder: read the file."""
    return validate_standard(_yaml(text))


def _file_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise StandardFileError([problem(str(path), "unreadable", reason=error.strerror)]) from None
    if size > MAX_FILE_BYTES:
        megabytes = MAX_FILE_BYTES // (1024 * 1024)
        raise StandardFileError([problem(str(path), "too_large", megabytes=megabytes)])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StandardFileError([problem(str(path), "not_utf8")]) from None


def _yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _DuplicateKeyError as error:
        line, column = error.mark.line + 1, error.mark.column + 1
        raise StandardFileError(
            [problem("", "duplicate_key", line=line, column=column, key=error.key)]
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        at = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
        raise StandardFileError(
            [problem("", "invalid_yaml", problem=error.problem, **at)]
        ) from None
    except yaml.YAMLError as error:
        raise StandardFileError([problem("", "invalid_yaml", problem=str(error))]) from None


# --- one version written as another plus changes ------------------------------------------

# A file may extend another of the same folder: it takes that file's sections below unless it
# gives them itself, and always gives its own code, version and status.
INHERITED_SECTIONS = ("title", "principles", "worker_survey")
MAX_EXTENDS_DEPTH = 8
_SAME_FOLDER_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:yaml|yml|json)$")


def _file_data(path: Path, chain: tuple[Path, ...]) -> Any:
    data = _yaml(_file_text(path))
    if isinstance(data, dict) and "extends" in data:
        data = _extended(path, data, chain)
    return data


def _extended(path: Path, data: dict, chain: tuple[Path, ...]) -> dict:
    name = data["extends"]
    if not isinstance(name, str) or not _SAME_FOLDER_FILE.match(name):
        raise StandardFileError([problem("extends", "extends_not_same_folder")])
    here = path.resolve()
    base_path = path.parent / name
    if base_path.resolve() in (*chain, here):
        raise StandardFileError([problem("extends", "extends_cycle", file=name)])
    if len(chain) + 1 >= MAX_EXTENDS_DEPTH:
        raise StandardFileError([problem("extends", "extends_too_deep", limit=MAX_EXTENDS_DEPTH)])
    try:
        base = _file_data(base_path, (*chain, here))
        base_spec = validate_standard(base)  # the base must be a valid standard by itself
    except StandardFileError as error:
        raise StandardFileError(
            [problem("extends", "in_extended_file", file=name, problem=p) for p in error.problems]
        ) from None
    if (data.get("code"), data.get("version")) == (base_spec.code, base_spec.version):
        version = base_spec.version
        raise StandardFileError(
            [problem("version", "same_version_as_extended", version=version, file=name)]
        )
    merged = {key: base[key] for key in INHERITED_SECTIONS if key in base}
    merged.update((key, value) for key, value in data.items() if key != "extends")
    return merged
