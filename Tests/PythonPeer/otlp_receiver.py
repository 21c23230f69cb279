"""A small, real OTLP receiver for CloudWeaver's tests (default python3, the pyenv 3.11).

Neither Debian nor PyPI offers an OpenTelemetry Collector or Jaeger with an OTLP receiver
here, so this one decodes what arrives with the OpenTelemetry project's own protobuf
definitions (PyPI's `opentelemetry-proto`) and `grpcio`:

  - OTLP/HTTP on one port: POST /v1/traces, /v1/metrics, /v1/logs with
    `application/x-protobuf` or `application/json` bodies (gzip too);
  - OTLP/gRPC on another: the TraceService, MetricsService and LogsService `Export` calls.

What it received is queried over the same HTTP port:

  GET /spans    every span as JSON: traceId, spanId, parentSpanId (hex), name, kind,
                service (the resource's service.name), via (http/protobuf, http/json, grpc),
                attributes, events, status
  GET /metrics  every metric's name, with its resource's service.name and `via`
  GET /logs     every log record's body, traceId, spanId, service and `via`
  GET /counts   {"spans": N, "metrics": N, "logs": N, "exports": N}: how many arrived
  GET /info     {"grpc_port": N}

It prints `PORT <http port>` once both listen. With `--stall` it accepts every export and
never answers it: a collector that hangs, for the tests that prove a stalled collector
never slows a call. With `--count-only` it decodes every export but keeps only the counts
(Benchmarks/run-telemetry-bench: millions of spans, no memory growth).
"""

import argparse
import base64
import gzip
import json
import re
import sys
import threading
import time
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2, logs_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

LOCK = threading.Lock()
SPANS = []
METRICS = []
LOGS = []
COUNTS = {"spans": 0, "metrics": 0, "logs": 0, "exports": 0}
STALL = threading.Event()  # set: hang every export
COUNT_ONLY = threading.Event()  # set: count what arrives, keep nothing else


def counted(table, kind, items):
    """Adds `items` to `table` (unless only counting) and to the counts."""
    with LOCK:
        COUNTS[kind] += len(items) if isinstance(items, list) else items
        COUNTS["exports"] += 1
        if isinstance(items, list) and not COUNT_ONLY.is_set():
            table.extend(items)


def attribute_value(value):
    kind = value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [attribute_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: attribute_value(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind)


def attributes(pairs):
    return {kv.key: attribute_value(kv.value) for kv in pairs}


def service_name(resource):
    return attributes(resource.attributes).get("service.name", "")


def record_traces(request, via):
    if COUNT_ONLY.is_set():
        return counted(SPANS, "spans", sum(len(scope.spans) for resource in request.resource_spans for scope in resource.scope_spans))
    found = []
    for resource_spans in request.resource_spans:
        service = service_name(resource_spans.resource)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                found.append({
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "service": service,
                    "via": via,
                    "startTimeUnixNano": span.start_time_unix_nano,
                    "endTimeUnixNano": span.end_time_unix_nano,
                    "attributes": attributes(span.attributes),
                    "events": [{"name": e.name, "attributes": attributes(e.attributes)} for e in span.events],
                    "status": {"code": span.status.code, "message": span.status.message},
                })
    counted(SPANS, "spans", found)


def record_metrics(request, via):
    found = []
    for resource_metrics in request.resource_metrics:
        service = service_name(resource_metrics.resource)
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                found.append({"name": metric.name, "service": service, "via": via})
    counted(METRICS, "metrics", found)


def record_logs(request, via):
    found = []
    for resource_logs in request.resource_logs:
        service = service_name(resource_logs.resource)
        for scope_logs in resource_logs.scope_logs:
            for record in scope_logs.log_records:
                found.append({
                    "body": attribute_value(record.body),
                    "traceId": record.trace_id.hex(),
                    "spanId": record.span_id.hex(),
                    "attributes": attributes(record.attributes),
                    "service": service,
                    "via": via,
                })
    counted(LOGS, "logs", found)


SIGNALS = {
    "/v1/traces": (trace_service_pb2.ExportTraceServiceRequest, trace_service_pb2.ExportTraceServiceResponse, record_traces),
    "/v1/metrics": (metrics_service_pb2.ExportMetricsServiceRequest, metrics_service_pb2.ExportMetricsServiceResponse, record_metrics),
    "/v1/logs": (logs_service_pb2.ExportLogsServiceRequest, logs_service_pb2.ExportLogsServiceResponse, record_logs),
}

# OTLP/JSON writes trace and span ids as hex, not proto3 JSON's base64. (swift-otel 1.6
# writes base64; both are accepted: a hex id has 32 or 16 digits, a base64 one 24 or 12.)
HEX_ID_FIELDS = {"traceId", "spanId", "parentSpanId"}
HEX_ID = re.compile(r"^([0-9a-fA-F]{32}|[0-9a-fA-F]{16})$")


def id_as_base64(value):
    return base64.b64encode(bytes.fromhex(value)).decode() if HEX_ID.match(value) else value


def hex_ids_to_base64(node):
    if isinstance(node, dict):
        return {
            key: (id_as_base64(value) if key in HEX_ID_FIELDS and isinstance(value, str) else hex_ids_to_base64(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [hex_ids_to_base64(item) for item in node]
    return node


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with LOCK:
            tables = {"/spans": list(SPANS), "/metrics": list(METRICS), "/logs": list(LOGS), "/counts": dict(COUNTS)}
        if self.path in tables:
            return self.answer(200, json.dumps(tables[self.path]).encode(), "application/json")
        if self.path == "/info":
            return self.answer(200, json.dumps({"grpc_port": self.server.grpc_port}).encode(), "application/json")
        self.answer(404, b'{"error":"not found"}', "application/json")

    def do_POST(self):
        signal = SIGNALS.get(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if signal is None:
            return self.answer(404, b'{"error":"not an OTLP path"}', "application/json")
        if STALL.is_set():
            while True:
                time.sleep(3600)
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request_type, response_type, record = signal
        request = request_type()
        content_type = self.headers.get("Content-Type", "")
        try:
            if content_type.startswith("application/json"):
                json_format.ParseDict(hex_ids_to_base64(json.loads(body)), request)
                record(request, "http/json")
                return self.answer(200, b"{}", "application/json")
            request.ParseFromString(body)
        except Exception as error:  # a malformed export is the sender's bug: say so
            return self.answer(400, json.dumps({"error": str(error)}).encode(), "application/json")
        record(request, "http/protobuf")
        self.answer(200, response_type().SerializeToString(), "application/x-protobuf")


def stall_if_asked(context):
    if STALL.is_set():
        while context.is_active():
            time.sleep(0.1)


class Traces(trace_service_pb2_grpc.TraceServiceServicer):
    def Export(self, request, context):
        stall_if_asked(context)
        record_traces(request, "grpc")
        return trace_service_pb2.ExportTraceServiceResponse()


class Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
    def Export(self, request, context):
        stall_if_asked(context)
        record_metrics(request, "grpc")
        return metrics_service_pb2.ExportMetricsServiceResponse()


class Logs(logs_service_pb2_grpc.LogsServiceServicer):
    def Export(self, request, context):
        stall_if_asked(context)
        record_logs(request, "grpc")
        return logs_service_pb2.ExportLogsServiceResponse()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stall", action="store_true", help="accept exports and never answer them")
    parser.add_argument("--count-only", action="store_true", help="count what arrives, keep nothing else")
    options = parser.parse_args()
    if options.stall:
        STALL.set()
    if options.count_only:
        COUNT_ONLY.set()
    grpc_server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Traces(), grpc_server)
    metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(Metrics(), grpc_server)
    logs_service_pb2_grpc.add_LogsServiceServicer_to_server(Logs(), grpc_server)
    grpc_port = grpc_server.add_insecure_port("127.0.0.1:0")
    grpc_server.start()
    http_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    http_server.daemon_threads = True
    http_server.grpc_port = grpc_port
    print(f"PORT {http_server.server_address[1]}", flush=True)
    try:
        http_server.serve_forever()
    finally:
        grpc_server.stop(0)


if __name__ == "__main__":
    sys.exit(main())
