"""What the overhead benchmarks share (Benchmarks/run-governance-bench,
Benchmarks/run-telemetry-bench): the release `weaver`, echo servers started from it, a
`weaver bench thrift` run with the CPU each process spent per call, and medians.

Standard library only; runs under whichever python3 runs the script (the default pyenv
3.11 here).
"""
import json
import os
import resource
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WEAVER = os.path.join(ROOT, ".build", "release", "weaver")


def build():
    """Builds the release `weaver` (the benchmarks never time a debug build)."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "weaver"], cwd=ROOT, check=True)


def pinned(core):
    """A command prefix that keeps a process on CPU `core` (nothing when `core` is None)."""
    return [] if core is None else ["taskset", "-c", str(core)]


def start_echo_server(extra=(), core=None):
    """Starts `weaver bench serve-echo` on a free loopback port with one event-loop thread
    (on CPU `core`, when given); returns the process and its HOST:PORT."""
    command = [*pinned(core), WEAVER, "bench", "serve-echo", "--port", "0", "--threads", "1", "--log-level", "warning", *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    while True:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"server did not start: {' '.join(command)}")
        if line.startswith("listening on "):
            return process, line.split()[-1]


def cpu_seconds(pid):
    """User plus system CPU seconds the live process `pid` has used."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_thrift_bench(targets, extra, duration, warmup, servers, others=(), core=None):
    """Runs `weaver bench thrift` (on CPU `core`, when given) against `targets` with `extra`
    arguments and returns its JSON report plus CPU per call over the whole run (warm-up
    included): the servers' (`servers`, live processes) and `others`' from /proc, the load
    generator's from its rusage, all in microseconds."""
    command = [*pinned(core), WEAVER, "bench", "thrift", "--target", ",".join(targets), "--duration", f"{duration}s",
               "--warmup", f"{warmup}s", "--json", "--quiet", *extra]
    before = sum(cpu_seconds(process.pid) for process in servers)
    others_before = sum(cpu_seconds(process.pid) for process in others)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = sum(cpu_seconds(process.pid) for process in servers)
    others_after = sum(cpu_seconds(process.pid) for process in others)
    # Lines before the JSON (an admin endpoint's address) are not the report.
    report = json.loads(output[output.index("{"):])
    calls = max(1, report["qps"] * (duration + warmup))
    report["serverMicrosPerCall"] = (after - before) / calls * 1e6
    report["othersMicrosPerCall"] = (others_after - others_before) / calls * 1e6
    client = (children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime)
    report["clientMicrosPerCall"] = client / calls * 1e6
    report["calls"] = calls
    return report


def median(reports, key):
    """The median of `key` over `reports` (a dotted key reads nested fields)."""
    def value(report):
        for part in key.split("."):
            report = report[part]
        return report
    return statistics.median(value(report) for report in reports)


def stop(processes):
    """Stops `processes` (SIGTERM, then waits)."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait()
