import NIOCore
import NIOPosix
import Testing
import WeaverCore
import WeaverRPC
import WeaverThrift

/// Every way a call can fail ends in a clear error, quickly.
@Suite struct FailureTests {
  func interop(port: Int, _ configure: (inout ThriftClientConfiguration) -> Void = { _ in }) throws -> (ThriftClient, InteropService.Client<ThriftClient>) {
    var configuration = ThriftClientConfiguration.forTests
    configure(&configuration)
    let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: configuration)
    return (client, InteropService.Client(channel: client))
  }

  func code(_ body: () async throws -> Void) async -> RPCError.Code? {
    do {
      try await body()
      return nil
    } catch let error as RPCError {
      return error.code
    } catch {
      Issue.record("not an RPCError: \(error)")
      return nil
    }
  }

  @Test func refusedConnectionsFailToConnect() async throws {
    // A port that was free a moment ago.
    let port = try await withServer(interopServices()) { _, port in port }
    let (client, interop) = try interop(port: port)
    defer { client.close() }
    #expect(await code { _ = try await interop.add(a: 1, b: 1) } == .connectFailed)
  }

  @Test(arguments: [ThriftTransport.ttheader, .framed])
  func slowCallsHitTheirDeadline(transport: ThriftTransport) async throws {
    let handler = InteropHandler()
    try await withServer(interopServices(handler)) { _, port in
      let (client, interop) = try interop(port: port) { $0.transport = transport }
      defer { client.close() }
      // The handler never answers on its own (TTHeader: ten minutes, unless the server
      // cancels it; Framed: until the gate opens), so only the deadline can end the call:
      // no wall-clock bound needed, which a loaded machine would break.
      let millis: Int32 = transport == .ttheader ? 600_000 : -1
      let failed = await code {
        try await CallContext.with(deadline: .now.advanced(by: .milliseconds(200))) { _ = try await interop.slow(millis: millis) }
      }
      #expect(failed == .deadlineExceeded)
      if transport == .ttheader {
        // TTHeader carried the timeout: the server cancelled the handler at the deadline.
        #expect(await eventually { handler.cancelledSlowCalls.withLock { $0 } == 1 })
      } else {
        // Framed carries no timeout: the handler answers once let through (the answer,
        // late, is dropped), and the next call's answer follows it.
        handler.gate.open()
      }
      // The connection is still good for the next call.
      #expect(try await interop.add(a: 1, b: 2) == 3)
    }
  }

  @Test func perCallDeadlinesAreTheEarlierOne() async throws {
    try await withServer(interopServices()) { _, port in
      let (client, interop) = try interop(port: port)
      defer { client.close() }
      let failed = await code {
        try await CallContext.with(deadline: .now.advanced(by: .milliseconds(100))) {
          _ = try await interop.slow(millis: 2000)
        }
      }
      #expect(failed == .deadlineExceeded)
    }
  }

  @Test func cancellingTheTaskCancelsTheCall() async throws {
    let handler = InteropHandler()
    try await withServer(interopServices(handler)) { _, port in
      let (client, interop) = try interop(port: port)
      defer { client.close() }
      let call = handler.gate.hold { try await interop.slow(millis: 5000) }
      await handler.gate.waitForArrivals(1)
      call.cancel()
      let result = await call.result
      #expect(throws: RPCError(.cancelled, "the calling task was cancelled")) { try result.get() }
    }
  }

  @Test func aConnectionLostMidCallIsReported() async throws {
    let handler = InteropHandler()
    let server = ThriftServer(serving: interopServices(handler), configuration: ThriftServerConfiguration(drainTimeout: .zero))
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      let port = try await server.localAddress.port!
      let (midClient, midInterop) = try interop(port: port)
      defer { midClient.close() }
      let call = handler.gate.hold { try await midInterop.slow(millis: 5000) }
      await handler.gate.waitForArrivals(1)
      group.cancelAll()  // the server goes away, closing its connections
      let result = await call.result
      #expect(throws: RPCError.self) { try result.get() }
      #expect((try? result.get()) == nil)
      if case .failure(let error as RPCError) = result { #expect(error.code == .connectionClosed) }
    }
  }

  @Test func garbageRepliesAreProtocolErrors() async throws {
    // A "server" that answers every connection with bytes that are no frame.
    let garbage = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(GarbageReplier()) }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    defer { garbage.close(promise: nil) }
    let (client, interop) = try interop(port: garbage.localAddress!.port!)
    defer { client.close() }
    #expect(await code { _ = try await interop.add(a: 1, b: 1) } == .protocolError)
  }

  @Test func aFullServerRefusesCallsAsOverloaded() async throws {
    var configuration = ThriftServerConfiguration()
    configuration.limits.maxConcurrentRequests = 1
    let handler = InteropHandler()
    try await withServer(interopServices(handler), configuration: configuration) { _, port in
      let (client, interop) = try interop(port: port)
      defer { client.close() }
      let held = handler.gate.hold { try await interop.slow(millis: -1) }
      await handler.gate.waitForArrivals(1)
      #expect(await code { _ = try await interop.add(a: 1, b: 1) } == .overloaded)
      handler.gate.open()
      #expect(try await held.value == "opened")
      #expect(try await interop.add(a: 1, b: 1) == 2, "capacity is back once the slow call is done")
    }
  }

  @Test func aClientWithNoInstancesIsUnavailable() async throws {
    let client = ThriftClient(resolver: StaticResolverOfNothing())
    let interop = InteropService.Client(channel: client)
    #expect(await code { _ = try await interop.add(a: 1, b: 1) } == .unavailable)
  }
}

import WeaverDiscovery

struct StaticResolverOfNothing: InstanceResolver {
  func updates() -> AsyncThrowingStream<[Instance], any Error> {
    AsyncThrowingStream { $0.finish() }
  }
}

/// Replies to anything with bytes that are not a frame.
final class GarbageReplier: ChannelInboundHandler, Sendable {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n\r\n")), promise: nil)
  }
}
