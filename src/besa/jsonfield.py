"""A JSONField encoded and decoded with orjson.

Logbook payloads, contract snapshots and alert evidence are written on every append; the
standard library's json module was a tenth of the append's time. The stored JSON is the same
(orjson writes compact, standard JSON), so switching is a code change only.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.db import models
from django.db.models import expressions


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


class FastJSONField(models.JSONField):
    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if isinstance(value, expressions.Value) and isinstance(
            value.output_field, models.JSONField
        ):
            value = value.value
        elif hasattr(value, "as_sql"):
            return value
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return Jsonb(value, dumps=_dumps)
        return _dumps(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, str | bytes) and not isinstance(
            expression, models.fields.json.KeyTransform
        ):
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                return value
        return super().from_db_value(value, expression, connection)
