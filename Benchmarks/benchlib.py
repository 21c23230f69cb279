"""What the peer benchmarks share (Benchmarks/run-peer-bench, Benchmarks/run-protocol-bench):
the Debian packages they need, building the peers (Apache Thrift C++, the Go programs under
peers/go) and our release `weaver` as Swift servers are deployed, and running servers on free
loopback ports while reading their CPU and memory from /proc.

Standard library only; runs under whichever python3 runs the script (the default pyenv
3.11 here).
"""
import os
import shutil
import socket
import subprocess
import sys
import time

from echo_bench import cpu_seconds  # noqa: F401 (re-exported: user plus system CPU seconds of a pid)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, ".build-peers")
SHARED_BENCH = os.path.join(ROOT, "Sources", "WeaverBench", "Echo.thrift")  # the echo IDL every peer serves
PROTO = os.path.join(ROOT, "Sources", "WeaverBenchAdapters", "echo.proto")  # the same service for gRPC
# Swift servers are linked with the Swift runtime built in (--static-swift-stdlib), as Swift
# servers are deployed; it saves ~5 MB of shared-library pages per process. Ours is also
# linked as a server should be, each flag saving resident pages in every process:
# `-z pack-relative-relocs` (lld; glibc 2.36+ reads the packed form) shrinks the ~2 MB table
# of relative relocations the loader reads at start-up to ~20 KB, and `--no-export-dynamic`
# keeps the ~19 000 Swift symbols out of the dynamic symbol table (~1 MB the loader searches
# for each symbol it binds).
SWIFT_FLAGS = ["-c", "release", "--static-swift-stdlib", "-Xswiftc", "-use-ld=lld",
               "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"]
SWIFT_BUILD = os.path.join(OUT, "swift")
WEAVER = os.path.join(SWIFT_BUILD, "release", "weaver")
ECHO_SERVER = os.path.join(SWIFT_BUILD, "release", "weaver-echo-server")
CPP_ECHO = os.path.join(OUT, "cpp", "echo_server")
GO_SERVER = os.path.join(OUT, "go", "echoserver")  # gRPC-Go
GO_HTTP_SERVER = os.path.join(OUT, "go", "httpechoserver")  # Go net/http
GO_CLIENT = os.path.join(OUT, "go", "echoclient")  # -protocol grpc|thrift|http
GO_PROGRAMS = {"echoserver": GO_SERVER, "httpechoserver": GO_HTTP_SERVER, "echoclient": GO_CLIENT}


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


# MARK: building

def ensure_packages():
    """Installs from Debian what building and running the peers needs, if missing."""
    wanted = {
        "thrift": "thrift-compiler", "g++": "g++", "go": "golang-go", "protoc": "protobuf-compiler",
        "protoc-gen-go": "golang-goprotobuf-dev", "taskset": "util-linux",
    }
    needed = [package for tool, package in wanted.items() if shutil.which(tool) is None]
    for path, package in (("/usr/include/thrift/server/TNonblockingServer.h", "libthrift-dev"),
                          ("/usr/include/event2/event.h", "libevent-dev"),
                          # libthrift-dev's headers include Boost's, which it only recommends.
                          ("/usr/include/boost/numeric/conversion/cast.hpp", "libboost-dev"),
                          ("/usr/share/gocode/src/google.golang.org/grpc/server.go", "golang-google-grpc-dev"),
                          ("/usr/share/gocode/src/github.com/apache/thrift/lib/go/thrift/transport.go", "golang-thrift-dev")):
        if not os.path.exists(path):
            needed.append(package)
    if needed:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("installing " + " ".join(needed), file=sys.stderr)
        run(sudo + ["apt-get", "update", "-qq"])
        run(sudo + ["apt-get", "install", "-y", "-qq"] + needed, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def build_swift(products):
    """Builds our `products` of the root package (release, linked as above) into SWIFT_BUILD."""
    for product in products:
        run(["swift", "build"] + SWIFT_FLAGS + ["--scratch-path", SWIFT_BUILD, "--product", product], cwd=ROOT)


def build_cpp():
    """The Apache Thrift C++ echo server (peers/cpp/echo_server.cpp) against Debian's libthrift."""
    cpp = os.path.join(OUT, "cpp")
    os.makedirs(cpp, exist_ok=True)
    run(["thrift", "--gen", "cpp", "-out", cpp, SHARED_BENCH])
    run(["g++", "-O2", "-std=c++17", "-I", cpp, "-o", CPP_ECHO, os.path.join(HERE, "peers", "cpp", "echo_server.cpp"),
         os.path.join(cpp, "EchoService.cpp"), os.path.join(cpp, "Echo_types.cpp"), "-lthriftnb", "-lthrift", "-levent"])


def build_go():
    """The Go programs under peers/go, offline in GOPATH mode against Debian's packages
    (/usr/share/gocode): the Go code for echo.proto comes from protoc-gen-go (package
    echobench/echo), the one for Echo.thrift from Debian's thrift (echobench/echothrift)."""
    gopath = os.path.join(OUT, "go", "path")
    package = os.path.join(gopath, "src", "echobench")
    shutil.rmtree(package, ignore_errors=True)
    os.makedirs(os.path.join(package, "echo"))
    for program in GO_PROGRAMS:
        shutil.copytree(os.path.join(HERE, "peers", "go", program), os.path.join(package, program))
    run(["protoc", "--proto_path", os.path.dirname(PROTO), "--go_out=plugins=grpc:" + os.path.join(package, "echo"), PROTO])
    run(["thrift", "--gen", "go:package=echothrift,skip_remote", "-out", package, SHARED_BENCH])
    # Of the caller's GOFLAGS only -p=N passes (fewer parallel compiles on a busy machine);
    # module flags have no place in GOPATH mode.
    goflags = " ".join(flag for flag in os.environ.get("GOFLAGS", "").split() if flag.startswith("-p="))
    env = dict(os.environ, GO111MODULE="off", GOPATH=gopath + ":/usr/share/gocode", GOFLAGS=goflags,
               GOCACHE=os.path.join(OUT, "go", "cache"), GOPROXY="off")
    for program, output in GO_PROGRAMS.items():
        run(["go", "build", "-o", output, "echobench/" + program], env=env)


# MARK: processes

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def rss_megabytes(pid, field="VmRSS"):
    """The process's resident memory in MB (`VmHWM` for its peak)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """A peer server on a free port (`{port}` in its command), stopped on exit."""

    def __init__(self, name, command, pin=None, env=None, timeout=10):
        self.name = name
        self.port = free_port()
        self.timeout = timeout
        command = [part.replace("{port}", str(self.port)) for part in command]
        if pin is not None:
            command = ["taskset", "-c", str(pin)] + command
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env=dict(os.environ, **(env or {})))

    def __enter__(self):
        try:
            wait_for_port(self.port, self.process, self.timeout)
        except Exception:
            self.stop()
            raise
        return self

    def __exit__(self, *_):
        self.stop()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def median_by(reports, key):
    """The report in the middle when sorted by `key` (a field name or a function)."""
    measure = key if callable(key) else (lambda report: report[key])
    ordered = sorted(reports, key=measure)
    return ordered[len(ordered) // 2]
