import NIOCore
import NIOPosix
import WeaverControlPlaneModels

/// One run of an active health check: a TCP connect, or an HTTP GET whose status line says
/// 2xx or 3xx; everything bounded by the check's timeout.
enum HealthProbe {
  /// True when `check` passes against `host:port`.
  static func passes(_ check: HealthCheck, host: String, port: Int) async -> Bool {
    let timeout = TimeAmount.seconds(Int64(check.timeoutSeconds ?? 2))
    do {
      let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connectTimeout(timeout)
        .connect(host: host, port: port) { channel in
          channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
      guard check.type == "http" else {
        try? await channel.channel.close()
        return true
      }
      // Whatever happens, the connection closes at the timeout, which ends the read below.
      let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
      defer { deadline.cancel() }
      return try await channel.executeThenClose { inbound, outbound in
        let request = "GET \(check.path ?? "/") HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: weaver-health-check\r\nConnection: close\r\n\r\n"
        try await outbound.write(ByteBuffer(string: request))
        var head = ByteBuffer()
        for try await chunk in inbound {
          var chunk = chunk
          head.writeBuffer(&chunk)
          if let line = statusLine(head) { return passing(line) }
          if head.readableBytes > 8_192 { return false }
        }
        return false
      }
    } catch {
      return false
    }
  }

  /// The first line of `head`, once it has arrived.
  static func statusLine(_ head: ByteBuffer) -> String? {
    let bytes = head.readableBytesView
    guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
    return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
  }

  /// `HTTP/1.1 204 No Content` passes; 4xx, 5xx and anything else do not.
  static func passing(_ statusLine: String) -> Bool {
    let parts = statusLine.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else { return false }
    return (200..<400).contains(status)
  }
}
