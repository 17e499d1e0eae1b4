"""Load and validate the coach's content files (YAML under ``bot/content``).

Content is data: an organisation can point ``COACH_CONTENT_DIR`` at a folder of
its own files. A file found there replaces the default file of the same name;
files it does not provide fall back to the defaults shipped here.

Every loader validates against a pydantic schema and raises
:class:`ContentError` naming the file and the field that is wrong.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, List, Optional, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError, parse_obj_as

from bot.settings import DEFAULT_CONTENT_DIR, load_settings

T = TypeVar("T", bound=BaseModel)


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match its schema."""


class Sourced(BaseModel):
    """Mixin for items that state an external fact: where from, and when checked."""

    source: str
    last_checked: dt.date


def content_path(filename: str, directory: Optional[Path] = None) -> Path:
    """Where ``filename`` is read from: the override folder first, then the defaults."""
    override = directory if directory is not None else load_settings().content_dir
    if override is not None and (override / filename).exists():
        return override / filename
    return DEFAULT_CONTENT_DIR / filename


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, turning parse errors into :class:`ContentError`."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from exc


def _describe(path: Path, key: str, error: ValidationError, data: Any) -> str:
    lines = [f"{path}: invalid content"]
    for problem in error.errors():
        # parse_obj_as wraps the list in a "__root__" model; that is noise to a content author.
        loc: list[Any] = [part for part in problem["loc"] if part != "__root__"]
        where = key
        if loc and isinstance(loc[0], int):
            index: int = loc.pop(0)
            where += f"[{index}]"
            item = data[index] if isinstance(data, list) and index < len(data) else None
            if isinstance(item, dict) and "id" in item:
                where += f" (id: {item['id']})"
        field = ".".join(str(part) for part in loc)
        lines.append(f"  {where}{'.' + field if field else ''}: {problem['msg']}")
    return "\n".join(lines)


def load_items(filename: str, schema: Type[T], key: str = "items", directory: Optional[Path] = None) -> List[T]:
    """Load the list under ``key`` in ``filename`` as ``schema`` objects.

    Raises :class:`ContentError` with the file name, the item (index and id)
    and the field whenever the content does not match the schema.
    """
    path = content_path(filename, directory)
    data = read_yaml(path)
    if not isinstance(data, dict) or key not in data:
        raise ContentError(f"{path}: expected a top-level '{key}:' list")
    items = data[key]
    if not isinstance(items, list):
        raise ContentError(f"{path}: '{key}' must be a list")
    try:
        parsed = parse_obj_as(List[schema], items)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise ContentError(_describe(path, key, exc, items)) from exc
    ids = [getattr(item, "id", None) for item in parsed]
    duplicated = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if duplicated:
        raise ContentError(f"{path}: duplicate id(s) in '{key}': {', '.join(duplicated)}")
    return parsed


@cache
def cached_items(filename: str, schema: Type[T], key: str = "items") -> List[T]:
    """:func:`load_items` from the configured folders, read once per process."""
    return load_items(filename, schema, key)
