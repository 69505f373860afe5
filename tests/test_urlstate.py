"""URL parameters are hostile input: every bad value is clamped or dropped with a notice, never raised."""
import pytest

from explainer.urlstate import BoolParam, ChoiceParam, FloatParam, IntParam, TokenParam, parse_one, parse_query

LR = FloatParam("lr", 1e-3, 1e-5, 1.0)
STEPS = IntParam("steps", 2000, 100, 20000)
SEED = IntParam("seed", 0, 0, 9999)
LOSS = ChoiceParam("loss", "nonsaturating", ("minimax", "nonsaturating", "hinge"))
EMA = BoolParam("ema", False)
POINTS = TokenParam("points", "")
SPECS = [LR, STEPS, SEED, LOSS, EMA]


def test_good_values_are_taken_without_notice():
    values, notices, unknown = parse_query(
        SPECS, {"lr": ["0.01"], "steps": ["500"], "seed": ["7"], "loss": ["Hinge"], "ema": ["1"]})
    assert values == {"lr": 0.01, "steps": 500, "seed": 7, "loss": "hinge", "ema": True}
    assert notices == [] and unknown == []


def test_absent_values_take_defaults():
    values, notices, _ = parse_query(SPECS, {})
    assert values == {s.key: s.default for s in SPECS} and notices == []


@pytest.mark.parametrize("spec, raw, expected", [
    (LR, "abc", 1e-3),  # garbled
    (LR, "nan", 1e-3),  # not a finite number
    (LR, "inf", 1e-3),
    (LR, "-1e400", 1e-3),  # exponent out of what we parse
    (LR, "5", 1.0),  # clamped to the top
    (LR, "0", 1e-5),  # clamped to the bottom
    (STEPS, "1e99", 20000),  # huge
    (STEPS, "12.7", 100),  # not whole, and below the minimum after rounding? 12.7 < 100: clamped
    (STEPS, "2500.5", 2500),  # rounded, with a notice
    (SEED, "-5", 0),  # negative
    (SEED, "５", 0),  # unicode digit: rejected, not silently accepted
    (SEED, "0x10", 0),
    (SEED, "x" * 10_000, 0),  # very long
    (LOSS, "<script>alert(1)</script>", "nonsaturating"),
    (LOSS, "", "nonsaturating"),
    (EMA, "maybe", False),
    (POINTS, "../../etc/passwd", ""),  # becomes a file name: only hex ids pass
    (POINTS, "ABCDEF012345", ""),
])
def test_hostile_values_are_fixed_with_a_notice(spec, raw, expected):
    value, notice = parse_one(spec, [raw])
    assert value == expected
    assert notice and f"`{spec.key}" in notice
    assert len(notice) < 300  # a long value is not echoed back in full


def test_ints_accept_exponent_notation():
    assert isinstance(parse_one(STEPS, ["1e3"])[0], int) and parse_one(STEPS, ["1e3"]) == (1000, None)


def test_numeric_choices_match_by_value():
    rates = ChoiceParam("lr", 1e-3, (1e-4, 1e-3, 10.0))
    assert parse_one(rates, ["0.0001"]) == (1e-4, None) and parse_one(rates, ["1e-4"]) == (1e-4, None)
    assert parse_one(rates, ["10"]) == (10.0, None) and rates.encode(10.0) == "10"
    value, notice = parse_one(rates, ["0.5"])
    assert value == 1e-3 and "0.0001, 0.001, 10" in notice


def test_repeated_keys_take_the_last_and_say_so():
    value, notice = parse_one(SEED, ["1", "2", "3"])
    assert value == 3 and "3 times" in notice


def test_unknown_keys_are_reported_for_dropping():
    values, notices, unknown = parse_query(SPECS, {"lr": ["0.01"], "évil": ["1"], "present": ["1"]}, keep=["present"])
    assert unknown == ["évil"] and values["lr"] == 0.01
    assert any("unknown" in n for n in notices)


def test_encode_round_trips():
    for spec, value in [(LR, 0.0003), (STEPS, 1234), (LOSS, "hinge"), (EMA, True), (EMA, False),
                        (POINTS, "0123456789ab")]:
        assert parse_one(spec, [spec.encode(value)]) == (value, None)
