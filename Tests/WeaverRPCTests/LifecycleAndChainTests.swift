import Logging
import NIOCore
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing
import WeaverCore
import WeaverRPC
import WeaverThrift

@Suite struct LifecycleAndChainTests {
  @Test func gracefulShutdownDrainsCallsInFlightAndAsksClientsToReconnect() async throws {
    let handler = InteropHandler()
    let server = ThriftServer(serving: interopServices(handler), configuration: ThriftServerConfiguration(drainTimeout: .seconds(5)))
    try await testGracefulShutdown { trigger in
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let port = try await server.localAddress.port!
        let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: .forTests)
        defer { client.close() }
        let interop = InteropService.Client(channel: client)
        #expect(try await interop.add(a: 1, b: 1) == 2)
        let held = Task { try await interop.slow(millis: -1) }
        // The same call on a bare TTHeader connection, to read the reply's headers.
        let raw = try await RawConnection.connect(port: port)
        defer { raw.close() }
        try await raw.send(Self.heldCallFrame())
        await handler.gate.waitForArrivals(2)
        trigger.triggerGracefulShutdown()
        // No new connections are accepted…
        #expect(await eventually { await refusesConnections(port: port) })
        // …but the calls in flight complete, and their replies tell clients to let go of the connection.
        handler.gate.open()
        #expect(try await held.value == "opened")
        #expect(await eventually { raw.bytesReceived.readableBytes > 0 })
        var replyBytes = raw.bytesReceived
        let reply = try #require(try ThriftFrameCodec.decodeFrame(from: &replyBytes, transport: .ttheader, maxFrameSize: 1 << 20))
        #expect(reply.header?.sequenceID == 7)
        #expect(reply.header?.strings[ThriftHeaderKey.connectionReset] == "1", "Kitex crrst: do not reuse this connection")
        try await group.next()
        #expect(server.openConnections == 0)
      }
    }
  }

  @Test func beginGracefulShutdownDrainsCallsInFlight() async throws {
    let handler = InteropHandler()
    let server = ThriftServer(serving: interopServices(handler), configuration: ThriftServerConfiguration(drainTimeout: .seconds(5)))
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      let port = try await server.localAddress.port!
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: .forTests)
      defer { client.close() }
      let held = handler.gate.hold { try await InteropService.Client(channel: client).slow(millis: -1) }
      await handler.gate.waitForArrivals(1)
      server.beginGracefulShutdown()
      server.beginGracefulShutdown()  // a second call changes nothing
      #expect(await eventually { await refusesConnections(port: port) })
      #expect(server.openConnections >= 1, "the connection with a call in flight stays open")
      handler.gate.open()
      #expect(try await held.value == "opened")
      try await group.next()  // run() returns…
      #expect(server.openConnections == 0)  // …once every connection is closed
    }
  }

  @Test(.timeLimit(.minutes(1))) func beginGracefulShutdownBeforeRunBindsEndsRunAtOnce() async throws {
    let server = ThriftServer(serving: interopServices())
    server.beginGracefulShutdown()
    let started = ContinuousClock.now
    try await server.run()  // binds, closes the listener, returns without serving
    #expect(ContinuousClock.now - started < .seconds(5), "no drain to wait for")
    #expect(server.openConnections == 0)
    #expect(await refusesConnections(port: try await server.localAddress.port!))
  }

  @Test(.timeLimit(.minutes(1))) func beginGracefulShutdownAsRunStartsEndsRun() async throws {
    // Called from another thread while run() may or may not have bound yet: either way it ends.
    let server = ThriftServer(serving: interopServices())
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      group.addTask { server.beginGracefulShutdown() }
      try await group.waitForAll()
    }
    #expect(server.openConnections == 0)
  }

  /// A TTHeader `slow(millis: -1)` call, sequence id 7.
  private static func heldCallFrame() throws -> ByteBuffer {
    var message = ByteBuffer()
    ThriftProtocolID.binary.writeMessageBegin(ThriftMessageHeader(name: "slow", type: .call, sequenceID: 7), into: &message)
    ThriftProtocolID.binary.encode(InteropService.SlowArgs(millis: -1), into: &message)
    var bytes = ByteBuffer()
    try ThriftFrameCodec.encode(
      ThriftFrame(transport: .ttheader, protocol: .binary, header: ThriftFrameHeader(sequenceID: 7), message: message), into: &bytes)
    return bytes
  }

  private func refusesConnections(port: Int) async -> Bool {
    guard let connection = try? await RawConnection.connect(port: port) else { return true }
    connection.close()
    return false
  }

  @Test func metadataAndDeadlinesFollowTheCallChain() async throws {
    // Front (SecondService) calls Back (InteropService.seen) while serving a call.
    try await withServer(interopServices()) { _, backPort in
      let back = try ThriftClient(addresses: ["127.0.0.1:\(backPort)"], configuration: ThriftClientConfiguration(connectTimeout: .testConnectTimeout, callerName: "front"))
      defer { back.close() }
      let front = ForwardingSecond(back: InteropService.Client(channel: back))
      try await withServer([SecondService.service(front)]) { _, frontPort in
        let client = try ThriftClient(addresses: ["127.0.0.1:\(frontPort)"], configuration: ThriftClientConfiguration(connectTimeout: .testConnectTimeout, rpcTimeout: .seconds(30)))
        defer { client.close() }
        let seenAtBack = try await CallContext.with(metadata: Metadata(transient: ["hop": "1"], persistent: ["release": "canary"])) {
          try await SecondService.Client(channel: client).second(text: "x")
        }
        #expect(seenAtBack.contains("persist:release=canary"), "persistent keys travel the whole chain: \(seenAtBack)")
        #expect(!seenAtBack.contains("transit:hop"), "transient keys stop after one hop: \(seenAtBack)")
        #expect(seenAtBack.contains("caller=front"))
        #expect(seenAtBack.contains("deadline=set"), "the inherited deadline travels on")
      }
    }
  }

  @Test func middlewaresWrapCallsInOrderOnBothSides() async throws {
    let clientLog = CallLog()
    let serverLog = CallLog()
    var serverConfiguration = ThriftServerConfiguration()
    serverConfiguration.middlewares = [Recorder(name: "s1", log: serverLog), Recorder(name: "s2", log: serverLog)]
    try await withServer(interopServices(), configuration: serverConfiguration) { _, port in
      let configuration = ThriftClientConfiguration(connectTimeout: .testConnectTimeout, middlewares: [Recorder(name: "c1", log: clientLog), MetadataStamp(), Recorder(name: "c2", log: clientLog)])
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: configuration)
      defer { client.close() }
      let seen = try await InteropService.Client(channel: client).seen()
      #expect(seen["persist:stamped"] == "yes", "a client middleware can change the call's context")
      #expect(clientLog.entries == ["c1>InteropService.seen", "c2>InteropService.seen", "c2<", "c1<"])
      #expect(serverLog.entries == ["s1>InteropService.seen", "s2>InteropService.seen", "s2<", "s1<"])
    }
  }
}

/// SecondService that calls the back end while serving, to test propagation.
struct ForwardingSecond: SecondService.ServiceProtocol {
  let back: InteropService.Client<ThriftClient>

  func second(text: String) async throws -> String {
    let seen = try await back.seen()
    return seen.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
  }
}

final class CallLog: Sendable {
  private let lines = Mutex<[String]>([])
  func append(_ line: String) { lines.withLock { $0.append(line) } }
  var entries: [String] { lines.withLock { $0 } }
}

struct Recorder: ClientMiddleware, ServerMiddleware {
  let name: String
  let log: CallLog

  func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    log.append("\(name)>\(context.service).\(context.method)")
    defer { log.append("\(name)<") }
    return try await next(request, context)
  }
}

struct MetadataStamp: ClientMiddleware {
  func intercept<Request: Sendable, Response: Sendable>(
    _ request: Request, context: CallContext, next: (Request, CallContext) async throws -> Response
  ) async throws -> Response {
    var context = context
    context.metadata.persistent["stamped"] = "yes"
    return try await next(request, context)
  }
}
