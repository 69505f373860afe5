"""Audience rooms: a speaker's talk that everyone in the room follows on their own phone or laptop.

A room is a small JSON file in the run cache (`<cache>/rooms/CODE.json`), so every web process on the machine, and
every machine that mounts the same cache, sees the same room: a follower's session may live on another process
than the speaker's. It holds the deck (a built-in deck's name, or the speaker's own deck as TOML text), the slide
the speaker shows, a version that grows with every move, and a hash of the speaker's secret. The secret itself is
only ever in the speaker's link; the short code in followers' links cannot move the room.

A room ends when its speaker ends it, or by itself after `idle_s` without a move from the speaker; its file is
kept a day longer so that late followers read "this talk has ended" rather than "no such talk". Reading a room is
a `stat` and, when the file changed, one small JSON parse: followers poll it about twice a second.
"""
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from explainer.paths import cache_dir

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read off a screen and typed
CODE_LENGTH = 5  # 32**5 = 33 million codes
CODE_PATTERN = f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}"
SECRET_PATTERN = "[A-Za-z0-9_-]{22}"  # secrets.token_urlsafe(16)
IDLE_S = 3 * 3600.0  # a talk with no move from its speaker for this long has ended (env EXPLAINER_ROOM_IDLE_S)
KEEP_ENDED_S = 24 * 3600.0  # an ended room's file is kept this long, so followers read that it ended
MAX_ROOMS = 200  # live rooms on one cache: one visitor cannot fill the disk with rooms
ALIVE_EVERY_S = 60.0  # a speaker's page writes "still here" at most this often


class RoomError(Exception):
    """A room that cannot be opened or moved, with the reason in words."""


@dataclass(frozen=True)
class Room:
    code: str
    deck: str  # a built-in deck's name, or "mine" (then `deck_toml` holds it)
    slide: int  # 1-based
    version: int  # grows with every move and with the end: followers rerun when it changes
    started: float  # epoch seconds
    updated: float  # the speaker's last move or sign of life
    deck_toml: str = ""
    ended: str = ""  # why it ended ("" while it runs)
    secret_sha256: str = ""

    @property
    def live(self) -> bool:
        return not self.ended


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Rooms:
    def __init__(self, root: Path | str | None = None, idle_s: float | None = None, max_rooms: int = MAX_ROOMS,
                 clock=time.time):
        self._root = Path(root) if root is not None else None
        self.idle_s = idle_s if idle_s is not None else float(os.environ.get("EXPLAINER_ROOM_IDLE_S", IDLE_S))
        self.max_rooms = max_rooms
        self.clock = clock
        self._cache: dict[Path, tuple[tuple[int, int], Room]] = {}  # file -> ((mtime_ns, size), room)
        self._lock = threading.Lock()

    @property
    def root(self) -> Path:
        """The given folder, else the run cache's (re-read each time, as the run store does)."""
        return self._root if self._root is not None else cache_dir() / "rooms"

    def _path(self, code: str) -> Path:
        if not re.fullmatch(CODE_PATTERN, code):
            raise RoomError(f"{code[:12]!r} is not a room code")
        return self.root / f"{code}.json"

    def _write(self, room: Room) -> Room:
        """Atomically: a follower reads the old room or the new one, never half a file."""
        path = self._path(room.code)
        temp = path.with_name(f".{room.code}.{secrets.token_hex(4)}.tmp")
        temp.write_text(json.dumps(asdict(room)))
        os.replace(temp, path)
        return room

    def _read(self, code: str) -> Room | None:
        try:
            path = self._path(code)
            stat = path.stat()
        except (RoomError, OSError):
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        try:
            room = Room(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):  # a file being replaced on another machine, or junk: no room
            return None
        with self._lock:
            if len(self._cache) > 4 * self.max_rooms:
                self._cache.clear()
            self._cache[path] = (stamp, room)
        return room

    def _idle_ended(self, room: Room) -> Room:
        if room.live and self.clock() - room.updated > self.idle_s:
            minutes = round(self.idle_s / 60)
            return replace(room, ended=f"no move from the speaker for {minutes} minutes")
        return room

    def get(self, code: str) -> Room | None:
        """The room as followers see it (ended once idle too long), or None when there is no such room."""
        room = self._read(code)
        return self._idle_ended(room) if room is not None else None

    def _sweep(self) -> int:
        """Remove rooms ended long ago; the number of rooms still live."""
        live = 0
        for path in self.root.glob("*.json"):
            room = self._read(path.stem)
            if room is None:
                continue
            room = self._idle_ended(room)
            if room.live:
                live += 1
            elif self.clock() - room.updated > KEEP_ENDED_S + (self.idle_s if room.ended.startswith("no move")
                                                                 else 0):
                path.unlink(missing_ok=True)
        return live

    def open(self, deck: str, slide: int, deck_toml: str = "") -> tuple[Room, str]:
        """A new room showing `slide` of `deck`; returns it with the speaker's secret (shown to nobody else)."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self._sweep() >= self.max_rooms:
            raise RoomError(f"{self.max_rooms} talks are running on this site; try again when one has ended")
        secret = secrets.token_urlsafe(16)
        now = self.clock()
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:  # claim the code: two speakers never share one
                os.close(os.open(self._path(code), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                continue
            room = Room(code, deck, max(1, int(slide)), 1, now, now, deck_toml, "", _digest(secret))
            return self._write(room), secret
        raise RoomError("no free room code was found; try again")

    def is_speaker(self, room: Room, secret: str) -> bool:
        return bool(secret) and hmac.compare_digest(room.secret_sha256, _digest(secret))

    def _speakers(self, code: str, secret: str) -> Room:
        room = self.get(code)
        if room is None:
            raise RoomError("this talk does not exist (any more)")
        if not self.is_speaker(room, secret):
            raise RoomError("only the speaker moves this talk")
        if not room.live:
            raise RoomError(f"this talk has ended ({room.ended})")
        return room

    def move(self, code: str, secret: str, slide: int) -> Room:
        """The speaker shows `slide`: every follower's next poll sees a new version."""
        room = self._speakers(code, secret)
        if room.slide == slide:
            return room
        return self._write(replace(room, slide=max(1, int(slide)), version=room.version + 1, updated=self.clock()))

    def keep_alive(self, code: str, secret: str) -> Room:
        """The speaker is still on a slide (a long demo): push the idle end back, at most once a minute."""
        room = self._speakers(code, secret)
        if self.clock() - room.updated < ALIVE_EVERY_S:
            return room
        return self._write(replace(room, updated=self.clock()))

    def end(self, code: str, secret: str) -> Room:
        room = self._speakers(code, secret)
        return self._write(replace(room, ended="the speaker ended it", version=room.version + 1,
                                   updated=self.clock()))
