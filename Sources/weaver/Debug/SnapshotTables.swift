import Foundation
import WeaverAdmin

/// A runtime snapshot as the tables `weaver debug snapshot` prints.
enum SnapshotTables {
  static func render(_ snapshot: RuntimeSnapshot) -> String {
    var sections: [String] = []
    let process = snapshot.process
    var figures = ["pid \(process.pid)"]
    if let uptime = process.uptimeSeconds { figures.append("up \(duration(uptime))") }
    if let resident = process.residentBytes { figures.append("resident \(bytes(resident))") }
    if let heap = process.heapInUseBytes { figures.append("heap in use \(bytes(heap))") }
    if let mapped = process.heapMappedBytes { figures.append("heap held \(bytes(mapped))") }
    if let threads = process.threads { figures.append("\(threads) threads") }
    if let files = process.openFiles { figures.append("\(files) open files") }
    sections.append("PROCESS  " + figures.joined(separator: "  ") + "\ntaken at \(snapshot.takenAt)")
    let lags = snapshot.eventLoopLagMilliseconds.map { $0.map { String(format: "%.2f ms", $0) } ?? "STALLED (≥1 s)" }
    sections.append("EVENT LOOP LAG  " + (lags.isEmpty ? "none" : lags.joined(separator: ", ")))
    if !snapshot.servers.isEmpty {
      sections.append(
        "SERVERS\n"
          + TextTable.render(
            ["NAME", "CONNECTIONS", "OPENED", "REFUSED", "BYTES IN", "BYTES OUT"],
            snapshot.servers.map {
              [$0.name, String($0.openConnections), String($0.transport.connectionsOpened), String($0.transport.connectionsRefused),
               bytes($0.transport.bytesReceived), bytes($0.transport.bytesSent)]
            }))
    }
    if !snapshot.clients.isEmpty {
      sections.append(
        "CLIENTS\n"
          + TextTable.render(
            ["NAME", "CONNECTIONS", "OPENED", "CONNECT FAILURES", "POOL WAITS", "BYTES IN", "BYTES OUT"],
            snapshot.clients.map {
              [$0.name, String($0.openConnections), String($0.transport.connectionsOpened), String($0.transport.connectionsRefused),
               String($0.transport.poolWaits), bytes($0.transport.bytesReceived), bytes($0.transport.bytesSent)]
            }))
    }
    sections.append(
      "CALLS (recent, highest p99 first)\n"
        + (snapshot.calls.isEmpty
          ? "none measured"
          : TextTable.render(
            ["SIDE", "METHOD", "IN FLIGHT", "CALLS", "P50", "P99"],
            snapshot.calls.map {
              [$0.side.rawValue, "\($0.service)/\($0.method)", String($0.inFlight), String($0.calls),
               $0.p50Milliseconds.map { String(format: "%.2f ms", $0) } ?? "-", $0.p99Milliseconds.map { String(format: "%.2f ms", $0) } ?? "-"]
            })))
    sections.append(
      "BREAKERS NOT CLOSED\n"
        + (snapshot.breakers.isEmpty
          ? "none"
          : TextTable.render(
            ["SERVICE", "SCOPE", "STATE"],
            snapshot.breakers.map { [$0.service, $0.instance.map { "instance \($0)" } ?? "method \($0.method ?? "*")", $0.state] })))
    if !snapshot.ruleSets.isEmpty {
      sections.append("RULE SETS\n" + TextTable.render(["SERVICE", "VERSION"], snapshot.ruleSets.map { [$0.service, String($0.version)] }))
    }
    return sections.map { $0.trimmingCharacters(in: .newlines) }.joined(separator: "\n\n")
  }

  static func bytes(_ count: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(count)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
  }

  static func duration(_ seconds: Double) -> String {
    let whole = Int(seconds)
    if whole < 60 { return String(format: "%.1fs", seconds) }
    if whole < 3600 { return "\(whole / 60)m\(whole % 60)s" }
    return "\(whole / 3600)h\(whole / 60 % 60)m"
  }
}
