"""explainer: the engine behind the site (models, trainers, data, metrics, run cache, CLI).

Nothing in this package imports streamlit, except the `explainer.ui` sub-package.
"""
__version__ = "0.1.0"
