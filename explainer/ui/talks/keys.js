// The Talk page's key listener and clock (explainer/ui/talks/slides.py). Presentation clickers send PageDown /
// PageUp; keyboards the arrows, Home and End. A key typed into a field (a number input, a select) is the field's.
// One listener per page, bound to the newest render's trigger; gone with the element when the page changes.
const MOVES = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev", Home: "first", End: "last" };

export default function ({ parentElement, data, setTriggerValue }) {
  window.__talkKeys = { root: parentElement, trigger: setTriggerValue };
  if (!window.__talkKeysBound) {
    window.__talkKeysBound = true;
    document.addEventListener("keydown", (event) => {
      const talk = window.__talkKeys;
      if (!talk || !talk.root.isConnected) return;  // another page is open
      const target = event.target;
      const tag = ((target && target.tagName) || "").toLowerCase();
      if (["input", "textarea", "select"].includes(tag) || (target && target.isContentEditable)) return;
      const move = MOVES[event.key];
      if (!move) return;
      event.preventDefault();
      talk.trigger("move", move);
    });
  }
  const clock = parentElement.querySelector(".talk-clock");
  clock.dataset.start = String(data.start);
  const tick = () => {
    const s = Math.max(0, Math.floor((Date.now() - Number(clock.dataset.start)) / 1000));
    clock.textContent = `Elapsed ${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  tick();
  if (!clock.__timer) clock.__timer = setInterval(tick, 1000);
}
