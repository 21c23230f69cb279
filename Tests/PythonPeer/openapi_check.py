#!/usr/bin/env python3
"""Checks a running `weaver server` against docs/openapi.yaml with schemathesis.

Runs with the default `python3` (the pyenv 3.11 interpreter), and runs schemathesis 4.x
with that same interpreter (`python3 -m schemathesis.cli`). Install it once with

    python3 -m pip install schemathesis

usage: openapi_check.py SPEC BASE_URL [--token TOKEN] [--max-examples N] [--seed N] ...

    weaver server --data-dir "$(mktemp -d)" --listen 127.0.0.1:0   # prints 'listening on HOST:PORT'
    python3 Tests/PythonPeer/openapi_check.py docs/openapi.yaml http://HOST:PORT

Every operation gets schemathesis's phases (the spec's examples, coverage of boundary
values, random fuzzing, stateful sequences along the spec's links), positive and negative
data, and these checks on every response: no 5xx, a documented status, a documented
content type, a body that matches its schema, the documented headers. A run is bounded:
--max-examples per operation (30), --request-timeout (5 s), a whole-run deadline (120 s;
about 10 s on 2 cores). Generation is seeded (--seed) and keeps no example database; what
hypothesis and schemathesis write goes to a temporary directory removed afterwards.

Against a server started with --token-file, pass --token (or WEAVER_TOKEN) to send
`Authorization: Bearer TOKEN`. With --probes, a few hand-written requests follow for
defects random data does not reach (the last may crash a faulty server).

Exit status: 0 when every check passed, 1 when one failed, 2 when the check could not run.

This file is also the schemathesis hooks module of the run (SCHEMATHESIS_HOOKS): see
`before_call` at the end.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    # Stateful: a registered instance can be read back, a deregistered one is gone.
    "ensure_resource_availability",
    "use_after_free",
]

# A blocking query (`index` given) holds for up to `wait` (30 s by default): the hook
# below sends at most this, so that a run stays short.
MAX_WAIT_MS = 200
INSTANCES_PATH = "/v1/services/{service}/instances"


def duration_ms(text):
    """`500ms`, `30s`, `2m` in milliseconds; None for anything else."""
    match = re.fullmatch(r"([0-9]+)(ms|s|m)", text)
    if match is None:
        return None
    return int(match.group(1)) * {"ms": 1, "s": 1000, "m": 60_000}[match.group(2)]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", help="the OpenAPI description (docs/openapi.yaml)")
    parser.add_argument("base_url", help="the server, e.g. http://127.0.0.1:8500")
    parser.add_argument("--token", default=os.environ.get("WEAVER_TOKEN"), help="bearer token (default: $WEAVER_TOKEN)")
    parser.add_argument("--max-examples", type=int, default=30, help="test cases per operation and phase (30)")
    parser.add_argument("--seed", type=int, default=20261203, help="generation seed")
    parser.add_argument("--request-timeout", type=float, default=5.0, help="seconds per request (5)")
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds for the whole run (120)")
    parser.add_argument("--workers", default="1", help="concurrent workers (1)")
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    parser.add_argument("--checks", default=",".join(CHECKS), help="schemathesis checks")
    parser.add_argument("--probes", action="store_true", help="also run the hand-written probes")
    parser.add_argument("--verbose", action="store_true", help="print schemathesis's whole output")
    return parser.parse_args()


def request(method, url, body=None, token=None, timeout=5.0):
    """(status, parsed JSON body or None); raises OSError when no answer comes."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, data = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, data = error.code, error.read()
    try:
        return status, json.loads(data) if data else None
    except ValueError:
        return status, None


def error_code(body):
    return body.get("error", {}).get("code") if isinstance(body, dict) else None


def run_schemathesis(args, workdir):
    """Runs the CLI; returns (exit code or None on the deadline, output, report or None)."""
    report = os.path.join(workdir, "report.json")
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", os.path.abspath(args.spec),
        "--url", args.base_url,
        "--checks", args.checks,
        "--phases", args.phases,
        "--max-examples", str(args.max_examples),
        "--seed", str(args.seed),
        "--request-timeout", str(args.request_timeout),
        "--workers", str(args.workers),
        "--generation-database", "none",
        "--no-color",
        "--report", "json", "--report-json-path", report,
    ]
    if args.token:
        command += ["--header", f"Authorization: Bearer {args.token}"]
    env = dict(os.environ)
    env["SCHEMATHESIS_HOOKS"] = os.path.abspath(__file__)
    env["HYPOTHESIS_STORAGE_DIRECTORY"] = os.path.join(workdir, ".hypothesis")
    env["NO_COLOR"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # this file is imported as the hooks module
    process = subprocess.Popen(
        command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    try:
        output, _ = process.communicate(timeout=args.deadline)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        output, _ = process.communicate()
        return None, output, None
    try:
        with open(report) as file:
            parsed = json.load(file)
    except (OSError, ValueError):
        parsed = None
    return process.returncode, output, parsed


def show(output, verbose):
    """Schemathesis's failures and errors, without the `st replay` lines (its cache is gone)."""
    lines = [line for line in output.splitlines() if "st replay" not in line]
    if verbose:
        print("\n".join(lines))
        return
    keep, sections = False, ("FAILURES", "ERRORS")
    for line in lines:
        if line.startswith("====="):
            keep = any(f" {name} " in line for name in sections)
        if keep:
            print(line)


def probes(args):
    """Hand-written requests for defects random data does not reach; returns the failures."""
    base = args.base_url.rstrip("/")
    failures = []

    def expect(name, method, path, body, statuses, code=None):
        try:
            status, answer = request(method, base + path, body, args.token, args.request_timeout)
        except OSError as error:
            failures.append(f"{name}: {method} {path}: no answer ({error})")
            return
        if status not in statuses or (code and error_code(answer) != code):
            failures.append(f"{name}: {method} {path}: got {status} {error_code(answer) or ''}, expected {statuses} {code or ''}")

    oversize = b'{"host":"' + b"x" * (1 << 20) + b'","port":1}'
    expect("oversize body", "POST", "/v1/services/probe/instances", oversize, {413}, "too_large")
    expect("oversize body", "PUT", "/v1/services/probe/settings", b'{"protectionThreshold":0' + b" " * (1 << 20) + b"}", {413}, "too_large")
    expect("register", "POST", "/v1/services/probe/instances", b'{"host":"h","port":80}', {200})
    expect("percent-encoded path", "PUT", "/v1/services/probe/instances/h%3A80/heartbeat", None, {204})
    expect("percent-encoded path", "GET", "/v1/services/%70robe/instances", None, {200})
    # Last: on a faulty server this one is a crash.
    expect("huge wait", "GET", "/v1/services/probe/instances?index=9223372036854775807&wait=9223372036854775807m", None, {200, 400})
    return failures


def main():
    args = arguments()
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        print(f"schemathesis is missing: {sys.executable} -m pip install schemathesis", file=sys.stderr)
        return 2
    try:
        status, _ = request("GET", args.base_url.rstrip("/") + "/v1/health", timeout=args.request_timeout)
    except OSError as error:
        print(f"no server at {args.base_url}: {error}", file=sys.stderr)
        return 2
    if status != 200:
        print(f"{args.base_url}/v1/health answered {status}; is this a weaver server?", file=sys.stderr)
        return 2

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="weaver-openapi-check-")
    try:
        code, output, report = run_schemathesis(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started

    if code is None:
        show(output, True)
        print(f"openapi_check: FAIL: schemathesis did not finish within {args.deadline:.0f} s (a hang?)")
        return 1
    if report is None:
        show(output, True)
        print(f"openapi_check: could not run schemathesis (exit {code})", file=sys.stderr)
        return 2
    show(output, args.verbose)

    cases = report.get("test_cases", {})
    operations = report.get("operations", {})
    phases = report.get("phases", {})
    failures = report.get("failures", [])
    errors = report.get("errors", [])
    print(f"openapi_check: schemathesis {report.get('schemathesis_version')}, seed {report.get('seed')}, "
          f"{operations.get('tested', 0)}/{operations.get('total', 0)} operations, "
          f"{cases.get('generated', 0)} test cases in {elapsed:.1f} s")
    print("  phases: " + ", ".join(f"{name} {info.get('status')}" for name, info in phases.items()))
    print("  checks: " + args.checks)
    for failure in failures:
        print(f"  FAILED {failure.get('code')} {failure.get('title')} ({failure.get('count')}×): "
              + ", ".join(failure.get("operations", [])))
    for error in errors:
        print(f"  ERROR {error}")
    for name, operations_ in report.get("warnings", {}).items():
        if operations_:
            print(f"  warning {name}: " + ", ".join(map(str, operations_)))

    passed = code == 0 and not failures and not errors
    if args.probes:
        found = probes(args)
        for failure in found:
            print(f"  PROBE FAILED {failure}")
        print(f"  probes: {'all passed' if not found else f'{len(found)} failed'}")
        passed = passed and not found
    print(f"openapi_check: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
else:
    # Loaded by schemathesis as its hooks module (SCHEMATHESIS_HOOKS points at this file).
    import schemathesis

    @schemathesis.hook
    def before_call(context, case, kwargs):
        # A blocking query waits at most MAX_WAIT_MS.
        query = case.query
        if case.method.upper() == "GET" and case.path == INSTANCES_PATH and isinstance(query, dict) and "index" in query:
            wait = query.get("wait")
            if wait is None or (isinstance(wait, str) and (duration_ms(wait) or 0) > MAX_WAIT_MS):
                query["wait"] = f"{MAX_WAIT_MS}ms"
