"""The simulator side: highway-env scenes, the IDM/MOBIL expert, the features a small policy sees, failures.

highway-env (with gymnasium and pygame) is imported by the first call that simulates, not by importing this module:
the page's first render draws shipped runs and never loads the simulator.

One control step is one simulator step (simulation and policy frequency both FREQUENCY Hz), so the expert and a
learned policy decide equally often. Actions are highway-env's ContinuousAction, normalised to [-1, 1]:
(acceleration / 5 m/s², steering / (π/4)).
"""
import threading
import warnings

import numpy as np

FREQUENCY = 5  # Hz: decisions per simulated second
ACCEL_RANGE, STEER_RANGE = 5.0, np.pi / 4  # ContinuousAction's defaults: [-5, 5] m/s², [-π/4, π/4] rad
SCENARIOS = {
    "highway": "highway-fast-v0",  # three lanes of traffic (highway-env's fast variant)
    "racetrack": "racetrack-v0",  # a winding two-lane circuit
}
FEATURES = ("lateral offset (m)", "heading error (rad)", "road curvature ahead (rad)", "speed (m/s)", "gap ahead (m)",
            "closing speed (m/s)")
LOOK_AHEAD = 10.0  # m: how far ahead the road's turn is read
GAP_MAX = 60.0  # m: a free road reads as this gap
NO_OBSERVATION = {"type": "AttributesObservation", "attributes": []}


_PRELOAD = threading.Lock()
_preloading: list[threading.Thread] = []


def preload() -> None:
    """Import highway-env (≈ 0.5 s with gymnasium and pygame) in a background thread, once per process: called
    where a page offers a live run, so the run's first simulator step does not wait for the import."""
    with _PRELOAD:
        if not _preloading:
            def load():
                import gymnasium  # noqa: F401
                import highway_env  # noqa: F401

            _preloading.append(threading.Thread(target=load, name="highway-env preload", daemon=True))
            _preloading[0].start()


class SimulatorError(RuntimeError):
    """The simulator raised inside an episode: the episode ends with this message and is never stored."""


def make_env(scenario: str = "highway", seed: int = 0, render: bool = False, vehicles: int | None = None,
             observation: dict | None = None):
    """A reset highway-env environment (the unwrapped env) for `scenario`, deterministic for `seed`.

    Without `observation` the env observes nothing: the policies here read the kinematics (`features`), and
    racetrack-v0's default occupancy-grid observation took ≈ 90% of a step's time. Observing changes nothing in
    the simulation (same seed, same trajectory: tests/driving/test_sim.py)."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}")
    import gymnasium as gym
    import highway_env  # noqa: F401  (registers the environments with gymnasium)

    config = {"action": {"type": "ContinuousAction"}, "simulation_frequency": FREQUENCY,
              "policy_frequency": FREQUENCY, "duration": 10_000, "offscreen_rendering": True}
    # e.g. a GrayscaleObservation for the end-to-end network; else an observation of no attributes (free)
    config["observation"] = observation or NO_OBSERVATION
    if scenario == "highway" and vehicles is not None:
        config["vehicles_count"] = vehicles
    with warnings.catch_warnings():  # racetrack-v0 warns that a v1 exists; v0 is the one this page describes
        warnings.simplefilter("ignore", DeprecationWarning)
        # the passive checker rejects NO_OBSERVATION's empty space; the env is highway-env's own, checked upstream
        env = gym.make(SCENARIOS[scenario], render_mode="rgb_array" if render else None, config=config,
                       disable_env_checker=True)
    env.reset(seed=seed)
    return env


class Expert:
    """IDM (speed) and MOBIL (lane changes) driving: an IDMVehicle put in the ego vehicle's place.

    It never drives the car itself: `label(env)` puts a shadow IDMVehicle at the ego's exact state into the road
    (so it sees the same neighbours the ego does), lets it decide, and returns its decision as a normalised
    action. The same call labels the expert's own driving and the states a learner visits (DAgger).
    """

    def __init__(self, env, lane_changes: bool = True):
        from highway_env.vehicle.behavior import IDMVehicle

        ego = env.unwrapped.vehicle
        self.shadow = IDMVehicle(ego.road, ego.position.copy(), heading=ego.heading, speed=ego.speed,
                                 target_lane_index=ego.lane_index, target_speed=ego.speed,
                                 enable_lane_change=lane_changes)

    def label(self, env) -> np.ndarray:
        road, ego, shadow = env.unwrapped.road, env.unwrapped.vehicle, self.shadow
        shadow.position, shadow.heading, shadow.speed = ego.position.copy(), ego.heading, ego.speed
        shadow.lane_index, shadow.lane = ego.lane_index, ego.lane
        index = road.vehicles.index(ego)
        road.vehicles[index] = shadow  # the shadow in the ego's place: it must not see the ego as a car ahead
        try:
            shadow.act()
            if shadow.lane_index == shadow.target_lane_index:  # not changing lanes: IDM on the true car ahead
                shadow.action["acceleration"] = idm_acceleration(shadow, *lead(env))
        finally:
            road.vehicles[index] = ego
        shadow.timer += 1 / FREQUENCY
        # braking to a stop, not into reverse: never brake harder than this step's speed allows
        shadow.action["acceleration"] = max(shadow.action["acceleration"], -max(ego.speed, 0.0) * FREQUENCY)
        return to_normalised(shadow.action["acceleration"], shadow.action["steering"])

    @property
    def plan(self) -> str:
        """What the expert is doing laterally: keep its lane or change to the left or right."""
        here, target = self.shadow.lane_index[2], self.shadow.target_lane_index[2]
        return "keep lane" if here == target else ("change left" if target < here else "change right")


def to_normalised(acceleration: float, steering: float) -> np.ndarray:
    return np.clip(np.array([acceleration / ACCEL_RANGE, steering / STEER_RANGE], np.float32), -1, 1)


def lead(env):
    """(the car ahead in the ego's lane, the bumper-to-bumper gap in m), or (None, inf), looking across the
    lane's end into the next segment. highway-env's own neighbour search stops at a segment's end, so on the
    racetrack's short curved segments its IDM sees a car only once it is on the same segment: too late."""
    u = env.unwrapped
    ego, network = u.vehicle, u.road.network
    s_ego = ego.lane.local_coordinates(ego.position)[0]
    lanes = [(ego.lane, 0.0)]
    try:
        lanes.append((network.get_lane(network.next_lane(ego.lane_index, position=ego.position)), ego.lane.length))
    except (KeyError, IndexError, ValueError):  # a road that ends: nothing beyond it
        pass
    best, best_d = None, np.inf
    for v in u.road.vehicles:
        if v is ego:
            continue
        for lane, offset in lanes:
            s, lat = lane.local_coordinates(v.position)
            if 0 <= s <= lane.length and abs(lat) <= lane.width_at(s) / 2:
                d = offset + s - s_ego
                if 0 < d < best_d:
                    best, best_d = v, d
                break
    return best, best_d - ego.LENGTH if best is not None else np.inf


def idm_acceleration(vehicle, front, gap: float) -> float:
    """The Intelligent Driver Model (Treiber, Hennecke & Helbing 2000) with highway-env's IDMVehicle constants:
    a·[1 − (v/v₀)^δ − (s*/s)²],  s* = s₀ + vT + vΔv / (2√(ab))."""
    a = vehicle.COMFORT_ACC_MAX * (1 - (max(vehicle.speed, 0) / max(vehicle.target_speed, 1e-3)) ** vehicle.DELTA)
    if front is not None:
        gap = max(gap, 1e-2)
        a -= vehicle.COMFORT_ACC_MAX * (vehicle.desired_gap(vehicle, front) / gap) ** 2
    return float(np.clip(a, -vehicle.ACC_MAX, vehicle.ACC_MAX))


def features(env) -> np.ndarray:
    """What the small policies see, from the simulator's kinematics: offset from the lane centre, heading
    relative to the lane, speed, gap to the car ahead in the lane and how fast it closes."""
    ego = env.unwrapped.vehicle
    lane = ego.lane
    s, lateral = lane.local_coordinates(ego.position)
    heading_error = _angle(ego.heading - lane.heading_at(s))
    curvature = _angle(lane.heading_at(s + LOOK_AHEAD) - lane.heading_at(s))
    front, gap = lead(env)
    gap = min(gap, GAP_MAX)
    closing = 0.0 if front is None else float(ego.speed - front.speed)
    return np.array([lateral, heading_error, curvature, ego.speed, gap, closing], np.float32)


def _angle(a: float) -> float:
    return (a + np.pi) % (2 * np.pi) - np.pi


def perturb(env, rng: np.random.Generator, offset_m: float, heading_rad: float) -> None:
    """Start the ego slightly off its lane's centre line and heading, so episodes differ beyond traffic."""
    ego = env.unwrapped.vehicle
    s, _ = ego.lane.local_coordinates(ego.position)
    ego.position = ego.lane.position(s, rng.uniform(-offset_m, offset_m))
    ego.heading = ego.lane.heading_at(s) + rng.uniform(-heading_rad, heading_rad)


LANE_LIMIT = 1.5  # m from the lane's centre: a car 2 m wide in a 5 m lane has then put a wheel over the line


def failure(env, keep_lane: bool = True) -> str | None:
    """Why the ego's episode has failed, or None: a crash, leaving the road, or (with `keep_lane`, for a driver
    that should not change lanes) drifting out of its lane."""
    ego = env.unwrapped.vehicle
    if ego.crashed:
        return "crash"
    if not ego.on_road:
        return "off road"
    if keep_lane and abs(ego.lane.local_coordinates(ego.position)[1]) > LANE_LIMIT:
        return "left its lane"
    return None


def step(env, action: np.ndarray, at: int):
    """One control step, returning the observation; a simulator exception becomes a SimulatorError naming the step."""
    try:
        return env.step(np.asarray(action, np.float32))[0]
    except Exception as e:  # noqa: BLE001 - any simulator failure ends the episode with a clear message
        raise SimulatorError(f"the simulator failed at step {at}: {type(e).__name__}: {e}") from e
