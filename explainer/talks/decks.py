"""Decks: a talk as an ordered list of slides, kept in small TOML files and checked on load.

A slide is a live demo (a page, one of its sections, and the state its link holds: exactly what the address bar
holds on that page) or a short text slide (a title and a few markdown bullet lines). Either may carry speaker
notes. Nothing in a deck is executed or rendered as HTML: the talk page draws a demo with the page's own section
code from its state (clamped there like any link) and text as markdown with HTML escaped.

    title = "GANs, live"
    [[slides]]
    title = "The Lab"
    page = "gans"
    section = "lab"
    state = { seed = "7" }
    notes = "Press Play on the replay."
    [[slides]]
    title = "Why it matters"
    bullets = ["one", "two"]

A deck that cannot be read at all (not TOML, too large, no slides) raises DeckError; a slide that is wrong (an
unknown key, a page that does not exist, junk types) is skipped with a notice, and the rest of the deck works.
"""
import html
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

BUILT_IN_DIR = Path(__file__).with_name("builtin")
MAX_BYTES = 64_000  # an uploaded deck: a talk is text, a few kB
MAX_SLIDES = 60
MAX_TEXT = 600  # characters in a title, a bullet or a note's line
MAX_BULLETS = 8
MAX_STATE_KEYS = 30
DECK_KEYS = {"title", "description", "slides"}
SLIDE_KEYS = {"title", "page", "section", "state", "notes", "bullets"}


class DeckError(ValueError):
    """A deck that cannot be used at all, with the reason in words."""


@dataclass(frozen=True)
class Slide:
    title: str
    page: str | None = None  # a demo slide: the page's url path ("gans")
    section: str | None = None  # its section (None: the page's first, or a page without sections)
    state: dict[str, str] = field(default_factory=dict)  # the link's parameters, as strings
    notes: str = ""
    bullets: tuple[str, ...] = ()  # a text slide's lines (markdown, HTML escaped)

    @property
    def is_demo(self) -> bool:
        return self.page is not None


@dataclass(frozen=True)
class Deck:
    name: str
    title: str
    slides: tuple[Slide, ...]
    description: str = ""


def _text(value, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    if len(value) > MAX_TEXT * 4:
        raise ValueError(f"{what} is longer than {MAX_TEXT * 4} characters")
    return html.escape(value.strip(), quote=False)  # markdown only: no tag from a deck reaches the page


def _slide(raw, pages: set[str]) -> Slide:
    if not isinstance(raw, dict):
        raise ValueError("a slide must be a table of keys")
    unknown = sorted(set(raw) - SLIDE_KEYS)
    if unknown:
        raise ValueError(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}")
    title = _text(raw.get("title", ""), "its title")[:MAX_TEXT]
    notes = _text(raw.get("notes", ""), "its notes")
    if "page" in raw:
        page = raw["page"]
        if page not in pages:
            raise ValueError(f"page {str(page)[:40]!r} does not exist")
        section = raw.get("section")
        if section is not None and not (isinstance(section, str) and section.replace("-", "").isalnum()):
            raise ValueError("its section must be a section's name")
        state = raw.get("state", {})
        if not isinstance(state, dict) or len(state) > MAX_STATE_KEYS:
            raise ValueError(f"its state must be a table of at most {MAX_STATE_KEYS} link parameters")
        # every value as the text a link would hold; the page parses and clamps it as it does a link's
        state = {str(k)[:40]: str(v)[:200] for k, v in state.items() if isinstance(v, str | int | float | bool)}
        return Slide(title or page, page, section, state, notes)
    bullets = raw.get("bullets", [])
    if not isinstance(bullets, list) or not all(isinstance(b, str) for b in bullets):
        raise ValueError("its bullets must be a list of text lines")
    if not title and not bullets:
        raise ValueError("a text slide needs a title or bullets")
    return Slide(title, bullets=tuple(_text(b, "a bullet")[:MAX_TEXT] for b in bullets[:MAX_BULLETS]), notes=notes)


def parse(text: str | bytes, name: str, pages: set[str]) -> tuple[Deck, list[str]]:
    """A deck from TOML text, and a notice for each slide skipped (numbered from 1). `pages`: the url paths a
    demo slide may point at. Raises DeckError when nothing usable is there."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise DeckError(f"the file is {len(text):,} bytes; a deck is at most {MAX_BYTES:,}")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise DeckError("the file is not text (UTF-8)") from e
    if len(text) > MAX_BYTES:
        raise DeckError(f"the deck is {len(text):,} characters; at most {MAX_BYTES:,}")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DeckError(f"it is not valid TOML ({e})") from e
    slides_raw = raw.get("slides")
    if not isinstance(slides_raw, list) or not slides_raw:
        raise DeckError("it has no [[slides]]")
    notices = []
    unknown = sorted(set(raw) - DECK_KEYS)
    if unknown:
        notices.append(f"ignored unknown deck key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}")
    slides = []
    for number, slide_raw in enumerate(slides_raw[:MAX_SLIDES], start=1):
        try:
            slides.append(_slide(slide_raw, pages))
        except ValueError as e:
            notices.append(f"slide {number} skipped: {e}")
    if len(slides_raw) > MAX_SLIDES:
        notices.append(f"only the first {MAX_SLIDES} slides are used")
    if not slides:
        raise DeckError("none of its slides could be used (" + "; ".join(notices) + ")")
    title = raw.get("title") if isinstance(raw.get("title"), str) else name
    description = raw.get("description") if isinstance(raw.get("description"), str) else ""
    return Deck(name, _text(title, "the title")[:MAX_TEXT], tuple(slides), _text(description, "the description")), \
        notices


def to_toml(deck: Deck) -> str:
    """The deck as TOML text that `parse` reads back to the same deck (for a download)."""
    def quoted(s: str) -> str:
        return '"' + html.unescape(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = [f"title = {quoted(deck.title)}"]
    if deck.description:
        lines.append(f"description = {quoted(deck.description)}")
    for slide in deck.slides:
        lines += ["", "[[slides]]", f"title = {quoted(slide.title)}"]
        if slide.is_demo:
            lines.append(f"page = {quoted(slide.page)}")
            if slide.section:
                lines.append(f"section = {quoted(slide.section)}")
            if slide.state:
                lines.append("state = { " + ", ".join(f"{quoted(k)} = {quoted(v)}" for k, v in slide.state.items())
                             + " }")
        else:
            lines.append("bullets = [" + ", ".join(quoted(b) for b in slide.bullets) + "]")
        if slide.notes:
            lines.append(f"notes = {quoted(slide.notes)}")
    return "\n".join(lines) + "\n"


def built_in(pages: set[str]) -> dict[str, tuple[Deck, list[str]]]:
    """The decks that ship with the site (explainer/talks/builtin/NAME.toml), by name."""
    return {path.stem: parse(path.read_text(), path.stem, pages) for path in sorted(BUILT_IN_DIR.glob("*.toml"))}
