"""The Interpretability page's views: one `render(url)` per section, figure builders in plots.py."""
