#!/usr/bin/env python3
"""Apache Thrift's Python library as an independent RPC peer for CloudWeaver.

Run by WeaverRPCTests with the default python3 (pyenv 3.11; `pip install thrift`).

  interop.py client --port P --transport framed|buffered|header --protocol binary|compact [--multiplexed]
      calls a CloudWeaver server and prints a JSON report of what came back;
  interop.py server --transport framed|header --protocol binary|compact
      serves the interop service on 127.0.0.1 (a free port, printed as `PORT <n>`) until killed.
"""
import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from thrift.protocol import TBinaryProtocol, TCompactProtocol, TMultiplexedProtocol
from thrift.protocol.THeaderProtocol import THeaderProtocol, THeaderProtocolFactory
from thrift.server import TServer
from thrift.transport import TSocket, TTransport
from thrift.transport.THeaderTransport import THeaderClientType, THeaderSubprotocolID

HERE = os.path.dirname(os.path.abspath(__file__))
IDL = os.path.join(HERE, "..", "WeaverRPCTests", "IDL", "Interop.thrift")


def generated():
    out = tempfile.mkdtemp(prefix="weaver-interop-")
    compiler = shutil.which("thrift")
    if compiler is None:
        sys.exit("the Apache Thrift compiler is missing: apt-get install thrift-compiler")
    subprocess.run([compiler, "--gen", "py", "-out", out, IDL], check=True)
    sys.path.insert(0, out)
    return (importlib.import_module("interop.ttypes"), importlib.import_module("interop.InteropService"),
            importlib.import_module("interop.SecondService"), out)


def protocol_factory(name):
    return TCompactProtocol.TCompactProtocolFactory() if name == "compact" else TBinaryProtocol.TBinaryProtocolFactory()


def run_client(args):
    types, interop, second, out = generated()
    socket = TSocket.TSocket("127.0.0.1", args.port)
    socket.setTimeout(10000)
    if args.transport == "header":
        subprotocol = THeaderSubprotocolID.COMPACT if args.protocol == "compact" else THeaderSubprotocolID.BINARY
        transport = socket
        protocol = THeaderProtocol(socket, [THeaderClientType.HEADERS], subprotocol)
        transport = protocol.trans
    else:
        transport = TTransport.TFramedTransport(socket) if args.transport == "framed" else TTransport.TBufferedTransport(socket)
        protocol = protocol_factory(args.protocol).getProtocol(transport)
    transport.open()
    main_protocol = TMultiplexedProtocol.TMultiplexedProtocol(protocol, "InteropService") if args.multiplexed else protocol
    client = interop.Client(main_protocol)
    report = {}
    payload = types.Payload(text="héllo", numbers=[1, -2, 2147483647], extra={"k": "v"}, blob=b"\x00\x01\xff")
    echoed = client.echo(payload)
    report["echo"] = echoed == payload
    report["add"] = client.add(40, 2)
    try:
        client.fail(7)
        report["fail"] = "no exception"
    except types.Oops as oops:
        report["fail"] = "Oops(%d, %s)" % (oops.code, oops.message)
    try:
        client.fail(-1)
        report["failUndeclared"] = "no exception"
    except Exception as error:  # TApplicationException
        report["failUndeclared"] = "%s:%s" % (type(error).__name__, getattr(error, "type", "?"))
    client.notify("fire and forget")
    report["afterOneway"] = client.add(1, 1)
    if args.transport == "header":
        protocol.set_header(b"RPC_PERSIST_release", b"canary")
        protocol.set_header(b"RPC_TRANSIT_hop", b"one")
    report["seen"] = client.seen()
    if args.multiplexed:
        second_client = second.Client(TMultiplexedProtocol.TMultiplexedProtocol(protocol, "SecondService"))
        report["second"] = second_client.second("x")
    transport.close()
    shutil.rmtree(out, ignore_errors=True)
    print(json.dumps(report, sort_keys=True))


class Handler:
    def __init__(self, types):
        self.types = types
        self.protocol = None

    def echo(self, payload):
        return payload

    def add(self, a, b):
        return a + b

    def fail(self, code):
        if code < 0:
            raise ValueError("undeclared")
        raise self.types.Oops(code=code, message="failed with %d" % code)

    def slow(self, millis):
        time.sleep(millis / 1000.0)
        return "slept %d" % millis

    def notify(self, message):
        pass

    def seen(self):
        return {}


class PortReportingServerSocket(TSocket.TServerSocket):
    """Prints the port it was given once it listens (port 0 picks a free one)."""

    def listen(self):
        super().listen()
        print("PORT %d" % self.handle.getsockname()[1], flush=True)


def run_server(args):
    types, interop, second, out = generated()
    handler = Handler(types)
    processor = interop.Processor(handler)
    server_socket = PortReportingServerSocket(host="127.0.0.1", port=0)
    if args.transport == "header":
        factory = THeaderProtocolFactory(allowed_client_types=[THeaderClientType.HEADERS])
        server = TServer.TThreadedServer(processor, server_socket, TTransport.TTransportFactoryBase(), factory)
    else:
        server = TServer.TThreadedServer(processor, server_socket, TTransport.TFramedTransportFactory(),
                                         protocol_factory(args.protocol))
    server.daemon = True
    server.serve()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["client", "server"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--transport", choices=["framed", "buffered", "header"], default="framed")
    parser.add_argument("--protocol", choices=["binary", "compact"], default="binary")
    parser.add_argument("--multiplexed", action="store_true")
    args = parser.parse_args()
    if args.role == "client":
        run_client(args)
    else:
        run_server(args)


if __name__ == "__main__":
    main()
