#!/usr/bin/env python3
"""Real Redis servers for WeaverRedis's tests, from Debian's redis-server (apt-get install
redis-server): a 6-node cluster (3 primaries, 3 replicas) or one standalone server, on free
loopback ports, in a temporary directory.

    python3 Tests/RedisPeer/redis_servers.py cluster|standalone [--password P] [--no-aof]

--no-aof leaves out the append-only file (benchmarks: no fsync or AOF rewrite in the middle
of a measurement; the tests keep it, so a killed node restarts with its data).

Prints `PORT <first port>` once every server answers (the cluster's nodes are on that port
and the 5 after it, cluster bus ports 10000 higher, and the cluster state is ok), then reads
commands from standard input, each answered by a line `OK …` or `ERR …`:

    kill PORT      SIGKILL that server
    start PORT     start it again (same config and data directory) and wait until it answers
    wait-ok        wait until every live cluster node reports cluster_state:ok
    primaries      `OK p1 p2 p3`: the ports that are primaries now
    wait-promoted  after a primary was killed: wait until 3 live nodes are primaries and
                   the cluster state is ok (its replica took over)
    reshard FROM TO N
                   move N slots from primary FROM to primary TO with
                   `redis-cli --cluster reshard` (keys and all), answering when it is done

End of input stops every server. The servers also die with this script (PR_SET_PDEATHSIG),
so a killed test run leaves nothing behind. Uses the default python3 and only its standard
library.
"""
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REDIS_SERVER = shutil.which("redis-server")
REDIS_CLI = shutil.which("redis-cli")
HINT = "redis-server and redis-cli come with Debian's redis-server: scripts/install-test-deps (apt-get install redis-server)"


def die_with_parent():
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def ephemeral_low():
    """The first port the kernel hands out for outgoing connections (and `bind` to port 0)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_base(count, with_bus):
    """A first port whose `count` ports (and bus ports, 10000 higher) are free now. They lie
    below the ephemeral range where it leaves room, so no client's outgoing connection (nor
    another test's port-0 server) can take one between this check and redis-server's bind,
    or while a killed node is down before its restart."""
    import random
    span = count + (10000 if with_bus else 0)
    low, high = 10000, ephemeral_low() - span
    if high <= low:
        low, high = 20000, 50000
    for _ in range(500):
        base = random.randint(low, high)
        ports = list(range(base, base + count))
        if with_bus:
            ports += [p + 10000 for p in ports]
        if all(port_free(p) for p in ports):
            return base
    raise SystemExit("no free ports found")


class PortChoice:
    """Held from choosing ports until every server listens on them: two test suites starting
    servers at the same moment must not both find the same ports free."""

    def __enter__(self):
        import fcntl
        self.handle = open(os.path.join(tempfile.gettempdir(), "weaver-redis-ports.lock"), "w")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *_):
        self.handle.close()


def cli(port, *args, password=None, timeout=10):
    command = [REDIS_CLI, "-h", "127.0.0.1", "-p", str(port)]
    if password:
        command += ["--no-auth-warning", "-a", password]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=timeout)


class Servers:
    def __init__(self, mode, password, aof=True):
        self.mode = mode
        self.password = password
        self.aof = aof
        self.directory = tempfile.mkdtemp(prefix="weaver-redis-")
        self.count = 6 if mode == "cluster" else 1
        self.base = None
        self.ports = []
        self.processes = {}

    def config(self, port):
        path = os.path.join(self.directory, f"node-{port}.conf")
        lines = [
            f"port {port}", "bind 127.0.0.1", f"dir {self.directory}", f"dbfilename dump-{port}.rdb",
            "save \"\"", "appendonly yes" if self.aof else "appendonly no", f"appenddirname aof-{port}", "protected-mode no", "loglevel warning", "enable-debug-command local",
            f"logfile {self.directory}/log-{port}.txt",
        ]
        if self.mode == "cluster":
            lines += ["cluster-enabled yes", f"cluster-config-file nodes-{port}.conf", "cluster-node-timeout 2000"]
        if self.password:
            lines += [f"requirepass {self.password}", f"masterauth {self.password}"]
        with open(path, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        return path

    def start(self, port):
        self.processes[port] = subprocess.Popen(
            [REDIS_SERVER, self.config(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=die_with_parent)
        deadline = time.time() + 30
        while time.time() < deadline:
            result = cli(port, "PING", password=self.password)
            if result.stdout.strip() == "PONG":
                return
            if self.processes[port].poll() is not None:
                log = os.path.join(self.directory, f"log-{port}.txt")
                text = open(log).read() if os.path.exists(log) else ""
                raise SystemExit(f"redis-server on {port} exited: {text[-2000:]}")
            time.sleep(0.05)
        raise SystemExit(f"redis-server on {port} did not answer PING within 30 s")

    def kill(self, port):
        process = self.processes.get(port)
        if process and process.poll() is None:
            process.kill()
            process.wait()

    def cluster_ok(self):
        for port in self.ports:
            process = self.processes.get(port)
            if not process or process.poll() is not None:
                continue
            info = cli(port, "CLUSTER", "INFO", password=self.password).stdout
            if "cluster_state:ok" not in info:
                return False
        return True

    def wait_ok(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.cluster_ok():
                return True
            time.sleep(0.1)
        return False

    def wait_promoted(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.primaries()) == 3 and self.cluster_ok():
                return True
            time.sleep(0.1)
        return False

    def primaries(self):
        result = []
        for port in self.ports:
            process = self.processes.get(port)
            if not process or process.poll() is not None:
                continue
            role = cli(port, "ROLE", password=self.password).stdout.split("\n")[0].strip()
            if role == "master":
                result.append(port)
        return result

    def node_id(self, port):
        return cli(port, "CLUSTER", "MYID", password=self.password).stdout.strip()

    def reshard(self, source, target, count):
        result = cli(source, "--cluster", "reshard", f"127.0.0.1:{source}",
                     "--cluster-from", self.node_id(source), "--cluster-to", self.node_id(target),
                     "--cluster-slots", str(count), "--cluster-yes", password=self.password, timeout=120)
        if result.returncode != 0:
            raise SystemExit(f"redis-cli --cluster reshard failed: {result.stdout[-1000:]}{result.stderr[-1000:]}")

    def create(self):
        with PortChoice():
            self.base = free_base(self.count, with_bus=(self.mode == "cluster"))
            self.ports = list(range(self.base, self.base + self.count))
            for port in self.ports:
                self.start(port)
        if self.mode == "cluster":
            arguments = ["--cluster", "create"] + [f"127.0.0.1:{p}" for p in self.ports] + [
                "--cluster-replicas", "1", "--cluster-yes"]
            result = cli(self.ports[0], *arguments, password=self.password, timeout=60)
            if result.returncode != 0:
                raise SystemExit(f"redis-cli --cluster create failed: {result.stdout}{result.stderr}")
            if not self.wait_ok():
                raise SystemExit("the cluster did not reach cluster_state:ok within 60 s")
            # Every replica in sync, so the first test's writes replicate.
            deadline = time.time() + 30
            while time.time() < deadline:
                roles = [cli(p, "ROLE", password=self.password).stdout.split("\n") for p in self.ports]
                replicas_connected = [r for r in roles if r[0].strip() == "slave" and len(r) > 3 and r[3].strip() == "connected"]
                if len(replicas_connected) == 3:
                    break
                time.sleep(0.1)

    def stop(self):
        for port in list(self.processes):
            self.kill(port)
        shutil.rmtree(self.directory, ignore_errors=True)


def main():
    if not REDIS_SERVER or not REDIS_CLI:
        print(f"redis-server or redis-cli not found. {HINT}", file=sys.stderr)
        sys.exit(2)
    if len(sys.argv) < 2 or sys.argv[1] not in ("cluster", "standalone"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    password = None
    if "--password" in sys.argv:
        password = sys.argv[sys.argv.index("--password") + 1]
    servers = Servers(sys.argv[1], password, aof="--no-aof" not in sys.argv)
    signal.signal(signal.SIGTERM, lambda *_: (servers.stop(), sys.exit(0)))
    try:
        servers.create()
        print(f"PORT {servers.base}", flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            try:
                if words[0] == "kill":
                    servers.kill(int(words[1]))
                    print("OK", flush=True)
                elif words[0] == "start":
                    servers.start(int(words[1]))
                    print("OK", flush=True)
                elif words[0] == "wait-ok":
                    print("OK" if servers.wait_ok() else "ERR cluster not ok within 60 s", flush=True)
                elif words[0] == "wait-promoted":
                    print("OK" if servers.wait_promoted() else "ERR no replica took over within 60 s", flush=True)
                elif words[0] == "reshard":
                    servers.reshard(int(words[1]), int(words[2]), int(words[3]))
                    print("OK", flush=True)
                elif words[0] == "primaries":
                    print("OK " + " ".join(str(p) for p in servers.primaries()), flush=True)
                else:
                    print(f"ERR unknown command {words[0]}", flush=True)
            except (SystemExit, Exception) as error:
                print(f"ERR {error}", flush=True)
    finally:
        servers.stop()


if __name__ == "__main__":
    main()
