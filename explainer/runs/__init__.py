"""Runs: a content-addressed store of finished training runs on disk, and an in-process registry of background jobs.

    store.py    RunStore: save/load a TrainResult under its config key (atomic, checksummed, self-healing)
    jobs.py     JobRegistry: get_or_start(config) -> Job (store hit, join a running job, or train in a thread)
    sample.py   rebuild a trained generator from a stored run and draw samples from it
"""
