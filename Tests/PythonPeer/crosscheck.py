#!/usr/bin/env python3
"""Apache Thrift's Python library as an independent peer for CloudWeaver's protocols.

Run by WeaverGeneratedTests (PythonCrossCheckTests) with the default `python3` (the
pyenv 3.11 interpreter; `pip install thrift`). It generates Python code from the same IDL
with Debian's `thrift` compiler, builds the same corpus of values as the Swift test,
encodes each value with TBinaryProtocol and TCompactProtocol, decodes every encoding the
Swift side wrote, and reports both as JSON.

usage: crosscheck.py --idl CrossCheck.thrift --swift swift.json --out python.json
"""
import argparse
import importlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

from thrift.protocol import TBinaryProtocol, TCompactProtocol
from thrift.transport import TTransport

PROTOCOLS = {
    "binary": TBinaryProtocol.TBinaryProtocol,
    "compact": TCompactProtocol.TCompactProtocol,
}


def generate(idl, workdir):
    compiler = shutil.which("thrift")
    if compiler is None:
        sys.exit("the Apache Thrift compiler is missing: apt-get install thrift-compiler")
    subprocess.run([compiler, "--allow-neg-keys", "--gen", "py", "-out", workdir, idl], check=True)
    sys.path.insert(0, workdir)
    return importlib.import_module("crosscheck.ttypes")


def corpus(t):
    """The values, by case name; must match CrossCheckCorpus in the Swift test."""
    inner = t.Inner(id=7, name="seven")
    scalars_extreme = t.Scalars(
        flag=True, tiny=-128, small=-32768, medium=2147483647, large=-9223372036854775808,
        ratio=-1.5e-300, text="héllo, wörld ✓ — 你好", blob=bytes([0, 1, 2, 0xFE, 0xFF]))
    single = t.Containers(
        ints=[0, 1, -1, 2147483647, -2147483648], strings=["", "a", "x" * 300], flags=[True, False, True],
        shorts={7}, counters={"hits": 1000000000000}, matrix=[[1, 2], [], [3]], groups={5: ["five", "cinco"]},
        inners=[t.Inner(id=1, name="one"), t.Inner(id=2, name="two")], byName={"solo": t.Inner(id=9, name="nine")},
        tags={"only"}, doubles=[0.0, -0.0, math.inf, 3.25], blobs=[b"", bytes([1, 2, 3])],
        colors=[t.Color.RED, t.Color.BLUE, 99])
    empty = t.Containers(
        ints=[], strings=[], flags=[], shorts=set(), counters={}, matrix=[], groups={}, inners=[], byName={},
        tags=set(), doubles=[], blobs=[], colors=[])
    multi = t.Containers(
        ints=list(range(-10, 10)), strings=["s%d" % i for i in range(16)], flags=[i % 3 == 0 for i in range(17)],
        shorts={1, 2, 3, -4}, counters={"a": 1, "b": -2, "c": 3}, matrix=[[i] * i for i in range(5)],
        groups={1: ["x"], 2: ["y", "z"]}, inners=[t.Inner(id=i, name=str(i)) for i in range(3)],
        byName={"p": t.Inner(id=1, name="p"), "q": t.Inner(id=2, name="q")}, tags={"x", "y", "z"},
        doubles=[1.0, 2.0], blobs=[b"a", b"b"], colors=[t.Color.GREEN] * 20)
    requiredness_min = t.Requiredness(must=1, plain=0, yes=False)
    requiredness_full = t.Requiredness(
        must=-1, maybe="perhaps", plain=2, nested=t.Inner(id=4, name="four"), yes=True, withDefault=-42)
    everything = t.Everything(
        scalars=scalars_extreme, containers=single, choice=t.Choice(inner=t.Inner(id=3, name="three")),
        color=t.Color.GREEN, requiredness=requiredness_full, failure=t.Failure(code=500, reason="boom"),
        farField=1000, negativeField=-7, lastField=True)
    return {
        "scalars_zero": t.Scalars(flag=False, tiny=0, small=0, medium=0, large=0, ratio=0.0, text="", blob=b""),
        "scalars_extreme": scalars_extreme,
        "inner": inner,
        "choice_number": t.Choice(number=-5),
        "choice_word": t.Choice(word="word"),
        "choice_inner": t.Choice(inner=inner),
        "failure": t.Failure(code=404, reason="not found"),
        "containers_single": single,
        "containers_empty": empty,
        "containers_multi": multi,
        "requiredness_min": requiredness_min,
        "requiredness_full": requiredness_full,
        "everything": everything,
        "everything_sparse": t.Everything(
            containers=empty, choice=t.Choice(number=0), color=t.Color.RED, requiredness=requiredness_min,
            farField=0, negativeField=0, lastField=False),
    }


def encode(value, protocol):
    transport = TTransport.TMemoryBuffer()
    value.write(PROTOCOLS[protocol](transport))
    return transport.getvalue()


def decode(cls, data, protocol):
    value = cls()
    # Exceptions are immutable in Apache's Python code: their read() is a classmethod
    # returning a new instance; structs fill themselves in and return None.
    result = value.read(PROTOCOLS[protocol](TTransport.TMemoryBuffer(data)))
    return value if result is None else result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--idl", required=True)
    parser.add_argument("--swift", required=True, help="JSON the Swift side wrote")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="weaver-crosscheck-")
    try:
        types = generate(os.path.abspath(args.idl), workdir)
        values = corpus(types)
        with open(args.swift) as f:
            swift = json.load(f)
        report = {}
        for name, value in values.items():
            entry = {"type": type(value).__name__}
            for protocol in PROTOCOLS:
                entry[protocol] = encode(value, protocol).hex()
                swift_hex = swift.get(name, {}).get(protocol)
                if swift_hex is None:
                    entry[protocol + "Decoded"] = "missing: the Swift side wrote no %s encoding" % protocol
                    continue
                try:
                    decoded = decode(type(value), bytes.fromhex(swift_hex), protocol)
                    entry[protocol + "Decoded"] = "equal" if decoded == value else "different: %r" % (decoded,)
                except Exception as error:  # report, never crash: the Swift test prints it
                    entry[protocol + "Decoded"] = "error: %r" % (error,)
            report[name] = entry
        with open(args.out, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
