"""The ONNX converter of `dates.DateParts`: date parts computed inside the graph.

ONNX cannot parse date text, so the graph takes each date as seconds since 1970-01-01 UTC (NaN
for missing) and computes year, month, day, day of week and hour from it with integer arithmetic
on doubles: the days-to-civil-date algorithm of Howard Hinnant's "chrono-compatible low-level
date algorithms", which is exact for every date pandas can hold. NaN stays NaN in every part,
as DateParts gives the imputer NaN for a missing date.
"""

from __future__ import annotations

from typing import Any

from onnx import TensorProto
from skl2onnx import get_model_alias, update_registered_converter
from skl2onnx.common.data_types import FloatTensorType

from .dates import DateParts

SECONDS_PER_DAY = 86_400.0
#: Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar; days in 400 years.
EPOCH_SHIFT, ERA_DAYS = 719_468.0, 146_097.0


class _Graph:
    """Adds nodes to skl2onnx's container, each output under a fresh name."""

    def __init__(self, scope: Any, container: Any) -> None:
        self.scope, self.container = scope, container

    def const(self, value: float) -> str:
        name = self.scope.get_unique_variable_name("c")
        self.container.add_initializer(name, TensorProto.DOUBLE, [], [value])
        return name

    def op(self, op_type: str, *inputs: str, **attrs: Any) -> str:
        out = self.scope.get_unique_variable_name(op_type.lower())
        node = self.scope.get_unique_operator_name(op_type)
        self.container.add_node(op_type, list(inputs), [out], name=node, **attrs)
        return out

    def floor_div(self, x: str, by: float) -> str:
        return self.op("Floor", self.op("Div", x, self.const(by)))

    def minus_times(self, x: str, y: str, times: float) -> str:
        """x - y * times"""
        return self.op("Sub", x, self.op("Mul", y, self.const(times)))

    def flag(self, compare: str, x: str, value: float) -> str:
        """1.0 where `x compare value` holds, else 0.0 (also for NaN)."""
        return self.op("Cast", self.op(compare, x, self.const(value)), to=TensorProto.DOUBLE)


def _parts(g: _Graph, seconds: str) -> dict[str, str]:
    """year, month, day, day_of_week (Monday = 0) and hour of seconds since the epoch."""
    days = g.floor_div(seconds, SECONDS_PER_DAY)
    hour = g.floor_div(g.minus_times(seconds, days, SECONDS_PER_DAY), 3600.0)
    z = g.op("Add", days, g.const(EPOCH_SHIFT))
    era = g.floor_div(z, ERA_DAYS)
    doe = g.minus_times(z, era, ERA_DAYS)  # day of the era, 0..146096
    leap_days = g.op(
        "Add",
        g.op("Sub", g.floor_div(doe, 1460.0), g.floor_div(doe, 36524.0)),
        g.floor_div(doe, 146096.0),
    )
    yoe = g.floor_div(g.op("Sub", doe, leap_days), 365.0)  # year of the era, 0..399
    year_start = g.op(
        "Sub",
        g.op("Add", g.op("Mul", yoe, g.const(365.0)), g.floor_div(yoe, 4.0)),
        g.floor_div(yoe, 100.0),
    )
    doy = g.op("Sub", doe, year_start)  # day of the year from March 1st, 0..365
    mp = g.floor_div(g.op("Add", g.op("Mul", doy, g.const(5.0)), g.const(2.0)), 153.0)
    month_start = g.floor_div(g.op("Add", g.op("Mul", mp, g.const(153.0)), g.const(2.0)), 5.0)
    day = g.op("Add", g.op("Sub", doy, month_start), g.const(1.0))
    month = g.minus_times(g.op("Add", mp, g.const(3.0)), g.flag("GreaterOrEqual", mp, 10.0), 12.0)
    year = g.op(
        "Add",
        g.op("Add", yoe, g.op("Mul", era, g.const(400.0))),
        g.flag("LessOrEqual", month, 2.0),
    )
    shifted = g.op("Add", days, g.const(3.0))  # 1970-01-01 was a Thursday (3)
    weekday = g.minus_times(shifted, g.floor_div(shifted, 7.0), 7.0)
    return {"year": year, "month": month, "day": day, "day_of_week": weekday, "hour": hour}


def _parse(scope: Any, model: DateParts, inputs: list[Any], custom_parsers: Any = None) -> list:
    """Declares the output as floats from the start, so the steps after it expect floats."""
    operator = scope.declare_local_operator(get_model_alias(type(model)), model)
    operator.inputs = inputs
    operator.outputs.append(scope.declare_local_variable("date_parts", FloatTensorType()))
    return operator.outputs


def _shape(operator: Any) -> None:
    parts = operator.raw_operator.parts_
    rows = operator.inputs[0].get_first_dimension()
    width = sum(len(names) for names in parts.values())
    operator.outputs[0].type = FloatTensorType([rows, width])


def _convert(scope: Any, operator: Any, container: Any) -> None:
    g = _Graph(scope, container)
    columns = []
    for index, wanted in enumerate(operator.raw_operator.parts_.values()):
        where = scope.get_unique_variable_name("column")
        container.add_initializer(where, TensorProto.INT64, [1], [index])
        seconds = g.op("Gather", operator.inputs[0].full_name, where, axis=1)
        parts = _parts(g, seconds)
        columns += [parts[name] for name in wanted]
    # Computed on doubles (a float has too few digits for seconds), given on as floats: the
    # model's operators in onnxruntime take floats.
    parts = g.op("Concat", *columns, axis=1)
    container.add_node(
        "Cast",
        [parts],
        operator.outputs[0].full_name,
        name=scope.get_unique_operator_name("Cast"),
        to=TensorProto.FLOAT,
    )


def register() -> None:
    """Tell skl2onnx how to convert DateParts (idempotent)."""
    alias = f"{__package__}DateParts"
    update_registered_converter(DateParts, alias, _shape, _convert, parser=_parse)
