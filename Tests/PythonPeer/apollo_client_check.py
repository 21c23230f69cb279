#!/usr/bin/env python3
"""Watches one namespace of `weaver server`'s Apollo-compatible API with a real Apollo client.

The client is papollo (PyPI `papollo`, MIT, https://github.com/aisk/papollo), a client of
Apollo's own client protocol: it fetches `GET /configs/{appId}/{cluster}/{namespace}` (sending
the releaseKey it holds, so an unchanged namespace is a 304) and, with `watch=True`, long polls
`GET /notifications/v2` in a daemon thread and refetches a namespace as soon as the server reports
a newer notification id for it. It does not use the meta server and does not look up its own IP
(no socket to any outside address), so it runs without a network. Runs with the default `python3`
(the pyenv 3.11 interpreter); install the client once with

    python3 -m pip install papollo

usage: apollo_client_check.py BASE_URL APP NAMESPACE [--cluster C] [--changes N] [--timeout S]
                              [--ip IP] [--label L] [--secret S] [--once] [-v]

    weaver server --data-dir "$(mktemp -d)" --listen 127.0.0.1:0 --apollo-hold 5s
    # write and publish APP/default/NAMESPACE through /v1/config, then
    python3 Tests/PythonPeer/apollo_client_check.py http://HOST:PORT APP NAMESPACE --changes 2

Output on stdout, one JSON object a line, each flushed as it is written:

    {"event": "initial", "config": {...}}    once, as soon as the client has loaded the namespace
    {"event": "change", "config": {...}}     once per change the client itself notices (its
                                             change listener fires: a new release whose
                                             configurations differ from the ones it held)

`config` is the namespace's `configurations` as the client holds them (for a non-properties
namespace, `{"content": "<text>"}`). Nothing else is written to stdout; the client's logging
(the `papollo` logger: failed polls, retries) goes to stderr, and with -v also httpx's line for
every request sent (`HTTP Request: GET <url> "HTTP/1.1 <status>"`).

The client is given no `max_age`, so a change can only reach it through `/notifications/v2`: a
server whose notifications are broken times out here rather than being papered over by polling.
Until the namespace loads (the server may not be up or the namespace not published yet), the
first fetch is retried every 0.2 s.

The client sends --ip and --label as Apollo clients do (gray releases select by them), and with
--secret signs every request with that access key (Apollo's `Authorization: Apollo APP:SIGNATURE`
and `Timestamp` headers, papollo's own signing). With --once it loads the namespace once: exit 0
after the initial line, 1 at once (the server's answer on stderr) if the load is refused.

Exit status: 0 after --changes changes (default 2); 1 when --timeout seconds (default 30, counted
from the start) pass first, with what was missing on stderr; 2 on bad usage or a missing client.
"""
import argparse
import json
import logging
import queue
import sys
import time

try:
    import httpx
    from papollo import Apollo, ApolloError
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(f"apollo_client_check: {exc}; install it with: python3 -m pip install papollo",
          file=sys.stderr)
    sys.exit(2)


def emit(event, config):
    line = json.dumps({"event": event, "config": dict(sorted(config.items()))})
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def fail(message):
    print(f"apollo_client_check: {message}", file=sys.stderr, flush=True)
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Watch an Apollo namespace with the papollo client and print its changes.")
    parser.add_argument("base_url", metavar="BASE_URL", help="config service, e.g. http://127.0.0.1:8080")
    parser.add_argument("app", metavar="APP", help="Apollo appId")
    parser.add_argument("namespace", metavar="NAMESPACE", help="namespace, e.g. application")
    parser.add_argument("--cluster", default="default", help="Apollo cluster (default: default)")
    parser.add_argument("--changes", type=int, default=2, metavar="N",
                        help="exit 0 after this many changes (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S",
                        help="exit 1 when this many seconds pass first (default 30)")
    parser.add_argument("--ip", help="the address the client reports (Apollo's ip parameter)")
    parser.add_argument("--label", help="the client's label (Apollo's label parameter)")
    parser.add_argument("--secret", help="an access key: sign every request with it")
    parser.add_argument("--once", action="store_true", help="load once; a refusal exits 1 at once")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also log every HTTP request the client sends (to stderr)")
    args = parser.parse_args(argv)
    if args.changes < 0:
        parser.error("--changes must be >= 0")

    logging.basicConfig(stream=sys.stderr, level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    deadline = time.monotonic() + args.timeout
    changes = queue.Queue()

    # trust_env=False: a proxy set in the environment must not capture loopback requests.
    # papollo leaves clients passed in open, so they are closed below.
    http = httpx.Client(trust_env=False)
    watch_http = httpx.Client(trust_env=False)
    client = Apollo(
        args.base_url,
        args.app,
        cluster=args.cluster,
        secret=args.secret,
        ip=args.ip,
        label=args.label,
        timeout=5.0,
        watch=not args.once,
        http_client=http,
        watch_http_client=watch_http,
    )
    try:
        @client.add_listener
        def on_change(namespace, old, new):
            changes.put((namespace, dict(new)))

        config, error = None, None
        while config is None:
            try:
                config = client.namespace(args.namespace)
            except ApolloError as exc:
                error = exc
                if args.once:
                    return fail(f"loading {args.namespace!r} failed: {error} "
                                f"(status {getattr(error, 'status_code', None)})")
                if time.monotonic() >= deadline:
                    return fail(f"timed out after {args.timeout:g} s before the namespace "
                                f"{args.namespace!r} loaded; last error: {error}")
                time.sleep(0.2)
        emit("initial", config)
        if args.once:
            return 0
        # papollo reports namespaces by their name without a ".properties" suffix.
        name = args.namespace
        if name.lower().endswith(".properties"):
            name = name[: -len(".properties")]

        seen = 0
        while seen < args.changes:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return fail(f"timed out after {args.timeout:g} s with {seen} of "
                            f"{args.changes} changes seen")
            try:
                namespace, new = changes.get(timeout=remaining)
            except queue.Empty:
                continue
            if namespace != name:
                continue
            emit("change", new)
            seen += 1
        return 0
    finally:
        client.close()  # stops the poller, aborting a long poll in flight
        watch_http.close()
        http.close()


if __name__ == "__main__":
    sys.exit(main())
