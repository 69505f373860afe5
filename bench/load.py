"""Many viewers at once, measured at the protocol level: N sessions open one page together over Streamlit's own
websocket (no browsers, so the server is what is measured) and each waits until its script run has finished.

    .venv/bin/python bench/load.py [--sessions 20 50] [--processes N] [PATH ...]   (default: every registered page)

With --processes N (N > 1) the site is served by deploy/serve_many.py: N Streamlit processes behind nginx with
cookie-sticky sessions; each simulated viewer carries its own backend cookie, as a browser does after its first
page load. Server CPU and memory are then summed over the N processes.

Per page and session count it prints: errors (no finished run, a "page not found", a dropped connection),
exception elements sent, the median and p95 time from opening the websocket to the finished run, the server's
CPU time per session, the bytes sent per session, and the server's memory (RSS) before and after. Every page
is served from the shipped presets (nothing trains). Figures only; no assertion.

    .venv/bin/python bench/load.py --train same|distinct [--sessions 10] [--processes N]

A workshop: every session opens the GAN Lab on a tiny config (200 G steps, width 8) and presses Train, then
reloads once a second until its run is shown. "same": every session asks for one config, which must train once;
"distinct": each its own seed, so the jobs queue (at most two run at once per process) and the page says where
each waits. It prints the time from the click to the shown result, the queue positions the pages showed, and how
many runs were trained (entries in the run store).
"""
import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402  (uvicorn's websocket library, installed with streamlit)
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from explainer.site import PAGES, url_of  # noqa: E402
from tests.support.browser import serve_app  # noqa: E402

TIMEOUT_S = 180


async def one_session(ws_url: str, page: str) -> dict:
    """Open a session on `page` ("" for the default page), ask for its run, read until the run has finished."""
    start, sent, exceptions = time.perf_counter(), 0, 0
    cookie = {"Cookie": f"explainer_backend={uuid.uuid4().hex}"}  # one viewer's sticky backend (nginx)
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT_S,
                                      additional_headers=cookie) as ws:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_name = page
            await ws.send(msg.SerializeToString())
            while True:
                data = await asyncio.wait_for(ws.recv(), TIMEOUT_S)
                sent += len(data)
                forward = ForwardMsg()
                forward.ParseFromString(data)
                kind = forward.WhichOneof("type")
                if kind == "delta" and forward.delta.WhichOneof("type") == "new_element" \
                        and forward.delta.new_element.WhichOneof("type") == "exception":
                    exceptions += 1
                elif kind == "page_not_found":
                    return {"error": "page not found"}
                elif kind == "script_finished":
                    return {"seconds": time.perf_counter() - start, "bytes": sent, "exceptions": exceptions}
    except Exception as e:  # a refused or dropped connection, a timeout: count it, keep measuring the others
        return {"error": f"{type(e).__name__}: {e}"[:120]}


TINY = "steps=200&width=8&batch=32&seed={seed}"


def _elements(forward: ForwardMsg):
    if forward.WhichOneof("type") == "delta" and forward.delta.WhichOneof("type") == "new_element":
        yield forward.delta.new_element


async def _run(ws, page: str, query: str, widgets=()) -> list:
    """Ask for one full run of `page` (with `widgets` states, e.g. a pressed button); its elements."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    msg.rerun_script.widget_states.widgets.extend(widgets)
    await ws.send(msg.SerializeToString())
    elements = []
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
        elements += list(_elements(forward))
        if forward.WhichOneof("type") == "script_finished":
            return elements


async def one_learner(ws_url: str, seed: int) -> dict:
    """Open the Lab on a tiny config, press Train, reload every second until the run is shown."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    query, cookie = TINY.format(seed=seed), {"Cookie": f"explainer_backend={uuid.uuid4().hex}"}
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT_S,
                                      additional_headers=cookie) as ws:
            elements = await _run(ws, "gans", query)
            train = next(e.button.id for e in elements
                         if e.WhichOneof("type") == "button" and e.button.label == "Train")
            clicked, positions = time.perf_counter(), set()
            elements = await _run(ws, "gans", query, [WidgetState(id=train, trigger_value=True)])
            while time.perf_counter() - clicked < TIMEOUT_S:
                for e in elements:
                    text = e.progress.text if e.WhichOneof("type") == "progress" else ""
                    if "position" in text:
                        positions.add(int(text.rsplit("position", 1)[1].strip(" )")))
                if any(e.WhichOneof("type") == "metric" and e.metric.label == "Modes covered" for e in elements):
                    return {"seconds": time.perf_counter() - clicked, "positions": positions}
                await asyncio.sleep(1)
                elements = await _run(ws, "gans", query)
            return {"error": "no result shown in time"}
    except Exception as e:  # count it, keep measuring the others
        return {"error": f"{type(e).__name__}: {e}"[:120]}


def workshop(ws_url: str, cache: str, n: int, same: bool) -> None:
    async def all_learners():
        return await asyncio.gather(*(one_learner(ws_url, 7000 if same else 7000 + i) for i in range(n)))

    results = asyncio.run(all_learners())
    ok = [r for r in results if "seconds" in r]
    times = sorted(r["seconds"] for r in ok)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan")
    positions = sorted(set().union(*(r["positions"] for r in ok))) if ok else []
    trained = [p for p in Path(cache).iterdir() if p.is_dir() and not p.name.startswith(".")]
    print(f"{n} learners, {'one config' if same else f'{n} configs'}: {len(results) - len(ok)} errors; click to "
          f"result median {statistics.median(times) if times else float('nan'):.1f} s, p95 {p95:.1f} s; queue "
          f"positions shown {positions or 'none'}; runs trained {len(trained)}")
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        print(f"    first error: {errors[0]}")


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


@contextlib.contextmanager
def served(processes: int, cache: str):
    """(base URL, server pids): one `streamlit run`, or `processes` of them behind nginx (deploy/serve_many.py)."""
    os.environ["EXPLAINER_CACHE_DIR"] = cache
    if processes <= 1:
        with serve_app(env={"EXPLAINER_CACHE_DIR": cache}) as base:
            yield base, server_pids([int(base.rsplit(":", 1)[1])])
        return
    from deploy.serve_many import start, stop

    procs, base = start(processes, 8500, 8601)
    try:
        yield base, server_pids([8601 + i for i in range(processes)])
    finally:
        stop(procs)


def server_pids(ports: list[int]) -> list[int]:
    """The Streamlit processes serving on `ports`."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "streamlit" in cmd and any(f"--server.port {port} " in cmd + " " for port in ports):
                pids.append(int(proc.name))
    if len(pids) != len(ports):
        raise RuntimeError(f"found {len(pids)} server processes for ports {ports}")
    return pids


async def burst(ws_url: str, page: str, n: int) -> list[dict]:
    return await asyncio.gather(*(one_session(ws_url, page) for _ in range(n)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", help="page paths (default: every registered page; '' is home)")
    ap.add_argument("--sessions", type=int, nargs="+", default=[20, 50])
    ap.add_argument("--processes", type=int, default=1, help="Streamlit processes behind nginx (1: no proxy)")
    ap.add_argument("--train", choices=["same", "distinct"], help="a workshop: every session presses Train")
    args = ap.parse_args()
    paths = args.paths or [url_of(p) for p in PAGES]
    with tempfile.TemporaryDirectory() as cache, served(args.processes, cache) as (base, pid):
        ws_url = base.replace("http", "ws", 1) + "/_stcore/stream"
        if args.train:
            for n in args.sessions:
                workshop(ws_url, cache, n, args.train == "same")
            return
        for path in paths:  # a first visit warms each page (imports, shipped runs, figures built once)
            asyncio.run(burst(ws_url, path, 4 * args.processes))  # every process, with random cookies
        start_rss = rss_mb(pid)
        print(f"server RSS after one visit of each page: {start_rss:.0f} MB")
        print(f"{'page':<16}{'sessions':>9}{'errors':>8}{'exceptions':>11}{'median s':>10}{'p95 s':>8}"
              f"{'server ms/session':>19}{'kB/session':>12}{'RSS MB':>8}")
        total = 0
        for n in args.sessions:
            for path in paths:
                cpu0 = cpu_seconds(pid)
                results = asyncio.run(burst(ws_url, path, n))
                cpu = cpu_seconds(pid) - cpu0
                total += n
                ok = [r for r in results if "seconds" in r]
                errors = [r["error"] for r in results if "error" in r]
                times = sorted(r["seconds"] for r in ok)
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan")
                print(f"/{path:<15}{n:>9}{len(errors):>8}{sum(r['exceptions'] for r in ok):>11}"
                      f"{statistics.median(times) if times else float('nan'):>10.2f}{p95:>8.2f}"
                      f"{1000 * cpu / n:>19.0f}{statistics.median(r['bytes'] for r in ok) / 1e3 if ok else 0:>12.0f}"
                      f"{rss_mb(pid):>8.0f}")
                if errors:
                    print(f"    first error: {errors[0]}")
        time.sleep(5)
        print(f"server RSS after {total} sessions came and went: {rss_mb(pid):.0f} MB "
              f"({rss_mb(pid) - start_rss:+.0f} MB)")


if __name__ == "__main__":
    main()
