"""Runs, for every topic: what a training run produces, where finished runs are kept, and the jobs that train them.

    result.py   TrainResult, Progress, Snapshot, the run statuses, and the contract a trainable config follows
    store.py    RunStore: save/load a TrainResult under its config key (atomic, checksummed, self-healing)
    job.py      Job (one training run of one config) and JobView (what it looks like at an instant)
    jobs.py     JobRegistry: get_or_start(config) -> Job (store hit, join a running job, or train in a thread)
    locks.py    a lock and a progress file per key in the store, so processes sharing a store train a key once
    follow.py   print a job's progress in a terminal (the CLI, ship-presets)
    ship.py     write the shipped runs (explainer.site.shipped_runs) into explainer/presets/
"""
