// The codec benchmark: encode and decode throughput of Order (~1 KB) in the binary and
// compact protocols. Benchmarks/run-codec-bench runs it beside Apache Thrift C++ on the same
// value and prints the ratios.
//
// usage: CodecBenchmark [--json] [--only encode|decode]   (--only is for profiling)
import BenchmarkSupport
import NIOCore
import WeaverThrift

/// One protocol's measurements. Everything lives in locals: top-level variables are globals,
/// and Swift checks exclusive access to globals dynamically, which would be timed too.
func benchmark(_ protocol: ThriftProtocolID, json: Bool) -> String {
  let order = SampleOrder.order
  let encoded = order.encoded(protocol: `protocol`)
  precondition(try! Order(decoding: encoded, protocol: `protocol`) == order, "round trip")
  let size = encoded.readableBytes

  var buffer = ByteBufferAllocator().buffer(capacity: 4096)
  var sink = 0
  let only = CommandLine.arguments.firstIndex(of: "--only").map { CommandLine.arguments[$0 + 1] }
  let encodeNs = only == "decode" ? 0 : measure { iterations in
    for _ in 0..<iterations {
      buffer.clear()
      order.encode(into: &buffer, protocol: `protocol`)
      sink &+= buffer.readableBytes
    }
  }
  let decodeNs = only == "encode" ? 0 : measure { iterations in
    for _ in 0..<iterations {
      let decoded = try! Order(decoding: encoded, protocol: `protocol`)
      sink &+= decoded.items.count &+ Int(truncatingIfNeeded: decoded.id)
    }
  }

  var allocationsPerEncode = -1.0
  var allocationsPerDecode = -1.0
  if AllocationCounter.isAvailable {
    let runs = 10_000
    var before = AllocationCounter.count
    for _ in 0..<runs {
      buffer.clear()
      order.encode(into: &buffer, protocol: `protocol`)
    }
    allocationsPerEncode = Double(AllocationCounter.count - before) / Double(runs)
    before = AllocationCounter.count
    for _ in 0..<runs {
      let decoded = try! Order(decoding: encoded, protocol: `protocol`)
      sink &+= decoded.items.count
    }
    allocationsPerDecode = Double(AllocationCounter.count - before) / Double(runs)
  }
  if sink == 42 { print("") }  // keeps the work observable

  let name = "\(`protocol`)"
  let mbps = { (ns: Double) in ns > 0 ? Double(size) / ns * 1e9 / 1_048_576 : 0 }
  if json {
    return (
      "{\"impl\":\"swift\",\"protocol\":\"\(name)\",\"bytes\":\(size),\"encodeNs\":\(encodeNs),\"decodeNs\":\(decodeNs),"
        + "\"allocationsPerEncode\":\(allocationsPerEncode),\"allocationsPerDecode\":\(allocationsPerDecode),"
        + "\"heapBackedValues\":\(SampleOrder.heapBackedValues(order))}")
  }
  var text = "swift \(name): \(size) bytes, encode \(Int(encodeNs)) ns (\(Int(mbps(encodeNs))) MB/s), decode \(Int(decodeNs)) ns (\(Int(mbps(decodeNs))) MB/s)"
  if allocationsPerDecode >= 0 {
    text += "\n  allocations per encode \(allocationsPerEncode), per decode \(allocationsPerDecode); heap-backed values in the order: \(SampleOrder.heapBackedValues(order))"
  }
  return text
}

let json = CommandLine.arguments.contains("--json")
let results = ThriftProtocolID.allCases.map { benchmark($0, json: json) }
print(json ? "[" + results.joined(separator: ",") + "]" : results.joined(separator: "\n"))
