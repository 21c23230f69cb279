import Foundation
import WeaverControlPlaneClient

/// The demo's processes: two Thrift feed instances (one a canary), the gRPC user service
/// in two regions, the HTTP gateway, and a redis-server for the feed's cache when one is
/// installed; each exports its spans and logs to the control plane and registers there.
/// Every child also ends by itself if the demo dies (`--exit-with-parent`).
final class DemoFleet: @unchecked Sendable {
  let controlPlane: String
  let lock = NSLock()
  private var processes: [String: DemoProcess] = [:]
  private(set) var gatewayURL = ""
  private(set) var gatewayAdminURL = ""
  private(set) var redisAddress: String?

  init(controlPlane: String) {
    self.controlPlane = controlPlane
  }

  /// What every child gets: a free port, quiet logs, OTLP/HTTP JSON to the control plane
  /// (spans flushed every half second), and its instance name in its resource.
  func common(_ instance: String, logLevel: String = "error") -> (arguments: [String], environment: [String: String]) {
    (
      ["--port", "0", "--log-level", logLevel, "--otlp-endpoint", controlPlane, "--otlp-protocol", "http/json", "--exit-with-parent"],
      ["OTEL_RESOURCE_ATTRIBUTES": "service.instance.id=\(instance)", "OTEL_BSP_SCHEDULE_DELAY": "500", "OTEL_METRIC_EXPORT_INTERVAL": "15000"]
    )
  }

  /// Starts everything and waits until each listens.
  func start() async throws {
    redisAddress = try await startRedis()
    for (name, tag) in [("feed-stable", nil), ("feed-canary", "canary")] as [(String, String?)] {
      try await startFeed(name, releaseTag: tag)
    }
    for region in ["us-east", "eu-west"] {
      let (arguments, environment) = common("users-\(region)")
      _ = try await launch(
        "users-\(region)", ["demo", "users", "--region", region, "--control-plane", controlPlane] + arguments, environment: environment)
    }
    // The gateway logs a line per request (info), exported with its trace id.
    let (arguments, environment) = common("gateway", logLevel: "info")
    let gateway = try await launch(
      "gateway", ["demo", "gateway", "--control-plane", controlPlane, "--admin-port", "0"] + arguments, environment: environment)
    gatewayURL = "http://" + (try await gateway.line(startingWith: "listening on ")).dropFirst("listening on ".count)
    gatewayAdminURL = String((try await gateway.line(startingWith: "admin endpoint on ")).dropFirst("admin endpoint on ".count))
  }

  /// Starts (or restarts) a feed instance.
  func startFeed(_ name: String, releaseTag: String?) async throws {
    let (arguments, environment) = common(name)
    var command = ["demo", "server", "--service-name", "FeedService", "--control-plane", controlPlane, "--quiet"] + arguments
    if let releaseTag { command += ["--release-tag", releaseTag] }
    if let redisAddress { command += ["--redis", redisAddress] }
    _ = try await launch(name, command, environment: environment)
  }

  @discardableResult
  private func launch(_ name: String, _ arguments: [String], environment: [String: String]) async throws -> DemoProcess {
    let process = try DemoProcess(label: name, arguments: arguments, environment: environment, echo: false)
    lock.withLock { processes[name] = process }
    _ = try await process.line(startingWith: "listening on ", timeout: .seconds(30))
    return process
  }

  /// A redis-server on a free loopback port for the feed's cache, if Debian's redis-server
  /// is installed; says which.
  private func startRedis() async throws -> String? {
    guard let binary = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first(where: FileManager.default.isExecutableFile) else {
      DemoOutput.line("   redis-server is not installed: the feed service runs without its cache (apt-get install redis-server to see it cache).")
      return nil
    }
    let port = try DemoPorts.free()
    let redis = try DemoProcess(
      label: "redis", executable: URL(fileURLWithPath: binary),
      arguments: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"], echo: false)
    lock.withLock { processes["redis"] = redis }
    let client = try await DemoRedis.waitForAnswer(at: "127.0.0.1:\(port)")
    DemoOutput.line("   Redis cache: \(binary) on 127.0.0.1:\(port) (\(client))")
    return "127.0.0.1:\(port)"
  }

  /// Kills a process at once, as a crash would.
  func kill(_ name: String) async -> Int32? {
    guard let process = lock.withLock({ processes[name] }) else { return nil }
    return await process.kill()
  }

  /// Stops every process gracefully (SIGTERM, then SIGKILL after 5 s), the gateway first.
  func stopAll() async {
    let all = lock.withLock { processes }
    let order = ["gateway"] + all.keys.filter { $0 != "gateway" && $0 != "redis" }.sorted() + ["redis"]
    await withTaskGroup(of: Void.self) { group in
      for name in order {
        guard let process = all[name] else { continue }
        group.addTask { _ = await process.stop() }
      }
    }
  }
}

/// A free loopback port, found by binding port 0.
enum DemoPorts {
  static func free() throws -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw DemoError("no socket for a free port") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
    }
    guard bound else { throw DemoError("no free loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Whether `port` on 127.0.0.1 can be bound now.
  static func isFree(_ port: Int) -> Bool {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { return false }
    defer { close(socket) }
    var reuse: Int32 = 1
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
  }
}
