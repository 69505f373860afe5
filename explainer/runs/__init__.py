"""Runs, for every topic: the contract a trainable config follows, what a run gets and produces, where finished
runs are kept, and the jobs that train them. Nothing here imports a topic, the site or the UI.

    config.py   RunConfig: MODEL, SCHEMA, RULES, a declared device, key(), steps, train(run)
    context.py  Run: what train(run) gets (tick, check_stop, generator, numpy_rng, device, require, result)
    result.py   TrainResult, Progress, Snapshot, the run statuses, derived (per-run caches)
    store.py    RunStore: save/load a TrainResult under its config key (atomic, checksummed, self-healing)
    job.py      Job (one training run of one config) and JobView (what it looks like at an instant)
    jobs.py     JobRegistry: get_or_start(config) -> Job (store hit, join a running job, or train in a thread),
                result_of(config) for a run that needs another; execute(config): the harness every run trains in
    locks.py    a lock and a progress file per key in the store, so processes sharing a store train a key once
    follow.py   print a job's progress in a terminal (the CLI)
    ship.py     train a set of named runs (warm) and write them into explainer/presets/ (ship-presets)
"""
