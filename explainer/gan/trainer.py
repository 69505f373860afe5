"""The batched GAN trainer: K seeds of one config trained together, with snapshots, metrics and safety nets.

    result = execute(config)    # explainer.runs.jobs: what the registry does for a job; config.train(run) -> here

One G step = config.d_steps D updates, then one G update, each on fresh per-seed random inputs:
    D: minimise L_D(D(pack(x + ε)), D(pack(G(z) + ε')))  [+ WGAN-GP penalty]
    G: minimise L_G(D_k(pack(G(z) + ε'')))  where D_k = D after k unrolled updates (k = 0: D itself)
with ε the annealed instance noise (0 when off). All K seeds share every kernel launch (see models.py).

Determinism: all randomness comes from per-seed generators (explainer.seeding.torch_generators), so on a CPU the
same config gives the same history, bit for bit. Divergence: losses are checked for NaN/inf (or a size beyond
BLOWUP) every step on the device (no sync) and weights every CHECK_EVERY steps; a seed found so is restored to its
last checked weights, frozen (its gradients and optimiser state zeroed, so Adam/RMSprop/SGD leave it unchanged),
flagged in `diverged`, and its later losses and scores are NaN. When every seed has diverged the run stops:
DIVERGED.
Mixed precision (bf16 autocast) runs only for image models on CUDA: 2D mixtures with σ = 0.01 need more
precision than bf16's 8 mantissa bits give near |x| = 1.
"""
import contextlib
import copy
import time

import numpy as np
import pandas as pd
import torch

from explainer.data import get_dataset
from explainer.device import describe, use_amp
from explainer.gan import losses
from explainer.gan.classifier import ClassifierConfig, digit_scores
from explainer.gan.metrics import N_EVAL, mixture_scores
from explainer.gan.models import build_models
from explainer.gan.remedies import ema_update, instance_noise_sigma, pack, unroll
from explainer.gan.snapshots import N_ARROWS, N_IMAGES, Z_EXTENT, snapshot_2d, snapshot_images
from explainer.gan.streams import Streams
from explainer.runs.context import Run
from explainer.runs.jobs import get_registry, resolve_device
from explainer.runs.result import DIVERGED, DONE, Snapshot, TrainResult
from explainer.seeding import torch_generators

CHECK_EVERY = 16  # G steps between checks of the weights for NaN/inf (each check syncs with the device)
LOG_POINTS = 500  # about this many history rows per seed; each row averages the losses since the last
OPT_STATE_KEYS = ("exp_avg", "exp_avg_sq", "momentum_buffer", "square_avg")
# A seed also counts as diverged when a loss or a weight exceeds this in size: healthy runs of these small
# models stay many orders of magnitude below it, while e.g. Adam at lr 10 sends D's logits past 1e11 with
# everything still finite.
BLOWUP = 1e6


def train(config, run: Run) -> TrainResult:
    """Train `config` for all its seeds; see the module docstring and explainer.runs.result for the output.

    Reports (run.tick) step 1 at once, then at least every run.due() period, at each snapshot (with it) and at
    the end. A stop ends it within one step (run.check_stop every step).
    """
    return _Training(config, run).run()


def initial_snapshot(config) -> Snapshot:
    """What the untrained models draw: the snapshot a run of `config` takes at step 0 (same seeds, same fixed
    inputs), without training. Fast (tens of milliseconds once torch is warm): pages show it before Train."""
    run = Run(config, device=resolve_device(config.device), require=get_registry().result_of)
    return _Training(config, run)._snapshot(0)


def _optimiser(name: str, params, lr: float, betas):
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=betas, fused=True)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    return torch.optim.SGD(params, lr=lr)


class _Training:
    def __init__(self, config, run: Run):
        c = self.c = config
        self.r = run
        self.device = run.device
        self.amp = use_amp(self.device.type) and c.is_image
        self.data = get_dataset(c.dataset, c.points)
        self.k = c.n_seeds
        self.g, self.d = (m.to(self.device) for m in build_models(c, tuple(self.data.shape)))
        self.g_ema = copy.deepcopy(self.g).requires_grad_(False) if c.ema > 0 else None
        self.opt_g = _optimiser(c.optimizer, self.g.parameters(), c.lr_g, c.betas)
        self.opt_d = _optimiser(c.optimizer, self.d.parameters(), c.lr_d, c.betas)
        self.streams = Streams(c, self.data, self.device)
        self.fixed = self._fixed_inputs()
        # divergence bookkeeping: `bad` is filled on the device every step, read every CHECK_EVERY steps
        self.alive = torch.ones(self.k, dtype=torch.bool, device=self.device)
        self.bad = torch.zeros(self.k, dtype=torch.bool, device=self.device)
        self.diverged = np.zeros(self.k, dtype=bool)
        self.any_dead = False  # mirrors diverged.any(): masking is skipped while everyone is alive
        self.stopped_at = np.full(self.k, c.steps)
        self.all_params = [*self.g.parameters(), *self.d.parameters(), *(self.g_ema.parameters() if self.g_ema else [])]
        self.saved = [p.detach().clone() for p in self.all_params]
        # logging: losses are summed on the device and averaged into a history row every log_every steps
        self.log_every = max(1, c.steps // LOG_POINTS)
        self.loss_sum = torch.zeros(2, self.k, device=self.device)
        self.n_sum = 0
        self.last = torch.full((2, self.k), float("nan"), device=self.device)  # no losses before step 1
        self.rows: list[tuple[int, torch.Tensor]] = []
        self.scores_at: dict[int, pd.DataFrame] = {}
        self.snapshots: list[Snapshot] = []

    # ---- fixed inputs for snapshots and scores -------------------------------------------------------------
    def _fixed_inputs(self) -> dict:
        c = self.c
        gens = torch_generators(c.seeds, "eval")
        a = -(-N_ARROWS // c.pack) * c.pack
        sizes = {"z_eval": N_EVAL}  # drawn first: sampling.generate(config, weights, N_EVAL) repeats it
        sizes.update({"z_images": N_IMAGES} if c.is_image else {"z_snap": c.snapshot_samples, "z_arrows": a})
        per_seed = [{name: torch.randn(n, c.z_dim, generator=g) for name, n in sizes.items()} for g in gens]
        return {name: torch.stack([s[name] for s in per_seed]).to(self.device) for name in sizes}

    # ---- one training step ------------------------------------------------------------------------------
    def _autocast(self):
        return torch.autocast("cuda", dtype=torch.bfloat16) if self.amp else contextlib.nullcontext()

    @staticmethod
    def _noisy(x, batch: dict, name: str, sigma: float, j: int | None = None):
        """x plus instance noise σ·batch[name] (slice j for the D updates); x itself when σ is 0."""
        if sigma == 0:
            return x
        noise = batch[name] if j is None else batch[name][j]
        return x + sigma * noise

    def _mask_dead_grads(self, module) -> None:
        dead = ~self.alive
        for p in module.parameters():
            if p.grad is not None:
                p.grad.masked_fill_(dead.view(-1, *[1] * (p.dim() - 1)), 0)

    def _d_pair(self, real, fake, params: dict | None = None):
        """D's outputs on a real and a fake batch (with `params` in place of D's own, when given).

        One call on both batches together, unless minibatch std needs to see them apart.
        """
        def d(x):
            return self.d(x) if params is None else torch.func.functional_call(self.d, params, (x,))

        if self.c.minibatch_std:
            return d(real), d(fake)
        return d(torch.cat([real, fake], dim=1)).split(real.shape[1], dim=1)

    def _d_step(self, batch, j: int, sigma: float) -> torch.Tensor:
        c = self.c
        with torch.no_grad(), self._autocast():
            fake = self.g(batch["zd"][j])
        real = pack(self._noisy(batch["x"][j], batch, "nr", sigma, j), c.pack)
        fake = pack(self._noisy(fake.float(), batch, "nf", sigma, j), c.pack)
        with self._autocast():
            ld = losses.d_loss(c.loss, *self._d_pair(real, fake))
            total = ld
            if c.loss == "wgan-gp":
                total = ld + losses.gradient_penalty(self.d, real, fake, batch["eps"][j])
        self.opt_d.zero_grad(set_to_none=True)
        total.sum().backward()
        if self.any_dead:
            self._mask_dead_grads(self.d)
        self.opt_d.step()
        return total.detach()

    def _unrolled_d(self, batch):
        """D's parameters after config.unrolled_steps differentiable updates (Metz et al. 2017).

        The unrolled updates reuse this step's last D batch and leave out WGAN-GP's penalty (a third
        order of derivatives for little change); they continue from D's Adam state when D uses Adam.
        """
        c = self.c
        params = dict(self.d.named_parameters())
        state = None
        if c.optimizer == "adam":
            state = {}
            for n, p in params.items():
                s = self.opt_d.state.get(p, {})
                state[n] = {"exp_avg": s.get("exp_avg", torch.zeros_like(p)),
                            "exp_avg_sq": s.get("exp_avg_sq", torch.zeros_like(p)), "step": s.get("step", 0)}
        real = pack(batch["x"][-1], c.pack)

        def d_loss_fn(ps):
            fake = pack(self.g(batch["zd"][-1]), c.pack)  # not detached: G's gradient flows through the unroll
            return losses.d_loss(c.loss, *self._d_pair(real, fake, ps))

        return unroll(params, d_loss_fn, c.unrolled_steps, c.lr_d, state, c.betas)

    def _g_step(self, batch, t: int, sigma: float) -> torch.Tensor:
        c = self.c
        unrolled = c.unrolled_steps > 0
        if not unrolled:
            self.d.requires_grad_(False)  # G's backward then skips D's weight gradients
        with self._autocast():
            fake = pack(self._noisy(self.g(batch["zg"]).float(), batch, "ng", sigma), c.pack)
            if unrolled:
                out = torch.func.functional_call(self.d, self._unrolled_d(batch), (fake,))
            else:
                out = self.d(fake)
            lg = losses.g_loss(c.loss, out)
        self.opt_g.zero_grad(set_to_none=True)
        lg.sum().backward()
        self.d.requires_grad_(True)
        if unrolled:
            self.d.zero_grad(set_to_none=True)
        if self.any_dead:
            self._mask_dead_grads(self.g)
        self.opt_g.step()
        if self.g_ema is not None:
            self._update_ema(t)
        return lg.detach()

    def _update_ema(self, t: int) -> None:
        ema, params = list(self.g_ema.parameters()), list(self.g.parameters())
        if not self.any_dead:
            ema_update(ema, params, self.c.ema, t)
            return
        before = [e.clone() for e in ema]
        ema_update(ema, params, self.c.ema, t)
        with torch.no_grad():
            for e, b in zip(ema, before, strict=True):  # a diverged seed's average stays frozen too
                e.copy_(torch.where(self.alive.view(-1, *[1] * (e.dim() - 1)), e, b))

    # ---- divergence ---------------------------------------------------------------------------------------
    def _check(self, t: int) -> None:
        """Flag seeds whose losses or weights went non-finite since the last check; restore and freeze them."""
        with torch.no_grad():
            bad = self.bad.clone()
            for p in self.all_params:
                bad |= ~(p.abs() <= BLOWUP).flatten(1).all(1)  # NaN and inf fail the test too
            new = (bad & self.alive).cpu().numpy()
            if new.any():
                idx = torch.as_tensor(np.flatnonzero(new), device=self.device)
                for p, s in zip(self.all_params, self.saved, strict=True):
                    p[idx] = s[idx]
                for opt in (self.opt_g, self.opt_d):
                    for state in opt.state.values():
                        for key in OPT_STATE_KEYS:
                            if torch.is_tensor(state.get(key)):
                                state[key][idx] = 0
                self.alive[idx] = False
                self.diverged |= new
                self.stopped_at[new] = t
                self.any_dead = True
            for p, s in zip(self.all_params, self.saved, strict=True):
                s.copy_(p)
            self.bad.zero_()

    # ---- snapshots and scores -------------------------------------------------------------------------------
    def _scores(self) -> pd.DataFrame:
        """Quality scores of the evaluated G (EMA when on) on N_EVAL samples per seed; NaN for diverged seeds."""
        g = self.g_ema if self.g_ema is not None else self.g
        with torch.no_grad(), self._autocast():
            x = g(self.fixed["z_eval"]).float().cpu().numpy()
        if getattr(self.data, "modes", None) is not None:
            scores = mixture_scores(x, self.data.modes, self.data.sigma)
        elif self.c.dataset == "digits":
            scores = digit_scores(self.r.require(ClassifierConfig()), x)
        else:
            return pd.DataFrame(index=range(self.k))
        scores = scores.astype(float)
        scores.loc[self.diverged] = np.nan
        return scores

    def _snapshot(self, t: int) -> Snapshot:
        self.g.eval(), self.d.eval()  # spectral norm: no power-iteration update while we look
        if self.c.is_image:
            arrays = snapshot_images(self.g, self.g_ema, self.fixed)
        else:
            arrays = snapshot_2d(self.c, self.g, self.d, self.g_ema, self.fixed, self.data.view)
        self.g.train(), self.d.train()
        scores = self._scores()
        self.scores_at[t] = scores
        arrays.update({name: scores[name].to_numpy(np.float32) for name in scores.columns
                       if not name.startswith("class_")})
        arrays["diverged"] = self.diverged.copy()
        snap = Snapshot(step=t, arrays=arrays)
        self.snapshots.append(snap)
        return snap

    def _report(self, t: int, snapshot=None) -> None:
        with torch.no_grad():
            ok = self.alive & ~self.bad & torch.isfinite(self.last).all(0)
            n = ok.sum().clamp(min=1)
            mean = (torch.where(ok, self.last, 0).sum(1) / n).tolist()
            if not bool(ok.any()):
                mean = [float("nan"), float("nan")]
        self.r.tick(t - self.r.step, snapshot, d_loss=mean[0], g_loss=mean[1])

    def _log(self, t: int) -> None:
        self.rows.append((t, self.loss_sum / max(self.n_sum, 1)))
        self.loss_sum = torch.zeros_like(self.loss_sum)
        self.n_sum = 0

    # ---- the loop -----------------------------------------------------------------------------------------------
    def run(self) -> TrainResult:
        c = self.c
        self.t0 = time.perf_counter()
        snap_steps = set(c.snapshot_steps())
        status, t = DONE, 0
        if 0 in snap_steps:
            self._report(0, self._snapshot(0))
        for t in range(1, c.steps + 1):
            self.r.check_stop()
            batch = self.streams.next()
            sigma = instance_noise_sigma(c.instance_noise, t - 1, c.steps)
            ld = sum(self._d_step(batch, j, sigma) for j in range(c.d_steps)) / c.d_steps
            lg = self._g_step(batch, t, sigma)
            self.last = torch.stack([ld, lg])
            self.bad |= ~(self.last.abs() <= BLOWUP).all(0)  # also true for NaN
            self.loss_sum += self.last
            self.n_sum += 1
            at_snapshot = t in snap_steps
            if t % self.log_every == 0 or at_snapshot or t == c.steps:
                self._log(t)
            if t % CHECK_EVERY == 0 or at_snapshot or t == c.steps:
                self._check(t)
                if not self.alive.any():
                    status = DIVERGED
                    break
            if at_snapshot:
                self._report(t, self._snapshot(t))
            elif t == 1 or self.r.due():
                # step 1 at once: a watcher sees a step count (and losses) as soon as set-up is over, not a
                # report period later (the loss means cost a device sync, so only when a report is due)
                self._report(t)
        if self.n_sum:
            self._log(t)
        self._check(t)
        wall = time.perf_counter() - self.t0
        if t not in snap_steps or status != DONE:
            self._report(t)
        return self._result(status, t, wall)

    # ---- the result ---------------------------------------------------------------------------------------------
    def _history(self) -> pd.DataFrame:
        """One row per (logged step, seed): mean losses since the previous row, scores at snapshot steps."""
        seeds, k = np.asarray(self.c.seeds), self.k
        steps = np.array([t for t, _ in self.rows], dtype=np.int64)
        values = torch.stack([v for _, v in self.rows]).float().cpu().numpy() if self.rows else np.zeros((0, 2, k))
        if 0 in self.scores_at:  # the untrained models have scores but no losses yet
            steps = np.concatenate([[0], steps])
            values = np.concatenate([np.full((1, 2, k), np.nan, np.float32), values])
        hist = pd.DataFrame({"step": np.repeat(steps, k), "seed": np.tile(seeds, len(steps)),
                             "d_loss": values[:, 0].ravel(), "g_loss": values[:, 1].ravel()})
        after_death = np.tile(self.diverged, len(steps)) & (hist.step.to_numpy() > np.tile(self.stopped_at, len(steps)))
        hist.loc[after_death, ["d_loss", "g_loss"]] = np.nan
        scores = [s.drop(columns=[n for n in s.columns if n.startswith("class_")]).assign(step=t, seed=seeds)
                  for t, s in self.scores_at.items() if len(s.columns)]
        if scores:
            hist = hist.merge(pd.concat(scores, ignore_index=True), on=["step", "seed"], how="left")
        return hist

    def _result(self, status: str, t: int, wall: float) -> TrainResult:
        c = self.c
        metrics = pd.DataFrame({"seed": c.seeds, "diverged": self.diverged,
                                "steps_trained": np.minimum(self.stopped_at, t)})
        metrics = pd.concat([metrics, self._scores()], axis=1)
        weights = {f"G.{k}": v.detach().cpu().contiguous() for k, v in self.g.state_dict().items()}
        if self.g_ema is not None:
            weights.update({f"G_ema.{k}": v.detach().cpu().contiguous() for k, v in self.g_ema.state_dict().items()})
        extra = {
            "device": describe(self.device), "device_kind": self.device.type, "amp": self.amp,
            "wall_s": round(wall, 3), "steps_done": t, "steps_per_s": round(t / wall, 2) if wall > 0 else None,
            "seeds": list(c.seeds), "snapshot_steps": [s.step for s in self.snapshots], "log_every": self.log_every,
            "evaluated": "ema" if self.g_ema is not None else "raw",
        }
        if not c.is_image:
            extra.update(view=list(self.data.view), z_extent=Z_EXTENT,
                         d_grid_kind="probability" if c.loss in ("minimax", "nonsaturating") else "score")
        return self.r.result(status=status, diverged=self.diverged.copy(), history=self._history(),
                             snapshots=self.snapshots, metrics=metrics, weights=weights, **extra)
