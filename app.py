"""Entry point: `streamlit run app.py`. Page config, navigation over site_pages/, the shared sidebar."""
from pathlib import Path

import streamlit as st

from explainer.site import sections
from explainer.ui import jobs, presenter, sidebar, url_state

# Served by this app: a ":material/..." page icon makes the browser fetch the favicon from fonts.gstatic.com
# (the in-page icons come from Streamlit's bundled font; the favicon does not).
FAVICON = Path(__file__).resolve().parent / "explainer" / "ui" / "static" / "favicon.png"

jobs.registry()  # made on the process's first visit to any page: it warms torch up in the background at once
present = presenter.init()
st.set_page_config(
    page_title="explainer: deep learning you can poke",
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)
navigation = st.navigation({
    section: [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default) for p in pages]
    for section, pages in sections().items()
})
sidebar.render(navigation.url_path)
presenter.apply()
navigation.run()
url_state.show_notices()  # link notices no page's UrlState showed (every page has one; a safety net)
