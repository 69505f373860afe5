"""Talks: decks of live demo slides (decks.py), the talk page's engine side."""
