import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// Calls to the demo's gateway: a steady stream in the background (about 20 a second,
/// viewers 1 to 5, every fifth call coloured `canary`, regions alternating), and the
/// scenario's probes, each with a trace id of its own so its trace can be looked up.
final class DemoTraffic: Sendable {
  let gateway: String
  let answered = Atomic<Int>(0)
  let failed = Atomic<Int>(0)

  init(gateway: String) {
    self.gateway = gateway
  }

  /// One call's outcome.
  struct Call: Sendable {
    var traceID: String
    var status: Int
    var body: String
    var elapsed: Duration
  }

  /// `GET /feed?viewer=N` with `headers`, in a new trace; never throws (a failure is status 0).
  func call(viewer: Int, headers: [(String, String)] = []) async -> Call {
    let traceID = Self.randomHex(16)
    var request = HTTPClientRequest(url: "\(gateway)/feed?viewer=\(viewer)")
    request.headers.add(name: "traceparent", value: "00-\(traceID)-\(Self.randomHex(8))-01")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    let start = ContinuousClock.now
    do {
      let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
      let body = try await response.body.collect(upTo: 1 << 20)
      return Call(traceID: traceID, status: Int(response.status.code), body: String(buffer: body), elapsed: start.duration(to: .now))
    } catch {
      return Call(traceID: traceID, status: 0, body: "\(error)", elapsed: start.duration(to: .now))
    }
  }

  /// The background stream, until cancelled.
  func run() async {
    await withTaskGroup(of: Void.self) { group in
      var index = 0
      while !Task.isCancelled {
        index += 1
        let (viewer, colour, region) = (index % 5 + 1, index % 5 == 0, index % 2 == 0 ? "us-east" : "eu-west")
        group.addTask {
          var headers = [("x-region", region)]
          if colour { headers.append(("X-Release-Tag", "canary")) }
          let call = await self.call(viewer: viewer, headers: headers)
          if call.status == 200 { self.answered.add(1, ordering: .relaxed) } else { self.failed.add(1, ordering: .relaxed) }
        }
        try? await Task.sleep(for: .milliseconds(50))
      }
      group.cancelAll()
    }
  }

  static func randomHex(_ bytes: Int) -> String {
    (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
  }
}
