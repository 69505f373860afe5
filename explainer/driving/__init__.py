"""Autonomous driving in a real simulator (highway-env): expert episodes, behaviour cloning vs DAgger, the data engine.

Never imports streamlit. pygame (highway-env's renderer) reads SDL_VIDEODRIVER when it is first imported:
"dummy" renders all-black frames, "offscreen" renders real ones without a window, so it is set here, before any
module of this package imports highway_env.
"""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
