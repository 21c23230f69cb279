import InMemoryTracing
import Synchronization
import Testing
import Tracing
import WeaverCore
import WeaverGovernance
import WeaverRPC
import WeaverTelemetry

/// Tracing across real sockets: a test span → client span → server span (front) → client
/// span (made by the front's handler) → server span (back), one trace with each span the
/// child of the one before, the trace context riding in TTHeader/THeader string headers.
@Suite(.timeLimit(.minutes(1))) struct TracingTests {
  /// A `SecondService` that answers by calling `SecondService` on `downstream`.
  struct Relay: SecondService.ServiceProtocol {
    let downstream: ThriftClient

    func second(text: String) async throws -> String {
      "relay:" + (try await SecondService.Client(channel: downstream).second(text: text))
    }
  }

  /// A traced client. The deadline is generous: these tests check spans, not timing, and
  /// a two-hop call at the suite's busy start on two cores has taken over 5 s.
  static func client(_ port: Int, _ transport: ThriftTransport, _ tracer: InMemoryTracer) throws -> ThriftClient {
    try ThriftClient(
      addresses: ["127.0.0.1:\(port)"],
      configuration: ThriftClientConfiguration(
        transport: transport, connectTimeout: .testConnectTimeout, rpcTimeout: .seconds(30), callerName: "tracing-test", middlewares: [TracingClientMiddleware(tracer: tracer)]))
  }

  @Test(arguments: [ThriftTransport.ttheader, .theader])
  func oneTraceCrossesTwoHopsWithParentLinks(transport: ThriftTransport) async throws {
    let tracer = InMemoryTracer()
    let serving = ThriftServerConfiguration(middlewares: [TracingServerMiddleware(tracer: tracer)])
    try await withServer([SecondService.service(SecondHandler())], configuration: serving) { _, backPort in
      let downstream = try Self.client(backPort, transport, tracer)
      defer { downstream.close() }
      try await withServer([SecondService.service(Relay(downstream: downstream))], configuration: serving) { _, frontPort in
        let client = try Self.client(frontPort, transport, tracer)
        defer { client.close() }
        let answer = try await tracer.withAnySpan("test") { _ in
          try await CallContext.with(metadata: Metadata(persistent: ["release": "canary"])) {
            try await SecondService.Client(channel: client).second(text: "hi")
          }
        }
        #expect(answer == "relay:second:hi")
      }
    }
    let spans = tracer.finishedSpans
    let test = try #require(spans.first { $0.operationName == "test" })
    let clientSpans = spans.filter { $0.kind == .client }
    let serverSpans = spans.filter { $0.kind == .server }
    #expect(spans.count == 5 && clientSpans.count == 2 && serverSpans.count == 2, "\(spans.map(\.operationName))")
    #expect(Set(spans.map(\.traceID)) == [test.traceID], "one trace")
    // Each span is the child of the one before it: test → client → server → client → server.
    let chain = spans.sorted { depth(of: $0, in: spans) < depth(of: $1, in: spans) }
    #expect(chain.map(\.kind) == [.internal, .client, .server, .client, .server])
    for (parent, child) in zip(chain, chain.dropFirst()) { #expect(child.parentSpanID == parent.spanID) }
    for span in clientSpans + serverSpans {
      #expect(span.operationName == "SecondService/second")
      #expect(span.attributes[RPCSpanAttributes.system]?.toSpanAttribute() == "apache_thrift".toSpanAttribute())
      #expect(span.attributes[RPCSpanAttributes.method]?.toSpanAttribute() == "second".toSpanAttribute())
      #expect(span.status == nil, "no error")
    }
    #expect(chain[2].attributes[RPCSpanAttributes.releaseTag]?.toSpanAttribute() == "canary".toSpanAttribute(), "the colour is on the span")
    if transport == .ttheader {  // (THeader has no caller field)
      #expect(chain[2].attributes[RPCSpanAttributes.callerService]?.toSpanAttribute() == "tracing-test".toSpanAttribute())
    }
  }

  /// Framed carries no headers: the server's span starts a trace of its own, and the call works.
  @Test func aFramedCallStartsANewTraceOnTheServer() async throws {
    let tracer = InMemoryTracer()
    try await withServer(
      [SecondService.service(SecondHandler())], configuration: ThriftServerConfiguration(middlewares: [TracingServerMiddleware(tracer: tracer)])
    ) { _, port in
      let client = try Self.client(port, .framed, tracer)
      defer { client.close() }
      #expect(try await SecondService.Client(channel: client).second(text: "x") == "second:x")
    }
    let server = try #require(tracer.finishedSpans.first { $0.kind == .server })
    let client = try #require(tracer.finishedSpans.first { $0.kind == .client })
    #expect(server.parentSpanID == nil && server.traceID != client.traceID)
  }

  /// Failures mark the span as an error with `error.type`; a declared exception does not.
  @Test func failuresAreErrorsAndDeclaredExceptionsAreNot() async throws {
    let tracer = InMemoryTracer()
    try await withServer(interopServices(), configuration: ThriftServerConfiguration(middlewares: [TracingServerMiddleware(tracer: tracer)])) { _, port in
      let client = try Self.client(port, .ttheader, tracer)
      defer { client.close() }
      await #expect(throws: Oops.self) { try await InteropService.Client(channel: client).fail(code: 7) }
      let impatient = try ThriftClient(
        addresses: ["127.0.0.1:\(port)"],
        configuration: ThriftClientConfiguration(connectTimeout: .testConnectTimeout, rpcTimeout: .milliseconds(50), middlewares: [TracingClientMiddleware(tracer: tracer)]))
      defer { impatient.close() }
      await #expect(throws: RPCError.self) { _ = try await InteropService.Client(channel: impatient).slow(millis: 2_000) }
    }
    let spans = tracer.finishedSpans.filter { $0.kind == .client }
    let declared = try #require(spans.first { $0.operationName == "InteropService/fail" })
    #expect(declared.status == nil && declared.attributes[RPCSpanAttributes.declaredException] != nil)
    let slow = try #require(spans.first { $0.operationName == "InteropService/slow" })
    #expect(slow.status?.code == .error)
    #expect(slow.attributes[RPCSpanAttributes.errorType]?.toSpanAttribute() == "deadlineExceeded".toSpanAttribute())
  }
}

extension TracingTests {
  /// Governance runs inside the client span: a retry is an event of that span.
  @Test func governanceRetriesAreEventsOfTheClientSpan() async throws {
    let tracer = InMemoryTracer()
    let rules = RuleStore(service: "InteropService")
    try rules.set(RuleDocument(parsing: "retry: {maxAttempts: 3, backoffBase: 1ms}", file: "retry.yaml"), layer: .file)
    let governor = ClientGovernor(rules: rules)
    let attempts = Atomic<Int>(0)
    let answer = try await TracingClientMiddleware(tracer: tracer).intercept(1, context: CallContext(service: "InteropService", method: "add")) {
      request, context in
      try await governor.run(request, context: context) { (number: Int, _: CallContext) async throws -> Int in
        if attempts.add(1, ordering: .relaxed).newValue == 1 { throw RPCError(.connectFailed, "the first attempt finds no one") }
        return number + 1
      }
    }
    #expect(answer == 2)
    let span = try #require(tracer.finishedSpans.first)
    #expect(span.events.map(\.name) == ["weaver.retry"])
    #expect(span.events.first?.attributes["attempt"]?.toSpanAttribute() == "2".toSpanAttribute())
    #expect(span.events.first?.attributes["after"]?.toSpanAttribute() == "connectFailed".toSpanAttribute())
    #expect(span.status == nil, "the call succeeded in the end")
  }
}

/// How many ancestors `span` has among `spans`.
private func depth(of span: FinishedInMemorySpan, in spans: [FinishedInMemorySpan]) -> Int {
  var depth = 0
  var current = span
  while let parent = current.parentSpanID, let next = spans.first(where: { $0.spanID == parent }) {
    depth += 1
    current = next
  }
  return depth
}
