"""The one range/choice checker every engine config uses: clear messages naming the field, normalised values."""
from dataclasses import dataclass

import numpy as np
import pytest

from explainer.checks import Choice, Each, Flag, Range, check_fields


@dataclass(frozen=True)
class Demo:
    steps: int = 10
    lr: float = 0.1
    loss: str = "hinge"
    ema: bool = False
    betas: tuple = (0.5, 0.9)


RULES = {"steps": Range(1, 1000, int), "lr": Range(0.0, 10.0, lo_open=True), "loss": Choice(("hinge", "lsgan")),
         "ema": Flag(), "betas": Each(Range(0.0, 0.9999), length=2), "absent": Range(0, 1)}


def make(**changes):
    demo = Demo(**changes)
    check_fields(demo, RULES)
    return demo


@pytest.mark.parametrize("field, value, message", [
    ("steps", 0, "steps: must be an integer in 1..1,000; got 0"),
    ("steps", 2.5, "steps: must be an integer in 1..1,000; got 2.5"),
    ("steps", True, "steps: must be an integer in 1..1,000; got True"),
    ("steps", "5", "steps: must be an integer in 1..1,000; got '5'"),
    ("lr", 0.0, "lr: must be a finite number in (0, 10]; got 0.0"),
    ("lr", float("nan"), "lr: must be a finite number in (0, 10]; got nan"),
    ("lr", np.bool_(True), "lr: must be a finite number in (0, 10]; got"),
    ("loss", "Hinge", "loss: must be one of hinge, lsgan; got 'Hinge'"),
    ("loss", None, "loss: must be one of hinge, lsgan; got None"),
    ("ema", 1, "ema: must be true or false; got 1"),
    ("betas", (0.5,), "betas: must be 2 values, each a finite number in [0, 0.9999]; got (0.5,)"),
    ("betas", "ab", "betas: must be 2 values"),
    ("betas", (0.5, 1.0), "betas: must be a finite number in [0, 0.9999]; got 1.0"),
])
def test_a_bad_value_raises_naming_the_field_the_rule_and_the_value(field, value, message):
    with pytest.raises(ValueError) as e:
        make(**{field: value})
    assert str(e.value).startswith(message)


def test_good_values_are_normalised_in_place_even_when_frozen():
    demo = make(steps=np.int64(7), lr=1, ema=np.bool_(True), betas=[0.5, 0.99])
    assert (demo.steps, demo.lr, demo.ema, demo.betas) == (7, 1.0, True, (0.5, 0.99))
    assert type(demo.steps) is int and type(demo.lr) is float and type(demo.ema) is bool
    assert hash(demo) == hash(make(steps=7, lr=1.0, ema=True, betas=(0.5, 0.99)))


def test_each_needs_at_least_one_item_unless_a_length_is_given():
    with pytest.raises(ValueError, match="sizes: must be one or more values"):
        Each(Range(1, 5, int)).check("sizes", ())
    assert Each(Range(1, 5, int)).check("sizes", [1, 5]) == (1, 5)


def test_clip_brings_a_number_into_range():
    assert Range(1, 5, int).clip(7.6) == 5 and Range(1, 5, int).clip(2.6) == 3 and Range(0.0, 1.0).clip(-3) == 0.0
