"""One expert episode recorded for replay: what every stage of the driving stack sees, step by step.

    perception  the simulator's top-down rendering (stored as PNG bytes) and the kinematics of the nearest
                vehicles (what a perception system would estimate: positions and speeds), and an occupancy grid
                around the ego (road, free, occupied) of where things are at that step (no prediction: the
                expert plans from the present positions and speeds)
    planning    the expert's decision: keep its lane or change lanes (MOBIL), and how hard to accelerate (IDM)
    control     the steering and acceleration it commands

An episode is a run like any other (EpisodeConfig.train through the job registry), so its frames are simulated
once and stored; scrubbing a replay only reads them. A simulator exception ends the run as failed with its
message (SimulatorError), and a failed run is never stored.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explainer import images
from explainer.checks import Choice, Range
from explainer.driving import sim
from explainer.runs.config import RunConfig
from explainer.runs.result import Snapshot, TrainResult

RULES = {"scenario": Choice(tuple(sim.SCENARIOS)), "seed": Range(0, 999, int), "steps": Range(10, 150, int)}
NEIGHBOURS = 5  # vehicles in the kinematics table
KINEMATICS = ("x (m)", "y (m)", "vx (m/s)", "vy (m/s)")  # relative to the ego, except the ego's own row
GRID_X, GRID_Y, CELL = (-30.0, 60.0), (-12.0, 12.0), 2.0  # m around the ego, ahead is +x
OFF_ROAD, ROAD, VEHICLE, EGO = 0, 1, 2, 3
PLANS = ("keep lane", "change left", "change right")


@dataclass(frozen=True)
class EpisodeConfig(RunConfig):
    """`seed` is the simulator's episode seed (the traffic the expert meets)."""
    MODEL, SCHEMA, RULES = "driving_episode", 1, RULES
    scenario: str = "highway"
    seed: int = 0
    steps: int = 50  # control steps, 5 a second

    def train(self, run) -> TrainResult:
        return record(run)


def kinematics(env) -> np.ndarray:
    """(1 + NEIGHBOURS, 4): the ego's absolute x, y, vx, vy, then the nearest vehicles relative to it (NaN rows
    where there are fewer)."""
    ego = env.unwrapped.vehicle
    others = sorted((v for v in env.unwrapped.road.vehicles if v is not ego),
                    key=lambda v: np.linalg.norm(v.position - ego.position))[:NEIGHBOURS]
    table = np.full((1 + NEIGHBOURS, 4), np.nan, np.float32)
    table[0] = [*ego.position, *ego.velocity]
    for i, v in enumerate(others, start=1):
        table[i] = [*(v.position - ego.position), *(v.velocity - ego.velocity)]
    return table


def _grid_points(ego) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, the cells' centres in world coordinates (rows, columns, 2)) around the ego, in its heading's frame."""
    xs = np.arange(GRID_X[0] + CELL / 2, GRID_X[1], CELL)
    ys = np.arange(GRID_Y[0] + CELL / 2, GRID_Y[1], CELL)
    c, s = np.cos(ego.heading), np.sin(ego.heading)
    x, y = np.meshgrid(xs, ys)
    points = ego.position + np.stack([c * x - s * y, s * x + c * y], axis=-1)
    return xs, ys, points


def _local(lane, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """highway-env's lane.local_coordinates for many points at once, the same arithmetic so the same numbers
    (StraightLane and CircularLane: the lanes of the page's scenarios; both have a constant width)."""
    from highway_env.road.lane import CircularLane, StraightLane

    if type(lane) is StraightLane:
        delta = points - lane.start
        return delta @ lane.direction, delta @ lane.direction_lateral
    if type(lane) is CircularLane:
        delta = points - lane.center
        phi = np.arctan2(delta[:, 1], delta[:, 0])
        phi = lane.start_phase + ((phi - lane.start_phase + np.pi) % (2 * np.pi) - np.pi)
        r = np.linalg.norm(delta, axis=1)
        return lane.direction * (phi - lane.start_phase) * lane.radius, lane.direction * (lane.radius - r)
    raise TypeError(type(lane).__name__)


def road_mask(network, points: np.ndarray) -> np.ndarray:
    """Per point (…, 2): is it on its closest lane? What `network.get_lane(network.get_closest_lane_index(p))
    .on_lane(p)` says for each p, computed for all points and lanes at once."""
    from highway_env.road.lane import CircularLane, StraightLane

    flat = points.reshape(-1, 2)
    lanes = [lane for to_dict in network.graph.values() for lanes in to_dict.values() for lane in lanes]
    if any(type(lane) not in (StraightLane, CircularLane) for lane in lanes):  # other lane kinds: one by one
        return np.array([network.get_lane(network.get_closest_lane_index(p)).on_lane(p) for p in flat],
                        bool).reshape(points.shape[:-1])
    coords = [_local(lane, flat) for lane in lanes]
    s = np.stack([c[0] for c in coords])  # (lanes, points)
    r = np.stack([c[1] for c in coords])
    length = np.array([lane.length for lane in lanes])[:, None]
    distance = np.abs(r) + np.maximum(s - length, 0) + np.maximum(0 - s, 0)
    closest = np.argmin(distance, axis=0)  # the first of equals, as get_closest_lane_index
    at = np.arange(flat.shape[0])
    s, r = s[closest, at], r[closest, at]
    width = np.array([lane.width_at(0.0) for lane in lanes])[closest]
    vehicle_length = np.array([lane.VEHICLE_LENGTH for lane in lanes])[closest]
    on = (np.abs(r) <= width / 2) & (-vehicle_length <= s) & (s < length[closest, 0] + vehicle_length)
    return on.reshape(points.shape[:-1])


def occupancy(env) -> np.ndarray:
    """A bird's-eye grid around the ego in its heading's frame (rows: left to right, columns: behind to ahead):
    OFF_ROAD, ROAD, VEHICLE or EGO per cell."""
    u = env.unwrapped
    ego = u.vehicle
    xs, ys, points = _grid_points(ego)
    grid = np.where(road_mask(u.road.network, points), ROAD, OFF_ROAD).astype(np.uint8)
    c, s = np.cos(ego.heading), np.sin(ego.heading)
    for v in u.road.vehicles:
        d = v.position - ego.position
        x, y = c * d[0] + s * d[1], -s * d[0] + c * d[1]
        rows = np.abs(ys - y) <= v.WIDTH / 2 + CELL / 2
        cols = np.abs(xs - x) <= v.LENGTH / 2 + CELL / 2 - 0.5
        grid[np.ix_(rows, cols)] = EGO if v is ego else VEHICLE
    return grid


def record(run) -> TrainResult:
    """Let the expert drive `config.steps` steps from `config.seed`, recording every stage at every step."""
    config = run.config
    env = sim.make_env(config.scenario, config.seed, render=True)
    expert = sim.Expert(env, lane_changes=True)
    frames, tables, grids, rows, ended = [], [], [], [], None
    try:
        for t in range(config.steps):
            x = sim.features(env)
            action = expert.label(env)
            try:
                frame = env.render()
            except Exception as e:  # noqa: BLE001 - a renderer failure is a simulator failure
                raise sim.SimulatorError(f"rendering failed at step {t}: {type(e).__name__}: {e}") from e
            frames.append(images.png(frame, optimize=True))
            tables.append(kinematics(env))
            grids.append(occupancy(env))
            rows.append({"step": t, "time_s": t / sim.FREQUENCY, "acceleration": float(action[0]) * sim.ACCEL_RANGE,
                         "steering": float(action[1]) * sim.STEER_RANGE, "plan": PLANS.index(expert.plan),
                         **{f"f{i}": float(v) for i, v in enumerate(x)}})
            sim.step(env, action, t)
            run.tick()
            ended = sim.failure(env, keep_lane=False)
            if ended:
                break
    finally:
        env.close()
    sizes = np.array([len(f) for f in frames], np.int64)
    snapshot = Snapshot(step=len(frames), arrays={
        "frames": np.frombuffer(b"".join(frames), np.uint8), "frame_sizes": sizes,
        "kinematics": np.stack(tables), "grid": np.stack(grids)})
    return run.result(history=pd.DataFrame(rows), snapshots=[snapshot],
                      metrics=pd.DataFrame({"steps": [len(frames)], "ended": [ended or "none"]}))


def frame(run: TrainResult, index: int) -> bytes:
    """The PNG bytes of frame `index` (clamped to the episode) of a recorded episode."""
    arrays = run.snapshots[0].arrays
    sizes = arrays["frame_sizes"]
    index = int(np.clip(index, 0, len(sizes) - 1))
    offset = int(sizes[:index].sum())
    return arrays["frames"][offset:offset + int(sizes[index])].tobytes()
