"""PilotNet in miniature (Bojarski et al. 2016): a small CNN maps one grayscale frame to the steering angle,
trained on the expert's driving, and VisualBackProp (Bojarski et al. 2016/2018) to see what it looks at.

Frames are highway-env's GrayscaleObservation of racetrack-v0 (a top-down view around the car, SIZE×SIZE).
The expert drives from varied starts (up to 1 m off the centre line), so the frames show both driving along a
curve and recovering toward the centre. Held-out drives use seeds the training never saw.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from explainer.checks import Range
from explainer.deep_learning.init import default_init_
from explainer.driving import imitation, sim
from explainer.runs.config import RunConfig
from explainer.runs.result import Snapshot, TrainResult
from explainer.seeding import numpy_rng

SIZE = 64
OBSERVATION = {"type": "GrayscaleObservation", "observation_shape": (SIZE, SIZE), "stack_size": 1,
               "weights": [0.2989, 0.5870, 0.1140], "scaling": 1.75}


class MiniPilotNet(nn.Module):
    """Three strided convolutions (5×5, 3×3, 3×3) and two dense layers → normalised steering in [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 5, stride=2, padding=2)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(16, 24, 3, stride=2, padding=1)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(24 * 8 * 8, 32), nn.ReLU(), nn.Linear(32, 1), nn.Tanh())

    def features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The ReLU feature maps of the three convolutions, shallow to deep. x: (N, 1, SIZE, SIZE) in 0..1."""
        a1 = torch.relu(self.conv1(x - 0.5))
        a2 = torch.relu(self.conv2(a1))
        a3 = torch.relu(self.conv3(a2))
        return [a1, a2, a3]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x)[-1])


def visual_backprop(model: MiniPilotNet, frames: torch.Tensor) -> np.ndarray:
    """VisualBackProp: average each layer's feature maps over channels; from the deepest, upsample the running
    mask to the next shallower layer's size and multiply it in; finally upsample to the input. (N, SIZE, SIZE),
    each mask scaled to 0..1."""
    with torch.no_grad():
        averaged = [a.mean(1, keepdim=True) for a in model.features(frames)]
        mask = averaged[-1]
        for shallower in reversed(averaged[:-1]):
            mask = nn.functional.interpolate(mask, size=shallower.shape[-2:], mode="bilinear", align_corners=False)
            mask = mask * shallower
        mask = nn.functional.interpolate(mask, size=frames.shape[-2:], mode="bilinear", align_corners=False)[:, 0]
        lo = mask.amin((1, 2), keepdim=True)
        hi = mask.amax((1, 2), keepdim=True)
        return ((mask - lo) / (hi - lo).clamp_min(1e-12)).numpy()


def grad_cam(model: MiniPilotNet, frames: torch.Tensor) -> np.ndarray:
    """Captum's LayerGradCam on the last convolution, upsampled to the frame, 0..1: the evidence for steering the
    way the network steers at each frame. Steering is signed (left > 0), and Grad-CAM's ReLU keeps only evidence
    that raises its target, so the target is the steering times its sign: for a frame steered right, evidence for
    steering right (of the plain output it would keep the evidence for steering left)."""
    from captum.attr import LayerAttribution, LayerGradCam

    with torch.no_grad():
        sign = torch.where(model(frames) < 0, -1.0, 1.0)  # (N, 1)
    cam = LayerGradCam(lambda x: model(x) * sign, model.conv3).attribute(frames, target=0, relu_attributions=True)
    cam = LayerAttribution.interpolate(cam, frames.shape[-2:], interpolate_mode="bilinear")[:, 0].detach()
    hi = cam.amax((1, 2), keepdim=True)
    return (cam / hi.clamp_min(1e-12)).numpy()


def drive_frames(seed: int, steps: int, start=imitation.TEST_START) -> tuple[np.ndarray, np.ndarray]:
    """The expert drives the racetrack: (frames (t, SIZE, SIZE) uint8, expert steering (t,) normalised)."""
    env = sim.make_env("racetrack", seed, observation=OBSERVATION)
    sim.perturb(env, numpy_rng(seed, "perturb"), *start)
    expert = sim.Expert(env, lane_changes=False)
    frames, steering = [], []
    try:
        obs = env.unwrapped.observation_type.observe()
        for t in range(steps):
            action = expert.label(env)
            frames.append(np.asarray(obs[-1], np.uint8))
            steering.append(action[1])
            obs = sim.step(env, action, t)
            if sim.failure(env) is not None:
                break
    finally:
        env.close()
    return np.stack(frames), np.array(steering, np.float32)


@dataclass(frozen=True)
class PilotNetConfig(RunConfig):
    MODEL, SCHEMA = "driving_pilotnet", 2  # 2: private streams per purpose (explainer.seeding)
    RULES = {"drives": Range(1, 64, int), "drive_steps": Range(10, 300, int), "epochs": Range(1, 500, int),
             "test_steps": Range(10, 300, int), "seed": Range(0, 999, int)}
    drives: int = 8  # expert drives to learn from
    drive_steps: int = 60
    epochs: int = 40
    test_steps: int = 60
    seed: int = 0

    @property
    def steps(self) -> int:
        """Progress units: one per training drive, one per epoch, one for the held-out drive."""
        return self.drives + self.epochs + 1

    def train(self, run) -> TrainResult:
        return train_run(run)


def train_run(run) -> TrainResult:
    config = run.config
    frames, steering = [], []
    for seed in run.episode_seeds("demo", config.drives):
        f, s = drive_frames(seed, config.drive_steps)
        frames.append(f)
        steering.append(s)
        run.tick()
    x = torch.from_numpy(np.concatenate(frames)[:, None].astype(np.float32) / 255)
    y = torch.from_numpy(np.concatenate(steering))[:, None]
    model = default_init_(MiniPilotNet(), run.generator("init"))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gen = run.generator("order")
    rows = []
    for _ in range(config.epochs):
        order, total = torch.randperm(len(y), generator=gen), 0.0
        for first in range(0, len(y), 32):
            idx = order[first:first + 32]
            loss = ((model(x[idx]) - y[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        rows.append({"step": len(rows) + 1, "train_loss": total / len(y)})
        run.tick(train_loss=rows[-1]["train_loss"])
    model.eval()
    test_frames, expert = drive_frames(run.episode_seeds("held_out", 1)[0], config.test_steps)
    with torch.no_grad():
        predicted = model(torch.from_numpy(test_frames[:, None].astype(np.float32) / 255))[:, 0].numpy()
    run.tick()
    rmse = float(np.sqrt(np.mean((predicted - expert) ** 2)))
    corr = float(np.corrcoef(predicted, expert)[0, 1]) if np.std(expert) > 0 and np.std(predicted) > 0 else 0.0
    return run.result(
        history=pd.DataFrame(rows),
        snapshots=[Snapshot(step=config.epochs, arrays={"test_frames": test_frames, "expert": expert,
                                                        "predicted": predicted.astype(np.float32)})],
        metrics=pd.DataFrame({"test_rmse_deg": [float(np.degrees(rmse * sim.STEER_RANGE))], "test_corr": [corr],
                              "train_frames": [len(y)]}),
        weights={k: v.detach().clone() for k, v in model.state_dict().items()})


def model_of(run: TrainResult) -> MiniPilotNet:
    model = MiniPilotNet()
    model.load_state_dict(run.weights)
    return model.eval()
