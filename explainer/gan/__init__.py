"""GANs: config, datasets glue, models, losses, remedies, batched trainer, metrics."""
