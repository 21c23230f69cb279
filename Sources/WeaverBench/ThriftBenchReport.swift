#if canImport(FoundationEssentials)
import FoundationEssentials  // not all of Foundation: a server linking this module stays small
#else
import Foundation
#endif
import Histogram

/// The outcome of a benchmark run: throughput, latency percentiles and failures.
public struct ThriftBenchReport: Sendable, Codable, Equatable {
  public struct Latency: Sendable, Codable, Equatable {
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
    public var mean: Double
  }

  public var target: String
  public var transport: String
  public var `protocol`: String
  public var connections: Int
  public var concurrency: Int
  /// Calls per second asked for; nil for a closed loop.
  public var targetRate: Int?
  public var payloadBytes: Int
  /// The measured window in seconds (the warm-up excluded).
  public var seconds: Double
  /// Successful calls in the window.
  public var calls: Int
  /// Successful calls per second.
  public var qps: Double
  /// Latencies of successful calls, in microseconds; in constant-rate runs from each call's
  /// scheduled start.
  public var latencyMicros: Latency
  /// Failed calls in the window, by kind (`deadlineExceeded`, `connectionClosed`, …).
  public var errors: [String: Int]
  /// The first message seen for each kind of failure.
  public var errorExamples: [String: String]

  init(plan: ThriftBenchPlan, result: EchoLoadRun.Result) {
    self.init(
      target: plan.target, transport: plan.transport.rawValue, protocol: plan.protocol.description, plan: plan, seconds: result.seconds,
      histogram: result.histogram, errors: result.errors, examples: result.examples)
  }

  /// A report of any echo benchmark: `transport` and `protocol` name what was spoken
  /// (`ttheader` + `binary`, `http2` + `grpc`, `http1.1` + `json`).
  public init(
    target: String, transport: String, protocol: String, plan: ThriftBenchPlan, seconds: Double, histogram: Histogram<UInt64>,
    errors: [String: Int], examples: [String: String] = [:]
  ) {
    self.target = target
    self.transport = transport
    self.`protocol` = `protocol`
    connections = plan.connections
    concurrency = plan.concurrency
    targetRate = plan.rate
    payloadBytes = plan.payload
    self.seconds = seconds
    calls = Int(histogram.totalCount)
    qps = seconds > 0 ? Double(calls) / seconds : 0
    let empty = histogram.totalCount == 0
    func percentile(_ value: Double) -> Double { empty ? 0 : Double(histogram.valueAtPercentile(value)) }
    latencyMicros = Latency(
      p50: percentile(50), p90: percentile(90), p99: percentile(99), p999: percentile(99.9),
      max: empty ? 0 : Double(histogram.max), mean: empty ? 0 : histogram.mean)
    self.errors = errors
    self.errorExamples = examples
  }

  /// The report as one JSON object, for scripts.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// The report for people.
  public var text: String {
    let mode = targetRate.map { "constant rate \($0)/s (latency from each call's scheduled start)" } ?? "closed loop"
    var lines = [
      "target      \(target) over \(transport) + \(`protocol`), \(connections) connections, \(concurrency) in flight, \(payloadBytes)-byte messages",
      "mode        \(mode)",
      "calls       \(calls) in \(seconds.fixed(decimals: 2)) s = \(qps.fixed(decimals: 0)) QPS",
      "latency µs  p50 \(format(latencyMicros.p50))  p90 \(format(latencyMicros.p90))  p99 \(format(latencyMicros.p99))  p99.9 \(format(latencyMicros.p999))  max \(format(latencyMicros.max))  mean \(format(latencyMicros.mean))",
    ]
    if errors.isEmpty {
      lines.append("errors      none")
    } else {
      let total = errors.values.reduce(0, +)
      lines.append("errors      \(total): " + errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
      for (kind, message) in errorExamples.sorted(by: { $0.key < $1.key }) {
        lines.append("  e.g. \(kind): \(message)")
      }
    }
    return lines.joined(separator: "\n")
  }

  private func format(_ value: Double) -> String {
    value.fixed(decimals: value >= 100 ? 0 : 1)
  }
}
