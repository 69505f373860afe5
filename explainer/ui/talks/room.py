"""An audience room on the Talk page. The speaker opens one (a button, or `room=new` in the link); the slide and
the speaker's view then show a QR code and a short link `/talk?room=CODE`; everyone who opens it sees the
speaker's slide and follows it as the speaker moves, within about a second (a poll twice a second that reruns
the page only when the room changed). A follower can detach to look around on their own and follow again; only
a window holding the speaker's secret (the speaker's own link: slide window, speaker view, after a reload too)
moves the room. The room itself is kept in explainer/talks/rooms.py."""
import io
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache

import segno
import streamlit as st

from explainer.talks.decks import Deck
from explainer.talks.rooms import Room, RoomError, Rooms
from explainer.ui.talks import params, slides
from explainer.ui.url_state import notify

POLL_S = 0.5  # a follower sees the speaker's move within this, plus its own render
DETACHED_POLL_S = 2.0  # a detached follower's "the speaker is on slide N"
SEEN = "talk:room-seen"  # session state: room code -> the room version this window last showed
DETACHED = "talk:room-detached"  # session state: codes of rooms this viewer looks around in on their own
SPEAKER, FOLLOWER = "speaker", "follower"


@st.cache_resource
def rooms() -> Rooms:
    return Rooms()


@dataclass(frozen=True)
class Talk:
    room: Room
    role: str  # SPEAKER or FOLLOWER
    secret: str = ""

    @property
    def following(self) -> bool:
        """This window shows the room's slide (the speaker's windows always; a follower until they detach)."""
        return self.room.live and (self.role == SPEAKER or self.room.code not in st.session_state.get(DETACHED, ()))


def _leave(url) -> None:
    url.set("room", "")
    url.set("speaker", "")


def attach(url, deck_name: str, deck: Deck | None) -> Talk | None:
    """The room this window is in (opening one for `room=new`), or None; says why when the link's room is not
    there."""
    code = url.get("room")
    if not code:
        return None
    if code == params.NEW_ROOM:
        return _open(url, deck_name, deck)
    room = rooms().get(code)
    if room is None:
        st.warning(f"No talk with the code **{code}** is running on this site: check the code, or pick a deck "
                   "below.", icon=":material/groups:")
        _leave(url)
        return None
    secret = url.get("speaker")
    if secret and not rooms().is_speaker(room, secret):
        notify("`speaker=` is not this talk's speaker key; you follow the talk.")
        url.set("speaker", "")
        secret = ""
    if not room.live:
        st.info(f"This talk has ended ({room.ended}). Its slides are still here to go through on your own.",
                icon=":material/event_busy:")
    return Talk(room, SPEAKER if secret else FOLLOWER, secret)


def deck_of(room: Room) -> tuple[Deck | None, list[str]]:
    if room.deck == params.MINE:
        return params.room_deck(room.deck_toml)
    return params.built_in().get(room.deck, (None, []))


def _open(url, deck_name: str, deck: Deck | None) -> Talk | None:
    from explainer.talks.decks import to_toml

    if deck is None:
        st.warning("A room shows a deck: open one first, then start the room.", icon=":material/groups:")
        _leave(url)
        return None
    try:
        room, secret = rooms().open(deck_name, url.get("slide"), to_toml(deck) if deck_name == params.MINE else "")
    except RoomError as e:
        st.warning(f"The room could not be opened: {e}.", icon=":material/groups:")
        _leave(url)
        return None
    url.set("room", room.code)
    url.set("speaker", secret)
    return Talk(room, SPEAKER, secret)


def start(url) -> None:
    """The "Let the audience follow" button: open a room on the next run."""
    url.set("room", params.NEW_ROOM)


def slide_number(url, deck: Deck, talk: Talk | None) -> int:
    """The slide this window shows: the room's while it follows (the speaker's key presses and buttons move the
    room), else the window's own."""
    if talk is None or not talk.following:
        return slides.moved(url, deck)
    room, seen = talk.room, st.session_state.setdefault(SEEN, {})
    if talk.role == FOLLOWER or seen.get(room.code) != room.version:  # moved elsewhere (or a first visit)
        url.set("slide", min(room.slide, len(deck.slides)))
    n = slides.moved(url, deck, locked=talk.role == FOLLOWER)
    if talk.role == SPEAKER:
        try:
            room = rooms().move(room.code, talk.secret, n) if n != room.slide \
                else rooms().keep_alive(room.code, talk.secret)
        except RoomError as e:
            st.warning(f"The room did not move: {e}.", icon=":material/groups:")
    seen[room.code] = room.version
    return n


@st.fragment(run_every=POLL_S)
def _watch(code: str, version: int) -> None:
    """Rerun the page when the room moved or ended; draws nothing, so a poll costs the server little."""
    room = rooms().get(code)
    if room is None or room.version != version or not room.live:
        st.rerun()


def watch(talk: Talk | None) -> None:
    if talk is not None and talk.following:
        _watch(talk.room.code, st.session_state.get(SEEN, {}).get(talk.room.code, talk.room.version))


def share_link(code: str) -> str:
    """The followers' link: this site's /talk?room=CODE (never the speaker's secret)."""
    here = (st.context.url or "").split("?")[0].rstrip("/")
    root = here.rsplit("/", 1)[0] if here.endswith("/" + params.PAGE) else here
    return f"{root}/{params.PAGE}?room={code}"


@lru_cache(maxsize=256)
def qr_png(link: str) -> bytes:
    """A QR code of `link`, drawn here (segno, pure Python): no outside service sees the room."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=12, border=2)
    return out.getvalue()


def _detach(code: str) -> None:
    st.session_state[DETACHED] = {*st.session_state.get(DETACHED, ()), code}


def _follow_again(code: str) -> None:
    st.session_state[DETACHED] = set(st.session_state.get(DETACHED, ())) - {code}
    st.session_state.setdefault(SEEN, {}).pop(code, None)


def _end(url, talk: Talk) -> None:
    try:
        rooms().end(talk.room.code, talk.secret)
    except RoomError:
        pass
    _leave(url)
    st.toast("The talk has ended; its followers see that it ended.", icon=":material/event_busy:")


def _window_link(view: str) -> str:
    """This window's link with `view` changed: the speaker's second window (it carries the speaker key, so both
    of the speaker's windows move the room)."""
    query = {k: v for k, v in st.query_params.to_dict().items()}
    query["view"] = view
    return f"{params.PAGE}?{urllib.parse.urlencode(query)}"


def side(column, url, talk: Talk | None, view: str) -> None:
    """The room's part of the slide controls: start a room; the join code; detach / follow again."""
    with column:
        if talk is None or (talk.role == SPEAKER and not talk.room.live):
            left, right = st.columns(2)
            left.button("Audience", key="talk:room-start", icon=":material/groups:", width="stretch",
                        on_click=start, args=(url,), help="Let the audience follow this talk on their phones: a "
                        "QR code and a short link; only you move the slides.")
            other = "slide" if view == "speaker" else "speaker"
            right.link_button(other.capitalize(), _window_link(other), icon=":material/open_in_new:",
                              width="stretch", help=f"Open the {other} view in a second window.")
        elif talk.role == SPEAKER:
            _join_code(talk, url, view)
        elif talk.following:
            st.button("Detach", key="talk:detach", icon=":material/call_split:", width="stretch",
                      on_click=_detach, args=(talk.room.code,),
                      help="Look around on your own (the speaker's moves no longer move you).")
        elif talk.room.live:
            _detached_bar(talk.room.code)


@st.fragment(run_every=DETACHED_POLL_S)
def _detached_bar(code: str) -> None:
    room = rooms().get(code)
    if room is None or not room.live:
        st.rerun()
    st.button(f"Follow (speaker on {room.slide})", key="talk:follow", icon=":material/sync:", width="stretch",
              on_click=_follow_again, args=(code,), type="primary", help="Back to the speaker's slide.")


def _join_code(talk: Talk, url, view: str) -> None:
    """The room's code as a small QR code and link; a larger QR code, the speaker's other window and the end of
    the talk behind one button."""
    link = share_link(talk.room.code)
    shown = link.split("://", 1)[-1]
    qr, text = st.columns([1, 2], vertical_alignment="center")
    qr.image(qr_png(link), width=96)
    text.markdown(f"Follow: [{shown}]({link})")
    with text.popover(f"Room {talk.room.code}", icon=":material/qr_code_2:"):
        st.image(qr_png(link), width=420)
        st.markdown(f"Follow on your phone: [{shown}]({link})")
        other = "slide" if view == "speaker" else "speaker"
        st.link_button(f"Open the {other} view", _window_link(other), icon=":material/open_in_new:",
                       help="A second window of yours: it moves the room too.")
        st.button("End the talk", key="talk:end", icon=":material/stop_circle:", on_click=_end, args=(url, talk),
                  help="Followers see that the talk has ended.")
