"""Reading a standard file: safe YAML (JSON being YAML), size and encoding checked, then
validated. Pure Python: no Django."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scoring.standard_file.spec import StandardSpec
from scoring.standard_file.validation import StandardFileError, validate_standard

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
    pass


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
            mark = key_node.start_mark
            raise _DuplicateKeyError(
                f"line {mark.line + 1}, column {mark.column + 1}: duplicate key {key!r}"
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_standard_file(path: str | Path) -> StandardSpec:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise StandardFileError([f"{path}: cannot be read ({error.strerror})"]) from None
    if size > MAX_FILE_BYTES:
        raise StandardFileError([f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StandardFileError([f"{path}: not UTF-8 text"]) from None
    return parse_standard(text)


def parse_standard(text: str) -> StandardSpec:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _DuplicateKeyError as error:
        raise StandardFileError([str(error)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise StandardFileError([f"{where}: not valid YAML ({error.problem})"]) from None
    except yaml.YAMLError as error:
        raise StandardFileError([f"file: not valid YAML ({error})"]) from None
    return validate_standard(data)
