"""The contract every trainable config follows, so one job registry, run store and harness serve every topic.

    @dataclass(frozen=True)
    class CNNConfig(RunConfig):
        MODEL, SCHEMA = "digits_cnn", 3          # the key names both: bump SCHEMA when training changes meaning
        RULES = {"epochs": Range(1, 500, int), ...}   # explainer.checks: checked when the config is made
        device = "cpu"                           # declared ("cpu" where a GPU buys nothing, "auto" where it does)
        epochs: int = 12
        seed: int = 0
        @property
        def steps(self) -> int: ...             # the progress units train() ticks through (progress_units)
        def train(self, run) -> TrainResult:     # run: explainer.runs.context.Run (progress, stop, randomness)

`key()` is the run's content address in the store: the sha256 of the canonical JSON of MODEL, SCHEMA and
`key_fields()` (the fields, unless a config adds what else its run depends on). `seed` seeds every random stream
of the run (Run.generator); `device` is read by the registry, never guessed.
"""
import hashlib
import json
from typing import ClassVar

from explainer.checks import Config

DEVICES = ("auto", "cpu", "cuda", "mps")


class RunConfig(Config):
    MODEL: ClassVar[str]
    SCHEMA: ClassVar[int]
    device = "cpu"  # a class-wide declaration; a config whose device the viewer picks makes it a field

    def key_fields(self) -> dict:
        """What the key hashes besides MODEL and SCHEMA: the fields, by default."""
        return self.to_dict()

    def key(self) -> str:
        cached = self.__dict__.get("_key")
        if cached is None:
            text = json.dumps({"model": self.MODEL, "schema": self.SCHEMA, "config": self.key_fields()},
                              sort_keys=True, separators=(",", ":"), allow_nan=False)
            cached = hashlib.sha256(text.encode()).hexdigest()
            object.__setattr__(self, "_key", cached)  # not a field: eq, hash and to_dict ignore it
        return cached

    @property
    def progress_units(self) -> int:
        """How many units train() ticks through (its progress bar's length): `steps` unless a config says more."""
        return self.steps

    def predicted_s(self) -> float | None:
        """Seconds to train on one CPU thread of the development machine, from the config's sizes, for the cost
        guard (explainer.runs.cost); None where a viewer cannot size the run (the default)."""
        return None

    def train(self, run):
        """Train and return a TrainResult; see explainer.runs.context for what `run` offers."""
        raise NotImplementedError

    @classmethod
    def of(cls, result):
        """The config a stored run was trained with."""
        return cls.from_dict(result.config_dict)
