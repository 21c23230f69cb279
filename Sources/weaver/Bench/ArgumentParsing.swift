import ArgumentParser
import WeaverRPC
import WeaverThrift

extension ThriftTransport: ExpressibleByArgument {}

extension ThriftProtocolID: ExpressibleByArgument {
  public init?(argument: String) {
    guard let value = Self.allCases.first(where: { $0.description == argument }) else { return nil }
    self = value
  }

  public static var allValueStrings: [String] { allCases.map(\.description) }
}

/// A duration written as `500ms`, `10s`, `2m` or a plain number of seconds.
struct DurationArgument: ExpressibleByArgument {
  var duration: Duration

  init?(argument: String) {
    let units: [(suffix: String, make: (Double) -> Duration)] = [
      ("ms", { .milliseconds($0) }), ("s", { .seconds($0) }), ("m", { .seconds($0 * 60) }),
    ]
    for unit in units where argument.hasSuffix(unit.suffix) {
      guard let value = Double(argument.dropLast(unit.suffix.count)), value >= 0 else { return nil }
      duration = unit.make(value)
      return
    }
    guard let seconds = Double(argument), seconds >= 0 else { return nil }
    duration = .seconds(seconds)
  }
}
