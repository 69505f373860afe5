"""Audience rooms: one speaker moves a room, everyone reads it, across processes (one directory)."""
import re

import pytest

from explainer.talks.rooms import CODE_PATTERN, KEEP_ENDED_S, SECRET_PATTERN, RoomError, Rooms


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def rooms(tmp_path, clock):
    return Rooms(tmp_path, idle_s=600, max_rooms=3, clock=clock)


def test_a_room_is_read_by_another_process_and_moved_only_with_the_secret(tmp_path, rooms, clock):
    room, secret = rooms.open("gans", 2)
    assert re.fullmatch(CODE_PATTERN, room.code) and re.fullmatch(SECRET_PATTERN, secret)
    other = Rooms(tmp_path, idle_s=600, clock=clock)  # another web process on the same cache
    seen = other.get(room.code)
    assert (seen.deck, seen.slide, seen.live) == ("gans", 2, True)
    assert secret not in (tmp_path / f"{room.code}.json").read_text()  # only its hash is kept

    with pytest.raises(RoomError, match="only the speaker"):
        other.move(room.code, "x" * 22, 5)
    with pytest.raises(RoomError, match="only the speaker"):
        other.move(room.code, "", 5)
    moved = other.move(room.code, secret, 3)
    assert (moved.slide, moved.version) == (3, seen.version + 1)
    assert rooms.get(room.code).slide == 3  # the first process sees the move
    assert rooms.move(room.code, secret, 3).version == moved.version  # the same slide is not a change


def test_codes_are_unique_and_unknown_or_malformed_codes_are_no_room(rooms):
    codes = {rooms.open("gans", 1)[0].code for _ in range(3)}
    assert len(codes) == 3
    assert rooms.get("ZZZZZ") is None
    assert rooms.get("../etc") is None and rooms.get("") is None


def test_a_room_ends_by_its_speaker_or_when_idle_and_is_then_read_as_ended(rooms, clock):
    room, secret = rooms.open("tour", 1)
    ended = rooms.end(room.code, secret)
    assert not ended.live and "speaker ended" in ended.ended and ended.version == room.version + 1
    with pytest.raises(RoomError, match="ended"):
        rooms.move(room.code, secret, 2)

    idle, secret2 = rooms.open("tour", 1)
    clock.now += 500
    assert rooms.keep_alive(idle.code, secret2).updated == clock.now  # a sign of life pushes the end back
    clock.now += 500
    assert rooms.get(idle.code).live
    clock.now += 601
    late = rooms.get(idle.code)
    assert not late.live and "no move" in late.ended


def test_live_rooms_are_bounded_and_ended_ones_are_swept(rooms, clock):
    opened = [rooms.open("gans", 1) for _ in range(3)]
    with pytest.raises(RoomError, match="talks are running"):
        rooms.open("gans", 1)
    rooms.end(opened[0][0].code, opened[0][1])
    rooms.open("gans", 1)  # an ended room frees its place
    clock.now += KEEP_ENDED_S + 1
    rooms.open("gans", 1)  # the idle rooms have ended; sweeping removes the long-ended file
    assert rooms.get(opened[0][0].code) is None


def test_a_speakers_own_deck_travels_in_the_room(rooms):
    room, _ = rooms.open("mine", 1, deck_toml='title = "Mine"\n[[slides]]\ntitle = "Hello"\n')
    assert 'title = "Hello"' in rooms.get(room.code).deck_toml
