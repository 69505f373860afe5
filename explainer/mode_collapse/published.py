"""PacGAN's published Table 1 (Lin et al., NeurIPS 2018) beside our runs, and the sentence that compares them.

Every published cell below is copied as printed from the table image in the authors' repository (SOURCE) and
was checked cell by cell against a copy of that image (shared/references/pacgan-table1.png). Our numbers are not
stored here: they are the shipped runs' scores (the ring's and the grid's, `OURS` names which run gives each
row), summarised when the page draws (the caller passes them in).
"""
import math
import re
from dataclasses import dataclass

import pandas as pd

from explainer.gan.presets import PRESETS

CITATION = ("Z. Lin, A. Khetan, G. Fanti, S. Oh, \"PacGAN: The power of two samples in generative adversarial "
            "networks\", NeurIPS 2018 (arXiv:1712.04086), Table 1, as published in the authors' repository")
SOURCE = {
    "repository": "github.com/fjxmlzn/PacGAN",
    "file": "synthetic_data_experiments/results/Table1.png",
    "commit": "f9282c77ca45cb8419a8262f2a203150f535a684",  # added 29 Jan 2018
    "unchanged at": "190853e56d6e7843c0d991dc64658cfb3311135e",
    "caption": "Two measures of mode collapse proposed in [44] for two synthetic mixtures of Gaussians: number "
               "of modes captured by the generator and percentage of high quality samples, as well as reverse "
               "KL. Our results are averaged over 10 trials shown with the standard error.",
    "version note": "The image predates the NeurIPS camera-ready; its reference numbers ([15], [12], [44]) are "
                    "the early arXiv version's.",
}
VERIFIED = True  # every cell of TABLE1 checked against the image, 2 Dec 2026

# (key, label as shown, higher is better)
COLUMNS = (
    ("ring modes", "ring: modes (of 8)", True),
    ("ring high quality", "ring: high quality", True),
    ("ring reverse KL", "ring: reverse KL", False),
    ("grid modes", "grid: modes (of 25)", True),
    ("grid high quality", "grid: high quality", True),
    ("grid reverse KL", "grid: reverse KL", False),
)
KEYS = tuple(k for k, _, _ in COLUMNS)
LABEL = {k: label for k, label, _ in COLUMNS}
SHORT = {k: label.split(": ", 1)[1] for k, label, _ in COLUMNS}  # the column's name within its part's table
HIGHER_IS_BETTER = {k: up for k, _, up in COLUMNS}
RING, GRID = KEYS[:3], KEYS[3:]

# Table 1 as printed: mean ± standard error over 10 trials, in the order of COLUMNS
TABLE1: dict[str, tuple[str, str, str, str, str, str]] = {
    "GAN": ("6.3 ± 0.5", "98.2 ± 0.2 %", "0.45 ± 0.09", "17.3 ± 0.8", "94.8 ± 0.7 %", "0.70 ± 0.07"),
    "ALI": ("6.6 ± 0.3", "97.6 ± 0.4 %", "0.36 ± 0.04", "24.1 ± 0.4", "95.7 ± 0.6 %", "0.14 ± 0.03"),
    "PacGAN2": ("7.9 ± 0.1", "95.6 ± 2.0 %", "0.07 ± 0.03", "23.8 ± 0.7", "91.3 ± 0.8 %", "0.13 ± 0.04"),
    "PacGAN3": ("7.8 ± 0.1", "97.7 ± 0.3 %", "0.10 ± 0.02", "24.6 ± 0.4", "94.2 ± 0.4 %", "0.06 ± 0.02"),
    "PacGAN4": ("7.8 ± 0.1", "95.9 ± 1.4 %", "0.07 ± 0.02", "24.8 ± 0.2", "93.6 ± 0.6 %", "0.04 ± 0.01"),
}
TRIALS = 10

@dataclass(frozen=True)
class OurRow:
    """One of our rows: its label, the shipped run that gives its cells on each part ("ring", "grid"), and the
    published rows each part is compared with (their "GAN" is the plain non-saturating GAN)."""
    label: str
    runs: dict[str, str]
    answers: dict[str, tuple[str, ...]]


OURS = {
    "vanilla": OurRow("vanilla (plain GAN)", {"ring": "vanilla"}, {"ring": ("GAN",)}),
    "pacgan": OurRow("pacgan (PacGAN2)", {"ring": "pacgan"}, {"ring": ("PacGAN2",)}),
    # one recipe on both data sets; on the grid also against their best grid row
    "best": OurRow("best (PacGAN2 + EMA of G, 128 wide)", {"ring": "best", "grid": "best-grid"},
                   {"ring": ("PacGAN2",), "grid": ("PacGAN2", "PacGAN4")}),
}
PART_KEYS = {"ring": RING, "grid": GRID}

PROTOCOL = {
    "data": "ring of 8 (σ = 0.01) and grid of 25 (σ = 0.05), 100,000 training points drawn once",
    "generator": "z (2-d normal) → 4 × 400 ReLU with batch norm → 2",
    "discriminator": "3 maxout layers (200 units, 5 pieces) on m packed samples",
    "loss": "non-saturating (softplus)",
    "optimiser": "Adam, learning rate 1e-4, β1 = 0.8, batch of 100 packs",
    "length": "400,000 iterations (one D and one G update each)",
    "trials": "10 per method",
    "evaluation": "2,500 samples; high quality = within 3σ of the nearest mode; a mode is covered when it has "
                  "at least one high-quality sample; the released code logs the entropy of the mode histogram, "
                  "not reverse KL (reading it as KL against uniform is our inference)",
}

_CELL = re.compile(r"^\s*(-?[\d.]+)(?:\s*±\s*([\d.]+))?\s*(%?)\s*$")


def parse(cell: str) -> tuple[float, float]:
    """"6.3 ± 0.5" -> (6.3, 0.5); "87.6 %" -> (87.6, nan): a cell without "±" has no recorded error."""
    m = _CELL.match(cell)
    if m is None:
        raise ValueError(f"not a table cell: {cell!r}")
    return float(m.group(1)), float(m.group(2)) if m.group(2) else math.nan


def published(row: str) -> dict[str, tuple[float, float]]:
    """One published row as {column key: (mean, standard error)}."""
    return {k: parse(cell) for k, cell in zip(KEYS, TABLE1[row], strict=True)}


def part_cells(part: str, summary: dict[str, tuple[float, float]]) -> dict[str, str]:
    """Our cells of one part ("ring" or "grid") from summary.summarize (high quality there is a share, shown
    in %)."""
    def cell(name: str, scale: float, fmt: str, unit: str = "") -> str:
        mean, se = summary.get(name, (math.nan, math.nan))
        if math.isnan(mean):
            return "n/a"
        return f"{fmt.format(scale * mean)} ± {fmt.format(scale * se)}{unit}"

    kl = summary.get("reverse_kl", (math.nan, math.nan))[0]
    modes, hq, rkl = PART_KEYS[part]
    return {modes: cell("modes_covered", 1, "{:.2f}"),
            hq: cell("high_quality", 100, "{:.1f}", " %"),
            rkl: cell("reverse_kl", 1, "{:.4f}" if abs(kl) < 0.01 else "{:.3f}")}


def values(cells: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Cells back to (mean, se), skipping the empty and "n/a" ones."""
    out = {}
    for k, c in cells.items():
        try:
            out[k] = parse(c)
        except ValueError:
            continue
    return out


def our_cells(summaries: dict[str, dict[str, tuple[float, float]] | None]) -> dict[str, str]:
    """One of our rows as cells, from its runs' summaries ({part: summary, None while not trained}); "" where
    the row has no run."""
    cells = dict.fromkeys(KEYS, "")
    for part, summary in summaries.items():
        if summary is not None:
            cells.update(part_cells(part, summary))
    return cells


def our_rows(load) -> dict[str, dict[str, tuple[int, dict] | None]]:
    """{preset: {part: (seeds, summary) of the run behind it, or None while not trained}} for our rows, with
    `load(config)` giving a config's finished result or None (the page asks its job registry, the bench its
    store)."""
    from explainer.mode_collapse.summary import summarize

    rows = {}
    for name, row in OURS.items():
        rows[name] = {}
        for part, preset in row.runs.items():
            result = load(PRESETS[preset])
            rows[name][part] = None if result is None else (len(result.metrics), summarize(result.metrics))
    return rows


def cells_of(ours: dict[str, dict[str, tuple[int, dict] | None]]) -> dict[str, dict[str, str]]:
    """our_rows' summaries as each row's cells, for `comparisons`."""
    return {name: our_cells({part: run and run[1] for part, run in parts.items()}) for name, parts in ours.items()}


def their_label(row: str) -> str:
    return f"{row} (Lin et al.)"


def our_label(name: str) -> str:
    return f"ours: {OURS[name].label}"


def table(part: str, ours: dict[str, dict[str, tuple[int, dict] | None]] | None = None) -> pd.DataFrame | None:
    """One of two aligned tables, `part` "ring" or "grid": Table 1's rows, then ours ({preset: {part: (seeds,
    summary) of its shipped run, or None while not trained}}; a row appears on the parts it has a run for), one
    column per score; None while the published numbers are not checked."""
    if not (VERIFIED and TABLE1):
        return None
    keys = PART_KEYS[part]
    rows = [{"method": their_label(name), "runs": f"{TRIALS} trials", **dict(zip(KEYS, cells, strict=True))}
            for name, cells in TABLE1.items()]
    for name, parts in (ours or {}).items():
        if part not in OURS[name].runs:
            continue
        run = parts.get(part)
        rows.append({"method": our_label(name),
                     "runs": "not trained yet" if run is None else f"{run[0]} seeds, the shipped run",
                     **our_cells({part: None if run is None else run[1]})})
    return pd.DataFrame(rows)[["method", "runs", *keys]].rename(columns={k: SHORT[k] for k in keys})


def compare(ours: dict[str, tuple[float, float]], theirs: dict[str, tuple[float, float]],
            ours_name: str, theirs_name: str, keys: tuple[str, ...] = KEYS) -> str:
    """One sentence saying where `ours` is better, worse, or level (the gap within the two standard errors
    combined) than `theirs`, column by column, from the numbers. A missing error counts as 0."""
    verdicts: dict[str, list[str]] = {"better": [], "worse": [], "level": []}
    for k in keys:
        if k not in ours or k not in theirs:
            continue
        (m1, e1), (m2, e2) = ours[k], theirs[k]
        tol = math.hypot(0.0 if math.isnan(e1) else e1, 0.0 if math.isnan(e2) else e2)
        gap = m1 - m2
        verdict = "level" if abs(gap) <= tol else "better" if (gap > 0) == HIGHER_IS_BETTER[k] else "worse"
        unit = " %" if k.endswith("high quality") else ""
        verdicts[verdict].append(f"{k.split(' ', 1)[1]} ({_num(m1)}{unit} vs {_num(m2)}{unit})")
    if not any(verdicts.values()):
        return f"Our {ours_name} and their {theirs_name} share no measured column."
    parts = [f"{word} on {_join(items)}" for word, items in
             (("better", verdicts["better"]), ("worse", verdicts["worse"]),
              ("level (within the standard errors)", verdicts["level"])) if items]
    return f"Our {ours_name} against their {theirs_name}: " + "; ".join(parts) + "."


def comparisons(ours: dict[str, dict[str, str]]) -> list[str]:
    """The sentences for each of our rows ({preset: cells}): on each part it has a run for, against each
    published row it answers."""
    return [compare(values(cells), published(row), f"{OURS[name].label} on the {part}", row, PART_KEYS[part])
            for name, cells in ours.items() for part, rows in OURS[name].answers.items() for row in rows]


def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1 else f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def our_protocol() -> dict[str, str]:
    """Our setting, aspect by aspect (the keys of PROTOCOL), read from the presets so it cannot drift."""
    v, p, b, g = PRESETS["vanilla"], PRESETS["pacgan"], PRESETS["best"], PRESETS[OURS["best"].runs["grid"]]
    return {
        "data": f"ring of 8 (σ = 0.01) for every preset; grid of 25 (σ = 0.05) for best ({g.dataset}); fresh "
                "samples every step",
        "generator": f"z ({v.z_dim}-d normal) → {v.g_depth} × {v.g_width} ReLU ({b.g_width} wide for best), "
                     "no batch norm → 2",
        "discriminator": f"{v.d_depth} × {v.d_width} LeakyReLU(0.2) ({b.d_width} wide for best) on m packed "
                         f"samples (m = {v.pack} vanilla, {p.pack} pacgan and best)",
        "loss": f"{v.loss.replace('nonsaturating', 'non-saturating')}",
        "optimiser": f"Adam, learning rate {v.lr_g:g} (G) and {v.lr_d:g} (D), β1 = {v.betas[0]:g}, batch of "
                     f"{v.batch_size} packs ({b.batch_size} for best); best evaluates an EMA of G "
                     f"(decay {b.ema:g})",
        "length": f"{v.steps:,} G steps ({v.d_steps} D update each) for vanilla and pacgan; {b.steps:,} for best",
        "trials": f"{v.n_seeds} seeds for vanilla, {p.n_seeds} for pacgan, {b.n_seeds} for best on each data "
                  "set, trained together as one batched model",
        "evaluation": "the same 2,500 samples, 3σ rule and modes covered; reverse KL of the high-quality mode "
                      "histogram against uniform (explained above)",
    }
