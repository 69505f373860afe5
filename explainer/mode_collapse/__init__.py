"""Mode collapse: how often a GAN config collapses over many seeds, and the published results to set beside it.

The runs themselves are GAN runs (explainer.gan); this package holds what the topic adds: per-seed summaries
(summary.py) and PacGAN's published table with its protocol (published.py).
"""
