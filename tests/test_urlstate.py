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
    values, notices, fixes = parse_query(
        SPECS, {"lr": ["0.01"], "steps": ["500"], "seed": ["7"], "loss": ["Hinge"], "ema": ["1"]})
    assert values == {"lr": 0.01, "steps": 500, "seed": 7, "loss": "hinge", "ema": True}
    assert notices == [] and fixes == {}


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
    assert notice and notice.count(f"`{spec.key}") == 1  # named, once
    assert len(notice) < 300  # a long value is not echoed back in full


def test_ints_accept_exponent_notation():
    assert isinstance(parse_one(STEPS, ["1e3"])[0], int) and parse_one(STEPS, ["1e3"]) == (1000, None)


def test_numeric_choices_match_by_value():
    rates = ChoiceParam("lr", 1e-3, (1e-4, 1e-3, 10.0))
    assert parse_one(rates, ["0.0001"]) == (1e-4, None) and parse_one(rates, ["1e-4"]) == (1e-4, None)
    assert parse_one(rates, ["10"]) == (10.0, None) and rates.encode(10.0) == "10"


RATES = ChoiceParam("lr", 1e-3, (1e-4, 2e-4, 5e-4, 1e-3, 10.0))  # a select-slider's numbers
DECAYS = ChoiceParam("l2", 0.0, (0.0, 1e-3, 0.01, 0.1))  # one is 0: no log scale
BATCHES = ChoiceParam("batch", 16, (1, 2, 4, 8, 16, 32))


@pytest.mark.parametrize("spec, raw, expected, says", [
    (RATES, "0.0007", 5e-4, "using the nearest, 0.0005"),  # nearest on a log scale (linearly it is 0.001)
    (RATES, "0.5", 10.0, "using the nearest, 10"),
    (RATES, "3e-4", 2e-4, "not one of 0.0001, 0.0002, 0.0005, 0.001, 10"),  # the notice lists the options
    (RATES, "1e99", 10.0, "must be between 0.0001 and 10; using 10"),  # out of range: clamped
    (RATES, "0", 1e-4, "must be between 0.0001 and 10; using 0.0001"),
    (RATES, "abc", 1e-3, "not a number; using 0.001"),  # not a number at all: the default
    (RATES, "nan", 1e-3, "not a number"),
    (DECAYS, "0.0004", 0.0, "using the nearest, 0"),  # linear when a choice is 0
    (DECAYS, "0.04", 0.01, "using the nearest, 0.01"),
    (BATCHES, "7", 8, "using the nearest, 8"),
    (BATCHES, "-3", 1, "must be between 1 and 32"),
    (LOSS, "0.5", "nonsaturating", "not one of minimax, nonsaturating, hinge; using nonsaturating"),  # words: default
])
def test_an_off_list_number_snaps_to_the_nearest_option_and_a_word_falls_back(spec, raw, expected, says):
    value, notice = parse_one(spec, [raw])
    assert value == expected and type(value) is type(expected)
    assert says in notice and notice.count(f"`{spec.key}") == 1


def test_an_unknown_token_is_dropped_with_a_notice():
    stored = {"0123456789ab"}
    points = TokenParam("points", "", known=stored.__contains__, what="point set")
    assert parse_one(points, ["0123456789ab"]) == ("0123456789ab", None)
    value, notice = parse_one(points, ["ba9876543210"])
    assert value == "" and "`points='ba9876543210'`" in notice and "no point set" in notice
    value, notice = parse_one(points, ["a" * 3000])  # too long: never looked up, never echoed in full
    assert value == "" and "too long (3000 characters); ignored" in notice and len(notice) < 100


def test_parse_query_says_what_the_url_must_become():
    query = {"lr": ["abc"], "steps": ["1e99"], "seed": ["1", "2"], "loss": ["hinge"], "ema": ["1"],
             "zzz": ["1"], "present": ["maybe"]}
    values, notices, fixes = parse_query(SPECS + [IntParam("depth", 2, 0, 6)], query | {"depth": ["-1"]},
                                         keep=["present"])
    assert values == {"lr": 1e-3, "steps": 20000, "seed": 2, "loss": "hinge", "ema": True, "depth": 0}
    # garbled: removed (the default); clamped: rewritten; repeated: the last, once; unknown: removed; valid keys
    # and kept keys: untouched
    assert fixes == {"lr": None, "steps": "20000", "seed": "2", "depth": "0", "zzz": None}
    text = " ".join(notices)
    for key in ("lr", "steps", "seed", "depth", "zzz"):
        assert key in text, key
    assert "hinge" not in text and "present" not in text
    assert parse_query(SPECS, {"steps": ["99"]})[2] == {"steps": "100"}
    assert parse_query([IntParam("n", 5, 5, 9)], {"n": ["1"]})[2] == {"n": None}  # clamped onto the default


def test_repeated_keys_take_the_last_and_say_so():
    value, notice = parse_one(SEED, ["1", "2", "3"])
    assert value == 3 and "3 times" in notice


def test_unknown_keys_are_reported_for_dropping():
    values, notices, fixes = parse_query(SPECS, {"lr": ["0.01"], "évil": ["1"], "present": ["1"]}, keep=["present"])
    assert fixes == {"évil": None} and values["lr"] == 0.01
    assert any("unknown" in n for n in notices)


def test_encode_round_trips():
    for spec, value in [(LR, 0.0003), (STEPS, 1234), (LOSS, "hinge"), (EMA, True), (EMA, False),
                        (POINTS, "0123456789ab"), (RATES, 2e-4), (BATCHES, 32)]:
        assert parse_one(spec, [spec.encode(value)]) == (value, None)
    assert STEPS.canonical(2000) is None and STEPS.canonical(500) == "500"  # defaults stay out of the link
