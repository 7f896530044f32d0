"""Every schema in /api/v1/openapi.json has a name of its own.

django-ninja builds each operation's schemas separately and merges their definitions by name, so
two different pydantic models with the same class name silently become one component, and a
generated client then rejects the responses of whichever operation lost.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Iterator
from enum import Enum

from django.test import Client
from ninja.operation import Operation
from pydantic import BaseModel

from waypoint.config.api import api


def _operations() -> Iterator[Operation]:
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            yield from (op for op in path_view.operations if op.include_in_schema)


def _named_types(annotation: object) -> Iterator[type]:
    """Models and enumerations inside a type annotation (list[X], X | None, dict[str, X]…)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Enum):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _named_types(argument)


def _schema_classes() -> set[type]:
    """Every model and enumeration the operations take or answer, however deeply nested.

    The operation's own parameter and response models are django-ninja's wrappers, which never
    become components; what they hold does."""
    found: set[type] = set()
    pending: list[type] = []
    for op in _operations():
        wrappers = [*op.models, *(m for m in op.response_models.values() if m is not None)]
        for wrapper in wrappers:
            for field in wrapper.model_fields.values():
                pending.extend(_named_types(field.annotation))
    while pending:
        cls = pending.pop()
        if cls in found:
            continue
        found.add(cls)
        if issubclass(cls, BaseModel):
            for field in cls.model_fields.values():
                pending.extend(_named_types(field.annotation))
    return found


def test_no_two_schemas_share_a_component_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _schema_classes():
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert shared == {}


def test_every_schema_the_operations_use_is_a_component_and_no_other(db: None) -> None:
    components = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    used = {cls.__name__ for cls in _schema_classes()}
    assert set(components) == used
