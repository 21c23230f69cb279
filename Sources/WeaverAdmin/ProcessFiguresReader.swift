import CWeaverHeap
import Foundation

/// The process's figures from `/proc` (Linux) and the allocator; what a platform lacks is nil.
enum ProcessFiguresReader {
  static func read() -> RuntimeSnapshot.ProcessFigures {
    let status = statusFields()
    var figures = RuntimeSnapshot.ProcessFigures(
      pid: getpid(), uptimeSeconds: uptime(), residentBytes: status["VmRSS"].map { $0 * 1024 },
      heapInUseBytes: nil, heapMappedBytes: nil, threads: status["Threads"],
      openFiles: (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count)
    let heap = weaver_heap_read()
    figures.heapInUseBytes = heap.in_use < 0 ? nil : Int(heap.in_use)
    figures.heapMappedBytes = heap.mapped < 0 ? nil : Int(heap.mapped)
    return figures
  }

  /// `/proc/self/status` numbers by name (`VmRSS` in kB, `Threads`).
  private static func statusFields() -> [String: Int] {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return [:] }
    var fields: [String: Int] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, let number = parts[1].split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) }) else { continue }
      fields[String(parts[0])] = number
    }
    return fields
  }

  /// Seconds since the process started: the system's uptime less the process's start time
  /// (`/proc/self/stat` field 22, in clock ticks since boot).
  private static func uptime() -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
      let afterName = stat.range(of: ")", options: .backwards).map({ stat[$0.upperBound...] }),
      let system = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
      let systemUptime = system.split(separator: " ").first.flatMap({ Double($0) })
    else { return nil }
    let fields = afterName.split(separator: " ")
    // Fields after the name start at field 3 (state): field 22 is index 19.
    guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
    return max(0, systemUptime - ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
  }
}
