"""Serve the site from several Streamlit processes behind nginx, with sticky sessions and one shared run store.

    .venv/bin/python deploy/serve_many.py [--processes 2] [--port 8500] [--first-backend-port 8601]

One Streamlit process runs a session's script on one core at a time, so a room full of viewers queues behind it;
N processes on N cores serve N runs at once. A session must stay on one process (its websocket, and the media
files such as the Mode collapse seed pictures that process made), so nginx routes by a cookie it sets on the
first response (`explainer_backend`, hashed onto the backends). Every process uses the same run store
(EXPLAINER_CACHE_DIR, default ~/.cache/explainer): the same config asked of two processes trains once
(explainer/runs/locks.py), and a run trained by one is instant in all.

Several machines: run this (or plain `streamlit run app.py` per process) on each, put EXPLAINER_CACHE_DIR on
storage they share that supports flock (e.g. NFS), and put this nginx, or a cloud load balancer with cookie
stickiness and websocket support, in front of all of them.

Needs nginx (Debian: `apt-get install nginx-light`). Ctrl-C stops everything.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  # a session's backend: its cookie, or (first request) a fresh id that the response then sets as the cookie
  map $cookie_explainer_backend $sticky {{ "" $request_id; default $cookie_explainer_backend; }}
  upstream streamlit {{
    hash $sticky consistent;
{servers}
  }}
  server {{
    listen {host}:{port};
    location / {{
      proxy_pass http://streamlit;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 1d;
      proxy_buffering off;
      add_header Set-Cookie "explainer_backend=$sticky; Path=/; HttpOnly; SameSite=Lax" always;
    }}
  }}
}}
"""


def wait_healthy(url: str, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")


def start(processes: int, port: int, first_backend_port: int, host: str = "127.0.0.1") -> tuple[list, str]:
    """Start the Streamlit processes and nginx; return (every process, the proxy's URL)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: apt-get install nginx-light")
    tmp = Path(tempfile.mkdtemp(prefix="explainer-nginx-"))
    backends = [first_backend_port + i for i in range(processes)]
    procs = []
    for backend in backends:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(backend), "--server.address", host, "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    for backend in backends:
        wait_healthy(f"http://{host}:{backend}/_stcore/health")
    servers = "\n".join(f"    server {host}:{b};" for b in backends)
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, servers=servers, host=host, port=port))
    procs.append(subprocess.Popen([nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"]))
    wait_healthy(f"http://{host}:{port}/_stcore/health")
    return procs, f"http://{host}:{port}"


def stop(procs: list) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--port", type=int, default=8500)
    ap.add_argument("--first-backend-port", type=int, default=8601)
    args = ap.parse_args()
    procs, url = start(args.processes, args.port, args.first_backend_port)
    print(f"serving {url} from {args.processes} Streamlit processes behind nginx (Ctrl-C stops)", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
        print("a process ended; stopping the others", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        stop(procs)


if __name__ == "__main__":
    main()
