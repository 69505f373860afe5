"""Streamlit-only helpers shared by the pages: URL-bound widgets, presenter mode, sidebar."""
