"""The Talk page's registration (explainer.registration): decks of live demo slides, from every other page."""
from explainer.registration import PageSpec, Topic

TOPIC = Topic(order=90, pages=(
    PageSpec("site_pages/talk.py", "Talk", ":material/slideshow:", "Present", "talk",
             "Decks of live demo slides: arrow keys to advance, a speaker view with notes, your own deck."),
))
