#!/usr/bin/env python3
"""Checks a running `weaver server` against docs/openapi.yaml with schemathesis.

Runs with the default `python3` (the pyenv 3.11 interpreter), and runs schemathesis 4.x
with that same interpreter (`python3 -m schemathesis.cli`). Install it once with

    python3 -m pip install schemathesis

usage: openapi_check.py SPEC BASE_URL [--token TOKEN] [--max-examples N] [--seed N] ...

    weaver server --data-dir "$(mktemp -d)" --listen 127.0.0.1:0   # prints 'listening on HOST:PORT'
    python3 Tests/PythonPeer/openapi_check.py docs/openapi.yaml http://HOST:PORT

Every operation (registry and config center) gets schemathesis's phases (the spec's
examples, coverage of boundary values, random fuzzing, stateful sequences along the
spec's links), positive and negative data, and these checks on every response: no 5xx, a
documented status, a documented content type, a body that matches its schema, the
documented headers. A run is bounded: --max-examples per operation (30), --request-timeout
(5 s), a whole-run deadline (120 s; about 15 s on 2 cores). Generation is seeded (--seed)
and keeps no example database; what hypothesis and schemathesis write goes to a temporary
directory removed afterwards.

Before the run, the namespace the spec's examples name (SEED_NAMESPACE) gets two releases,
so that the examples reach the config center's logic (a rollback needs two releases).
After it, `stateful successes` says how far the stateful sequences got along
draft → publish → releases / diff / rollback.

Against a server started with --token-file, pass --token (or WEAVER_TOKEN) to send
`Authorization: Bearer TOKEN`. With --probes, hand-written requests follow for defects
random data does not reach: limits, the release life cycle, blocking queries, governance
rules (the last two, huge waits, may crash a faulty server).

Exit status: 0 when every check passed, 1 when one failed, 2 when the check could not run.

This file is also the schemathesis hooks module of the run (SCHEMATHESIS_HOOKS): see
the end (short blocking waits, the stateful tally, where stateful sequences start).
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
BLOCKING_PATHS = {"/v1/services/{service}/instances", "/v1/config/{app}/{cluster}/{namespace}"}

# Where stateful sequences may start besides schemathesis's own guesses (see the hooks).
CONFIG_PATH = "/v1/config/{app}/{cluster}/{namespace}"
STATEFUL_ROOTS = {("PUT", CONFIG_PATH)}
# The config center's sequence along the spec's links: draft → publish → releases / diff /
# rollback. The run reports the stateful phase's successes for each; the first two it
# should always get (else the sequences no longer enter the config center: a warning).
# A rollback needs two publishes in one sequence, which 6-step sequences seldom make: the
# examples (on the seeded namespace) and the probes cover it.
STATEFUL_GOALS = [
    ("PUT", CONFIG_PATH),
    ("POST", CONFIG_PATH + "/publish"),
    ("GET", CONFIG_PATH + "/releases"),
    ("GET", CONFIG_PATH + "/releases/{number}"),
    ("GET", CONFIG_PATH + "/diff"),
    ("POST", CONFIG_PATH + "/rollback"),
]
STATEFUL_REQUIRED = STATEFUL_GOALS[:2]
STATEFUL_LOG_ENV = "WEAVER_CHECK_STATEFUL_LOG"

# The namespace the spec's examples name. `seed` gives it two releases before the run, so
# that the examples reach every config operation's logic (a rollback needs two releases)
# rather than its 404.
SEED_NAMESPACE = "/v1/config/user-service/default/application"


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


def seed(args):
    """Two releases in SEED_NAMESPACE; returns what went wrong, if anything."""
    base = args.base_url.rstrip("/") + SEED_NAMESPACE
    steps = [
        ("PUT", "", {"format": "properties", "content": "timeout=5s\nretries=2\n"}),
        ("POST", "/publish", {"author": "openapi_check", "comment": "seed"}),
        ("PUT", "", {"content": "timeout=3s\nretries=2\n"}),
        ("POST", "/publish", {"author": "openapi_check", "comment": "seed"}),
    ]
    for method, suffix, body in steps:
        try:
            status, answer = request(method, base + suffix, json.dumps(body).encode(), args.token, args.request_timeout)
        except OSError as error:
            return f"{method} {SEED_NAMESPACE}{suffix}: no answer ({error})"
        if status != 200:
            return f"{method} {SEED_NAMESPACE}{suffix}: {status} {error_code(answer) or ''}"
    return None


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
    env[STATEFUL_LOG_ENV] = os.path.join(workdir, "stateful.log")
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


def stateful_reach(workdir):
    """{(method, path): {status: count}} of the stateful phase, from the hooks' tally."""
    reach = {}
    try:
        with open(os.path.join(workdir, "stateful.log")) as file:
            for line in file:
                method, path, status = line.split()
                counts = reach.setdefault((method, path), {})
                counts[int(status)] = counts.get(int(status), 0) + 1
    except (OSError, ValueError):
        pass
    return reach


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

    def expect(name, method, path, body, statuses, code=None, check=None):
        """Sends one request; `check(answer)` returns what is wrong with a good status's body, if anything."""
        try:
            status, answer = request(method, base + path, body, args.token, args.request_timeout)
        except OSError as error:
            failures.append(f"{name}: {method} {path}: no answer ({error})")
            return None
        if status not in statuses or (code and error_code(answer) != code):
            failures.append(f"{name}: {method} {path}: got {status} {error_code(answer) or ''}, expected {statuses} {code or ''}")
        elif check is not None and (problem := check(answer)):
            failures.append(f"{name}: {method} {path}: {problem}")
        return answer

    oversize = b'{"host":"' + b"x" * (1 << 20) + b'","port":1}'
    expect("oversize body", "POST", "/v1/services/probe/instances", oversize, {413}, "too_large")
    expect("oversize body", "PUT", "/v1/services/probe/settings", b'{"protectionThreshold":0' + b" " * (1 << 20) + b"}", {413}, "too_large")
    expect("register", "POST", "/v1/services/probe/instances", b'{"host":"h","port":80}', {200})
    expect("a check on an ephemeral instance", "POST", "/v1/services/probe/instances",
           b'{"host":"h","port":81,"check":{"type":"tcp"}}', {400}, "invalid_argument")
    expect("a check with an unknown field", "POST", "/v1/services/probe/instances",
           b'{"host":"h","port":81,"ephemeral":false,"check":{"type":"tcp","every":5}}', {400}, "invalid_argument")
    expect("a checked persistent instance", "POST", "/v1/services/probe/instances",
           b'{"host":"127.0.0.1","port":1,"ephemeral":false,"check":{"type":"http","intervalSeconds":60}}', {200},
           check=lambda answer: None if (answer or {}).get("healthy") is False and (answer or {}).get("check", {}).get("path") == "/"
           else f"not unhealthy with the default path: {answer!r}")
    expect("percent-encoded path", "PUT", "/v1/services/probe/instances/h%3A80/heartbeat", None, {204})
    expect("percent-encoded path", "GET", "/v1/services/%70robe/instances", None, {200})
    config_probes(expect, failures)
    # Last: on a faulty server these are a crash.
    expect("huge wait", "GET", "/v1/services/probe/instances?index=9223372036854775807&wait=9223372036854775807m", None, {200, 400})
    expect("huge wait", "GET", SEED_NAMESPACE + "?index=9223372036854775807&wait=9223372036854775807m", None, {200, 400})
    return failures


def config_probes(expect, failures):
    """The config center: limits, the release life cycle, and what the spec cannot say."""
    # A cluster of its own, so that probes can run again against the same store.
    ns = f"/v1/config/probe/run-{time.time_ns()}/application"

    def draft(content, format=None):
        body = {"content": content} if format is None else {"format": format, "content": content}
        return json.dumps(body).encode()

    def publish(path, statuses=frozenset({200}), code=None, name="publish"):
        return expect(name, "POST", path + "/publish", b'{"author":"probe","comment":null}', statuses, code)

    def release(number, kind, rolled_back_to=None):
        def check(answer):
            got = (answer or {}).get("number"), (answer or {}).get("kind"), (answer or {}).get("rolledBackTo")
            return None if got == (number, kind, rolled_back_to) else f"got (number, kind, rolledBackTo) {got}, expected {(number, kind, rolled_back_to)}"
        return check

    # Limits: 512 KiB of content (in a body under 1 MiB), 1 MiB of body.
    expect("content over 512 KiB", "PUT", ns, draft("x" * (512 * 1024 + 1)), {400}, "invalid_argument")
    expect("body over 1 MiB", "PUT", ns, draft("x" * (1 << 20)), {413}, "too_large")
    expect("no namespace yet", "GET", ns, None, {404}, "not_found")
    expect("no namespace yet", "GET", ns + "/releases", None, {404}, "not_found")
    expect("nothing to roll back", "POST", ns + "/rollback", b'{"author":"probe"}', {404}, "not_found")
    # Life cycle: publish clears the draft; a rollback is a new release.
    expect("first draft", "PUT", ns, draft("timeout=5s\nretries=2\n", "properties"), {200})
    expect("empty releases", "GET", ns + "/releases", None, {200}, check=lambda answer: None if answer == [] else f"got {answer!r}, expected []")
    expect("publish 1", "POST", ns + "/publish", b'{"author":"probe"}', {200}, check=release(1, "publish"))
    publish(ns, statuses={404}, code="not_found", name="publish without a draft")
    expect("roll back the only release", "POST", ns + "/rollback", b'{"author":"probe"}', {400}, "invalid_argument")
    expect("format change after a release", "PUT", ns, draft("{}", "json"), {400}, "invalid_argument")
    expect("invalid properties", "PUT", ns, draft("no separator here"), {200})
    publish(ns, statuses={400}, code="invalid_argument", name="publish invalid properties")
    expect("second draft", "PUT", ns, draft("timeout=3s\nretries=2\n"), {200})
    expect("publish 2", "POST", ns + "/publish", b'{"author":"probe"}', {200}, check=release(2, "publish"))
    expect("roll back to the latest", "POST", ns + "/rollback", b'{"author":"probe","to":2}', {400}, "invalid_argument")
    expect("roll back", "POST", ns + "/rollback", b'{"author":"probe"}', {200}, check=release(3, "rollback", 1))
    expect("blank author", "POST", ns + "/rollback", b'{"author":"  "}', {400}, "invalid_argument")
    expect("author over 128 bytes", "POST", ns + "/rollback", json.dumps({"author": "\u00e9" * 65}).encode(), {400}, "invalid_argument")
    expect("history", "GET", ns + "/releases", None, {200},
           check=lambda answer: None if [r.get("number") for r in answer or []] == [3, 2, 1] else "not releases 3, 2, 1 newest first")
    expect("diff", "GET", ns + "/diff?from=1&to=2", None, {200},
           check=lambda answer: None if (answer or {}).get("changes") == [{"kind": "changed", "key": "timeout", "old": "5s", "new": "3s"}]
           else f"got {answer!r}, expected timeout changed 5s → 3s")
    expect("diff without to", "GET", ns + "/diff?from=1", None, {400}, "invalid_argument")
    expect("diff from 0", "GET", ns + "/diff?from=0&to=1", None, {400}, "invalid_argument")
    expect("diff of an unknown release", "GET", ns + "/diff?from=1&to=99", None, {404}, "not_found")
    expect("release 0", "GET", ns + "/releases/0", None, {400}, "invalid_argument")
    expect("release number overflow", "GET", ns + "/releases/99999999999999999999", None, {400}, "invalid_argument")
    expect("unknown release", "GET", ns + "/releases/99", None, {404}, "not_found")
    expect("unknown field", "POST", ns + "/publish", b'{"author":"probe","by":"x"}', {400}, "invalid_argument")
    expect("percent-encoded names", "GET", ns.replace("/probe/", "/%70robe/"), None, {200})
    # A blocking query with nothing changing answers after `wait`; one of an unknown
    # namespace too (it may be created meanwhile), then 404.
    state = expect("namespace", "GET", ns, None, {200}) or {}
    for path, status in ((ns, 200), (ns.replace("/application", "/unknown"), 404)):
        started = time.monotonic()
        expect("blocking query", "GET", f"{path}?index={state.get('index', 0)}&wait=300ms", None, {status})
        if time.monotonic() - started < 0.25:
            failures.append(f"blocking query: GET {path}?index={state.get('index', 0)}&wait=300ms: answered before the wait with nothing changed")
    expect("negative index", "GET", f"{ns}?index=-1", None, {400}, "invalid_argument")
    # Windows line ends: `a=1\r\nb=2` is two properties (Swift sees `\r\n` as one Character).
    crlf = ns.replace("/application", "/crlf")
    expect("CRLF properties", "PUT", crlf, draft("not a property\r\nb=2\r\n", "properties"), {200})
    publish(crlf, statuses={400}, code="invalid_argument", name="publish invalid CRLF properties")
    # The governance namespace holds rules that must validate, as YAML or JSON.
    rules = ns.replace("/application", "/governance")
    expect("governance as text", "PUT", rules, draft("retry: {}", "text"), {200})
    publish(rules, statuses={400}, code="invalid_argument", name="publish governance as text")
    rules = ns.replace("/application", "/governance").replace("/probe/", "/probe2/")
    expect("invalid rules", "PUT", rules, draft("circuitBreaker:\n  failureRateThreshold: 160%\n", "yaml"), {200})
    publish(rules, statuses={400}, code="invalid_argument", name="publish invalid rules")
    expect("valid rules", "PUT", rules, draft("retry:\n  maxAttempts: 3\n"), {200})
    publish(rules, name="publish valid rules")
    gray_probes(expect, ns)


def gray_probes(expect, ns):
    """A gray release on `ns` (releases 1–3 there): who sees it, promotion, refusals."""
    def current_is(number):
        return lambda answer: None if ((answer or {}).get("current") or {}).get("number") == number else f"current is not release {number}: {answer!r}"

    expect("gray without a draft", "POST", ns + "/gray", b'{"author":"probe","rule":{"ips":["10.0.0.7"]}}', {404}, "not_found")
    expect("gray draft", "PUT", ns, b'{"content":"timeout=9s"}', {200})
    expect("gray for no one", "POST", ns + "/gray", b'{"author":"probe","rule":{}}', {400}, "invalid_argument")
    expect("gray rule with an unknown field", "POST", ns + "/gray", b'{"author":"probe","rule":{"percent":5}}', {400}, "invalid_argument")
    expect("gray percentage out of range", "POST", ns + "/gray", b'{"author":"probe","rule":{"percentage":0}}', {400}, "invalid_argument")
    expect("gray", "POST", ns + "/gray", b'{"author":"probe","rule":{"labels":{"release":"canary"},"ips":["10.0.0.7"]}}', {200},
           check=lambda answer: None if (answer or {}).get("release", {}).get("kind") == "gray" and answer.get("base") == 3
           else f"not a gray release beside release 3: {answer!r}")
    expect("read as a canary", "GET", ns + "?label=release:canary", None, {200}, check=current_is(4))
    expect("read by address", "GET", ns + "?ip=10.0.0.7", None, {200}, check=current_is(4))
    expect("read as another", "GET", ns + "?ip=10.0.0.1&client=x", None, {200}, check=current_is(3))
    expect("a label without a key", "GET", ns + "?label=canary", None, {400}, "invalid_argument")
    expect("promote", "POST", ns + "/gray/promote", b'{"author":"probe"}', {200},
           check=lambda answer: None if (answer or {}).get("kind") == "promote" and answer.get("promotedFrom") == 4 else f"not a promotion of 4: {answer!r}")
    expect("promote again", "POST", ns + "/gray/promote", b'{"author":"probe"}', {404}, "not_found")
    expect("abandon none", "POST", ns + "/gray/abandon", b'{"author":"probe"}', {404}, "not_found")


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
    seeding = seed(args)
    workdir = tempfile.mkdtemp(prefix="weaver-openapi-check-")
    try:
        code, output, report = run_schemathesis(args, workdir)
        reach = stateful_reach(workdir)
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
    if seeding:
        print(f"  warning seed: {seeding} (the config examples then reach less of the config center)")
    if "stateful" in args.phases.split(","):
        successes = {goal: sum(n for status, n in reach.get(goal, {}).items() if 200 <= status < 300) for goal in STATEFUL_GOALS}
        print("  stateful successes: " + ", ".join(f"{method} {path.replace(CONFIG_PATH, '…')} {n}" for (method, path), n in successes.items()))
        missed = [f"{method} {path}" for (method, path) in STATEFUL_REQUIRED if successes[(method, path)] == 0]
        if missed:
            print("  warning stateful_reach: no stateful success for " + ", ".join(missed))

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
        if case.method.upper() == "GET" and case.path in BLOCKING_PATHS and isinstance(query, dict) and "index" in query:
            wait = query.get("wait")
            if wait is None or (isinstance(wait, str) and (duration_ms(wait) or 0) > MAX_WAIT_MS):
                query["wait"] = f"{MAX_WAIT_MS}ms"

    @schemathesis.hook
    def after_call(context, case, response):
        # Tallies the stateful phase's answers per operation (for `stateful_reach`).
        path = os.environ.get(STATEFUL_LOG_ENV)
        phase = getattr(getattr(getattr(case, "meta", None), "phase", None), "name", None)
        if path and str(phase) == "stateful":
            with open(path, "a") as file:
                file.write(f"{case.method.upper()} {case.path} {response.status_code}\n")

    # Stateful entry points. Schemathesis starts its sequences only at operations it guesses
    # create something (POSTs, parameterless GETs) and, when there are any, never at the
    # rest; saving a draft (a PUT with path parameters) creates a namespace, but is not
    # guessed, and the config center's POSTs need a draft first. Without this, no sequence
    # enters the config center at all. If schemathesis renames what this wraps, the run goes
    # on without it and `stateful_reach` says what was missed.
    try:
        from schemathesis.specs.openapi import stateful as _stateful

        _is_likely_root = _stateful.is_likely_root_transition
    except (ImportError, AttributeError):
        _stateful = None
    if _stateful is not None:
        def _is_likely_root_or_declared(operation, *args, **kwargs):
            if (operation.method.upper(), operation.path) in STATEFUL_ROOTS:
                return True
            return _is_likely_root(operation, *args, **kwargs)

        _stateful.is_likely_root_transition = _is_likely_root_or_declared
