"""A content-addressed store of finished training runs: one directory per config key.

    <root>/<key>/meta.json            config, key, status, per-seed diverged flags, extra, table columns,
                                      snapshot index, and the sha256 of every other file
    <root>/<key>/history.npz          the history table, one array per column
    <root>/<key>/metrics.npz          the per-seed metrics table, one array per column
    <root>/<key>/snapshots.npz        snapshot arrays, each kind stacked over steps (index in meta.json)
    <root>/<key>/weights.safetensors  the generator weights

Writes are atomic: the entry is built in a temp directory beside the final one, fsynced, then renamed into
place, so a reader sees either no entry or a whole one. Nothing is unpickled: npz is read with
allow_pickle=False and weights with safetensors. A truncated, corrupt or old-format entry is deleted and
reported as missing, so the caller just trains it again; `load` never raises.

The store knows no topic: a run is a TrainResult and its key is whatever the config's key() says (each config
hashes its own schema version into the key, so a change of meaning is a new key, never a stale hit).
Shipped presets (explainer/presets/, same format) are a read-only second place to look.
"""
import hashlib
import io
import json
import logging
import os
import re
import shutil
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import safetensors.torch
import torch

from explainer.paths import PRESETS_DIR, cache_dir
from explainer.runs.result import CANCELLED, Snapshot, TrainResult

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # bump when the on-disk layout changes; older entries are then rebuilt
FILES = ("history.npz", "metrics.npz", "snapshots.npz", "weights.safetensors")
_KEY_RE = re.compile(r"^[0-9A-Za-z_-]{8,128}$")  # keys become directory names: no dots, no slashes


class CorruptEntry(Exception):
    """An entry on disk that cannot be trusted (truncated, checksum mismatch, old format, unreadable)."""


# ----------------------------------------------------------------------------------------------------------
# encoding: TrainResult <-> bytes, no pickle anywhere


def _npz_bytes(arrays: dict[str, np.ndarray], compress: bool) -> bytes:
    buf = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(buf, **arrays)
    return buf.getvalue()


def _column_array(series: pd.Series) -> np.ndarray:
    arr = series.to_numpy()
    if arr.dtype == object:  # strings or mixed: store as fixed-width unicode, which loads without pickle
        arr = series.astype(str).to_numpy().astype(str)
    return arr


def _encode_table(df: pd.DataFrame, compress: bool) -> tuple[bytes, list[str]]:
    columns = [str(c) for c in df.columns]
    arrays = {f"c{i}": _column_array(df[c]) for i, c in enumerate(df.columns)}
    return _npz_bytes(arrays, compress), columns


def _decode_table(data: bytes, columns: list[str]) -> pd.DataFrame:
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return pd.DataFrame({name: z[f"c{i}"] for i, name in enumerate(columns)}, columns=columns)


def _encode_snapshots(snapshots: list[Snapshot], compress: bool, compact: bool = False) -> tuple[bytes, dict]:
    """Arrays with the same name, shape and dtype are stacked over snapshots into one npz member: a run has
    a few array kinds but many snapshots, and each npz member costs ~0.2 ms to open (most of a load).

    compact (for the presets shipped in the repository): float pictures (samples, grids, arrows; not the
    per-seed scores) are kept as float16 and turned back into their dtype on load. That halves the size and
    is far finer than a plot shows (spacing 0.001 near |x| = 1, 0.004 near 4).
    """
    groups: dict[tuple, list[int]] = {}  # (name, shape, dtype) -> indices of the snapshots holding it
    for i, snap in enumerate(snapshots):
        for name, arr in snap.arrays.items():
            arr = np.asarray(arr)
            if arr.dtype == object:
                raise ValueError(f"snapshot array {name!r} at step {snap.step} has dtype object; store numbers")
            groups.setdefault((name, arr.shape, arr.dtype.str), []).append(i)
    arrays, members = {}, []
    for g, ((name, _, _), idx) in enumerate(groups.items()):
        stacked = np.stack([np.asarray(snapshots[i].arrays[name]) for i in idx])
        member = {"name": name, "snapshots": idx}
        if compact and stacked.dtype.kind == "f" and stacked.ndim >= 3 and stacked.dtype.itemsize > 2:
            half = stacked.astype(np.float16)
            if np.array_equal(np.isfinite(half), np.isfinite(stacked)):  # nothing overflowed
                stacked, member["dtype"] = half, stacked.dtype.str
        arrays[f"a{g}"] = stacked
        members.append(member)
    index = {"steps": [int(s.step) for s in snapshots], "names": [list(s.arrays) for s in snapshots],
             "members": members}
    return _npz_bytes(arrays, compress), index


def _decode_snapshots(data: bytes, index: dict) -> list[Snapshot]:
    found: list[dict] = [{} for _ in index["steps"]]
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        for g, member in enumerate(index["members"]):
            stacked = z[f"a{g}"]
            if "dtype" in member:  # stored compact (float16): back to the dtype it was trained in
                stacked = stacked.astype(member["dtype"])
            for pos, i in enumerate(member["snapshots"]):
                found[i][member["name"]] = stacked[pos]  # a view: no copy
    return [Snapshot(step=step, arrays={name: found[i][name] for name in names})  # each snapshot's own order
            for i, (step, names) in enumerate(zip(index["steps"], index["names"], strict=True))]


def _encode_weights(weights: dict) -> bytes:
    # clone: safetensors refuses tensors that share storage (views, tied weights)
    tensors = {str(k): torch.as_tensor(v).detach().cpu().contiguous().clone() for k, v in weights.items()}
    return safetensors.torch.save(tensors)


def _json_default(obj):
    """Make numpy scalars/arrays and tuples JSON-able (config dicts and `extra` may hold them)."""
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON-serialisable: {type(obj).__name__}")


def encode(result: TrainResult, compress: bool = False, compact: bool = False) -> dict[str, bytes]:
    """Every file of a store entry, as bytes (meta.json last, since it holds the others' checksums).

    compress: zip-deflate the npz files; compact: float16 snapshot pictures (see _encode_snapshots).
    """
    files = {}
    files["history.npz"], history_columns = _encode_table(result.history, compress)
    files["metrics.npz"], metrics_columns = _encode_table(result.metrics, compress)
    files["snapshots.npz"], snapshot_index = _encode_snapshots(result.snapshots, compress, compact)
    files["weights.safetensors"] = _encode_weights(result.weights)
    meta = {
        "format": FORMAT_VERSION,
        "key": result.key,
        "status": result.status,
        "diverged": [bool(x) for x in np.asarray(result.diverged, dtype=bool).reshape(-1)],
        "config": result.config_dict,
        "extra": result.extra,
        "history_columns": history_columns,
        "metrics_columns": metrics_columns,
        "snapshots": snapshot_index,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    files["meta.json"] = json.dumps(meta, default=_json_default, indent=1).encode()
    return files


def decode(files: dict[str, bytes], key: str) -> TrainResult:
    """Check and decode the files of one entry; raises CorruptEntry on anything suspicious."""
    try:
        meta = json.loads(files["meta.json"])
    except Exception as e:
        raise CorruptEntry(f"meta.json unreadable: {e}") from e
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
        raise CorruptEntry(f"old or unknown store format {meta.get('format') if isinstance(meta, dict) else '?'}")
    if meta.get("key") != key:
        raise CorruptEntry(f"entry holds key {meta.get('key')!r}, expected {key!r}")
    for name in FILES:
        if name not in files:
            raise CorruptEntry(f"{name} missing")
        if hashlib.sha256(files[name]).hexdigest() != meta["files"].get(name):
            raise CorruptEntry(f"{name} checksum mismatch (truncated or modified)")
    try:
        return TrainResult(
            config_dict=meta["config"],
            key=meta["key"],
            status=meta["status"],
            diverged=np.array(meta["diverged"], dtype=bool),
            history=_decode_table(files["history.npz"], meta["history_columns"]),
            snapshots=_decode_snapshots(files["snapshots.npz"], meta["snapshots"]),
            metrics=_decode_table(files["metrics.npz"], meta["metrics_columns"]),
            weights=safetensors.torch.load(files["weights.safetensors"]),
            extra=meta.get("extra") or {},
        )
    except Exception as e:  # the checksums matched, so this is a writer bug or a hand-made entry
        raise CorruptEntry(f"undecodable entry: {type(e).__name__}: {e}") from e


# ----------------------------------------------------------------------------------------------------------
# the store


def _write_fsync(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a directory; the rename is still atomic there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class RunStore:
    """Runs on disk under `root` (default: cache_dir()), with read-only fallbacks (default: shipped presets)."""

    def __init__(self, root: Path | str | None = None, readonly: list[Path | str] | None = None):
        self.root = Path(root) if root is not None else cache_dir()
        self.root.mkdir(parents=True, exist_ok=True)
        self.readonly = [Path(p) for p in (readonly if readonly is not None else [PRESETS_DIR])]

    def path(self, key: str) -> Path:
        if not _KEY_RE.match(key or ""):
            raise ValueError(f"bad run key {key!r}: expected 8-128 characters of [0-9A-Za-z_-]")
        return self.root / key

    # --- reading

    def load(self, key: str) -> TrainResult | None:
        """The stored run for `key`, or None when there is none (or it was corrupt and has been removed)."""
        return self.load_entry(key)[0]

    def load_entry(self, key: str) -> tuple[TrainResult | None, str | None]:
        """(run, where it came from: "cache" | "preset" | None). Never raises."""
        try:
            places = [(self.path(key), "cache")] + [(Path(r) / key, "preset") for r in self.readonly]
        except ValueError as e:
            log.warning("run store: %s", e)
            return None, None
        for entry, source in places:
            try:
                inode = entry.stat().st_ino
            except OSError:
                continue
            try:
                return decode(self._read_files(entry), key), source
            except Exception as e:  # CorruptEntry, OSError, anything: a bad entry is a miss, never a crash
                log.warning("run store: discarding %s entry %s: %s", source, entry, e)
                if source == "cache":
                    self._discard(entry, only_inode=inode)
        return None, None

    def has(self, key: str) -> bool:
        """Cheap existence check (no verification): is there an entry that `load` will try?"""
        try:
            self.path(key)
        except ValueError:
            return False
        return any((p / key / "meta.json").exists() for p in [self.root, *self.readonly])

    def keys(self) -> list[str]:
        """Keys of the writable cache (not the presets)."""
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _KEY_RE.match(p.name))

    @staticmethod
    def _read_files(entry: Path) -> dict[str, bytes]:
        files = {}
        for name in ("meta.json", *FILES):
            try:
                files[name] = (entry / name).read_bytes()
            except FileNotFoundError:
                raise CorruptEntry(f"{name} missing") from None
        return files

    # --- writing

    def save(self, result: TrainResult, compress: bool = False, compact: bool = False) -> Path:
        """Write `result` under its key, atomically. Cancelled runs are refused (they are not results)."""
        if result.status == CANCELLED:
            raise ValueError("a cancelled run is not stored")
        return self.write_files(result.key, encode(result, compress=compress, compact=compact))

    def write_files(self, key: str, files: dict[str, bytes]) -> Path:
        final = self.path(key)
        tmp = self.root / f".tmp-{key}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            for name, data in files.items():
                if name != "meta.json":
                    _write_fsync(tmp / name, data)
            _write_fsync(tmp / "meta.json", files["meta.json"])  # last: an entry with meta has everything
            _fsync_dir(tmp)
            if final.exists():
                # Keys are content addresses: a valid entry already there is the same run (another thread or
                # process won the race). Anything else in the way is moved aside first, since a directory
                # cannot be renamed over a non-empty one.
                try:
                    decode(self._read_files(final), key)
                    shutil.rmtree(tmp, ignore_errors=True)
                    return final
                except Exception:
                    self._discard(final)
            os.replace(tmp, final)
            _fsync_dir(self.root)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return final

    def delete(self, key: str) -> None:
        self._discard(self.path(key))

    def _discard(self, entry: Path, only_inode: int | None = None) -> None:
        """Remove an entry without ever exposing a half-deleted directory under its key.

        only_inode: remove it only if it is still the directory that was found bad (a writer may have just
        replaced it with a good one).
        """
        trash = self.root / f".trash-{entry.name}-{uuid.uuid4().hex[:8]}"
        try:
            if only_inode is not None and entry.stat().st_ino != only_inode:
                return
            os.replace(entry, trash)
        except FileNotFoundError:
            return
        except OSError as e:
            log.warning("run store: cannot move %s aside: %s", entry, e)
            trash = entry
        shutil.rmtree(trash, ignore_errors=True)

    def clean_temp(self, max_age_s: float = 3600) -> int:
        """Delete temp/trash directories left behind by a crashed writer; returns how many."""
        now, n = time.time(), 0
        for p in self.root.iterdir():
            if p.name.startswith((".tmp-", ".trash-")) and now - p.stat().st_mtime > max_age_s:
                shutil.rmtree(p, ignore_errors=True)
                n += 1
        return n


def default_store() -> RunStore:
    """The store under cache_dir() (re-read each call, so EXPLAINER_CACHE_DIR set later still counts)."""
    return RunStore()
