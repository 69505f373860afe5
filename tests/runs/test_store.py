"""The run store: round trip, corruption is a miss (never an exception), atomic writes, presets fallback."""
import json
import os
import threading

import numpy as np
import pandas as pd
import pytest
import torch

from explainer.runs.result import CANCELLED, DIVERGED
from explainer.runs.store import FILES, RunStore
from tests.support.fakes import FakeConfig, fake_result


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "cache", readonly=[tmp_path / "presets"])


def assert_same_run(a, b):
    assert a.key == b.key and a.status == b.status
    assert a.config_dict == b.config_dict
    assert a.extra == b.extra
    np.testing.assert_array_equal(a.diverged, b.diverged)
    pd.testing.assert_frame_equal(a.history.reset_index(drop=True), b.history, check_dtype=True)
    pd.testing.assert_frame_equal(a.metrics.reset_index(drop=True), b.metrics, check_dtype=False)
    assert [s.step for s in a.snapshots] == [s.step for s in b.snapshots]
    for sa, sb in zip(a.snapshots, b.snapshots, strict=True):
        assert sa.arrays.keys() == sb.arrays.keys()
        for name in sa.arrays:
            np.testing.assert_array_equal(sa.arrays[name], sb.arrays[name])
            assert sa.arrays[name].dtype == sb.arrays[name].dtype
    assert a.weights.keys() == b.weights.keys()
    for name in a.weights:
        assert torch.equal(a.weights[name], b.weights[name])


def test_round_trip(store):
    run = fake_result(FakeConfig())
    assert store.load(run.key) is None
    store.save(run)
    assert store.has(run.key) and store.keys() == [run.key]
    assert_same_run(run, store.load(run.key))
    assert store.load_entry(run.key)[1] == "cache"


def test_round_trip_compressed(store):
    run = fake_result(FakeConfig(name="z"))
    store.save(run, compress=True)
    assert_same_run(run, store.load(run.key))


def test_diverged_is_stored_as_diverged(store):
    run = fake_result(FakeConfig(diverge=True), status=DIVERGED)
    store.save(run)
    back = store.load(run.key)
    assert back.status == DIVERGED and back.diverged.all()
    assert back.history["d_loss"].isna().any()  # its history is kept, NaNs included


def test_cancelled_is_refused(store):
    with pytest.raises(ValueError):
        store.save(fake_result(FakeConfig(), status=CANCELLED))


def test_bad_key_is_a_miss(store):
    assert store.load("../../etc") is None and store.load("") is None and not store.has("a/b")


def _corrupt_truncate(entry):
    p = entry / "snapshots.npz"
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _corrupt_flip_meta(entry):
    p = entry / "meta.json"
    data = bytearray(p.read_bytes())
    for i in range(10, 40):
        data[i] ^= 0xFF
    p.write_bytes(bytes(data))


def _corrupt_checksum(entry):
    p = entry / "weights.safetensors"
    data = bytearray(p.read_bytes())
    data[-1] ^= 0x01  # still a valid file, different numbers
    p.write_bytes(bytes(data))


def _corrupt_old_format(entry):
    p = entry / "meta.json"
    meta = json.loads(p.read_text())
    meta["format"] = 0
    p.write_text(json.dumps(meta))


def _corrupt_missing_file(entry):
    (entry / "history.npz").unlink()


def _corrupt_empty_meta(entry):
    (entry / "meta.json").write_bytes(b"")


@pytest.mark.parametrize("corrupt", [_corrupt_truncate, _corrupt_flip_meta, _corrupt_checksum, _corrupt_old_format,
                                     _corrupt_missing_file, _corrupt_empty_meta])
def test_corrupt_entry_is_removed_and_rebuilt(store, corrupt):
    run = fake_result(FakeConfig())
    entry = store.save(run)
    corrupt(entry)
    assert store.load(run.key) is None  # no exception, just a miss
    assert not entry.exists()  # and the bad entry is gone
    store.save(run)  # the caller rebuilds it
    assert_same_run(run, store.load(run.key))


def test_save_over_a_corrupt_entry(store):
    run = fake_result(FakeConfig())
    entry = store.save(run)
    _corrupt_truncate(entry)
    store.save(run)  # replaces the corrupt directory instead of keeping it
    assert_same_run(run, store.load(run.key))


def test_no_partial_entry_is_ever_visible(store, monkeypatch):
    """A writer that dies half-way leaves no entry under the key, and its temp dir is cleaned up."""
    import explainer.runs.store as store_mod

    run = fake_result(FakeConfig())
    real_write, calls = store_mod._write_fsync, []

    def dying_write(path, data):
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(store_mod, "_write_fsync", dying_write)
    with pytest.raises(OSError):
        store.save(run)
    assert not store.path(run.key).exists()
    assert list(store.root.iterdir()) == []  # temp dir removed
    assert store.load(run.key) is None


def test_concurrent_readers_see_whole_entries_or_nothing(store):
    """Readers racing a writer either miss or get a complete, verified run; never an error."""
    run = fake_result(FakeConfig(steps=200, seeds=4))
    seen, errors, done = [], [], threading.Event()

    def reader():
        while not done.is_set():
            try:
                got = store.load(run.key)
                seen.append(got is not None)
                if got is not None:
                    assert len(got.history) == len(run.history)
            except Exception as e:  # pragma: no cover - the point of the test
                errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for _ in range(5):
        store.save(run)
    done.set()
    for t in threads:
        t.join()
    assert not errors
    assert store.load(run.key) is not None


def test_presets_are_a_readonly_fallback(store, tmp_path):
    run = fake_result(FakeConfig(name="shipped"))
    shipped = RunStore(tmp_path / "presets", readonly=[])
    shipped.save(run, compress=True)
    assert store.keys() == []
    back, source = store.load_entry(run.key)
    assert source == "preset"
    assert_same_run(run, back)
    # a corrupt preset is a miss, and is not deleted (it is not ours to change)
    _corrupt_checksum(shipped.path(run.key))
    assert store.load(run.key) is None and shipped.path(run.key).exists()


def test_cache_wins_over_presets(store, tmp_path):
    run = fake_result(FakeConfig(name="both"))
    RunStore(tmp_path / "presets", readonly=[]).save(run)
    store.save(run)
    assert store.load_entry(run.key)[1] == "cache"


def test_clean_temp(store):
    stale = store.root / ".tmp-abc-1-deadbeef"
    stale.mkdir()
    os.utime(stale, (0, 0))
    assert store.clean_temp() == 1 and not stale.exists()


def test_every_file_is_checksummed(store):
    run = fake_result(FakeConfig())
    meta = json.loads((store.save(run) / "meta.json").read_text())
    assert set(meta["files"]) == set(FILES)


def test_compact_round_trip(store):
    """compact (shipped presets): float16 pictures on disk, float32 again on load, close to the originals."""
    run = fake_result(FakeConfig(name="compact"))
    big = store.save(run)
    small = RunStore(store.root.parent / "small", readonly=[]).save(run, compress=True, compact=True)
    assert (small / "snapshots.npz").stat().st_size < (big / "snapshots.npz").stat().st_size
    back = RunStore(store.root.parent / "small", readonly=[]).load(run.key)
    for sa, sb in zip(run.snapshots, back.snapshots, strict=True):
        for name, arr in sa.arrays.items():
            assert sb.arrays[name].dtype == arr.dtype and sb.arrays[name].shape == arr.shape
            np.testing.assert_allclose(sb.arrays[name], arr, rtol=1e-3, atol=1e-3)
    assert all(torch.equal(back.weights[k], run.weights[k]) for k in run.weights)
