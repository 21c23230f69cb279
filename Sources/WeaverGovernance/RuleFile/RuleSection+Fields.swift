import WeaverCore

/// Typed fields: each parses its text, checks its range, and renders its value back.
extension RuleSection {
  func duration(_ key: String, aliases: [String] = [], doc: String, min: Duration = .zero, _ target: inout Duration) {
    scalar(key, aliases: aliases, type: .duration, doc: doc, into: &target, render: RuleValues.render) { text in
      RuleValues.duration(text).flatMap { $0 >= min ? .success($0) : .failure(RuleReason("\(text) is too short (at least \(RuleValues.render(min)))")) }
    }
  }

  func optionalDuration(_ key: String, aliases: [String] = [], doc: String, _ target: inout Duration?) {
    scalar(key, aliases: aliases, type: .optional(.duration), doc: doc, into: &target, render: { $0.map(RuleValues.render) ?? "off" }) { text in
      RuleValues.isOff(text) ? .success(nil) : RuleValues.duration(text).flatMap {
        $0 > .zero ? .success($0) : .failure(RuleReason("\(text) must be longer than 0 (or off)"))
      }
    }
  }

  func percent(_ key: String, aliases: [String] = [], doc: String, _ target: inout Double) {
    scalar(key, aliases: aliases, type: .percent, doc: doc, into: &target, render: RuleValues.renderPercent, parse: RuleValues.percent)
  }

  func optionalPercent(_ key: String, aliases: [String] = [], doc: String, _ target: inout Double?) {
    scalar(key, aliases: aliases, type: .optional(.percent), doc: doc, into: &target, render: { $0.map(RuleValues.renderPercent) ?? "off" }) { text in
      RuleValues.isOff(text) ? .success(nil) : RuleValues.percent(text).map { Optional($0) }
    }
  }

  func integer(_ key: String, aliases: [String] = [], doc: String, range: ClosedRange<Int>, _ target: inout Int) {
    scalar(key, aliases: aliases, type: .integer(min: range.lowerBound, max: range.upperBound), doc: doc, into: &target, render: { "\($0)" }) {
      RuleValues.integer($0, range)
    }
  }

  func optionalInteger(_ key: String, aliases: [String] = [], doc: String, range: ClosedRange<Int>, _ target: inout Int?) {
    let type = RuleFieldType.optional(.integer(min: range.lowerBound, max: range.upperBound))
    scalar(key, aliases: aliases, type: type, doc: doc, into: &target, render: { $0.map { "\($0)" } ?? "off" }) { text in
      RuleValues.isOff(text) ? .success(nil) : RuleValues.integer(text, range).map { Optional($0) }
    }
  }

  func number(_ key: String, aliases: [String] = [], doc: String, range: ClosedRange<Double>, _ target: inout Double) {
    scalar(key, aliases: aliases, type: .number(min: range.lowerBound, max: range.upperBound), doc: doc, into: &target, render: RuleFieldType.format) { text in
      guard let value = Double(text), value.isFinite else { return .failure(RuleReason("\(text) is not a number")) }
      guard range.contains(value) else {
        return .failure(RuleReason("\(text) is out of range (\(RuleFieldType.format(range.lowerBound))…\(RuleFieldType.format(range.upperBound)))"))
      }
      return .success(value)
    }
  }

  func optionalNumber(_ key: String, aliases: [String] = [], doc: String, range: ClosedRange<Double>, _ target: inout Double?) {
    let type = RuleFieldType.optional(.number(min: range.lowerBound, max: range.upperBound))
    scalar(key, aliases: aliases, type: type, doc: doc, into: &target, render: { $0.map(RuleFieldType.format) ?? "off" }) { text in
      if RuleValues.isOff(text) { return .success(nil) }
      guard let value = Double(text), value.isFinite, range.contains(value) else {
        return .failure(RuleReason("\(text) is not a number in \(RuleFieldType.format(range.lowerBound))…\(RuleFieldType.format(range.upperBound))"))
      }
      return .success(value)
    }
  }

  func boolean(_ key: String, aliases: [String] = [], doc: String, _ target: inout Bool) {
    scalar(key, aliases: aliases, type: .boolean, doc: doc, into: &target, render: { "\($0)" }) { text in
      switch text {
      case "true", "yes", "on": .success(true)
      case "false", "no", "off": .success(false)
      default: .failure(RuleReason("\(text) is not true or false"))
      }
    }
  }

  func string(_ key: String, aliases: [String] = [], doc: String, _ target: inout String) {
    scalar(key, aliases: aliases, type: .string, doc: doc, into: &target, render: { $0 }) { text in
      text.isEmpty ? .failure(RuleReason("must not be empty")) : .success(text)
    }
  }

  func optionalString(_ key: String, aliases: [String] = [], doc: String, _ target: inout String?) {
    scalar(key, aliases: aliases, type: .optional(.string), doc: doc, into: &target, render: { $0 ?? "off" }) { text in
      .success(text.isEmpty ? nil : text)
    }
  }

  func choice<T: RawRepresentable & CaseIterable>(_ key: String, aliases: [String] = [], doc: String, _ target: inout T) where T.RawValue == String {
    let names = T.allCases.map(\.rawValue)
    scalar(key, aliases: aliases, type: .choice(names), doc: doc, into: &target, render: \.rawValue) { text in
      // YAML 1.1 tools write `off` as false.
      let name = text == "false" && names.contains("off") ? "off" : text
      return T(rawValue: name).map { .success($0) } ?? .failure(RuleReason("'\(text)' is not one of \(names.joined(separator: ", "))"))
    }
  }

  func codes(_ key: String, aliases: [String] = [], doc: String, _ target: inout Set<RPCError.Code>) {
    var list = RPCError.Code.all.filter(target.contains)
    self.list(key, aliases: aliases, type: .codes, doc: doc, into: &list, render: \.name, parse: RuleValues.code)
    target = Set(list)
  }

  func optionalCode(_ key: String, aliases: [String] = [], doc: String, _ target: inout RPCError.Code?) {
    scalar(key, aliases: aliases, type: .optional(.codes), doc: doc, into: &target, render: { $0?.name ?? "off" }) { text in
      RuleValues.isOff(text) ? .success(nil) : RuleValues.code(text).map { Optional($0) }
    }
  }
}

/// Parsing and rendering of rule values.
enum RuleValues {
  /// `off` (or `none`, or `false`: YAML 1.1 tools turn a bare `off` into false).
  static func isOff(_ text: String) -> Bool { text == "off" || text == "none" || text == "false" }

  /// `250ms`, `10s`, `1.5s`, `2m`, `1h`, `500us`, `100ns`. A bare number has no unit and
  /// is rejected.
  static func duration(_ text: String) -> Result<Duration, RuleReason> {
    let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
    let trimmed = text.trimmingSpaces
    guard let (unit, scale) = units.first(where: { trimmed.hasSuffix($0.0) && Double(trimmed.dropLast($0.0.count)) != nil }) else {
      if Double(trimmed) != nil { return .failure(RuleReason("\(text) needs a unit (250ms, 10s, 2m)")) }
      return .failure(RuleReason("\(text) is not a duration (250ms, 10s, 2m)"))
    }
    let value = Double(trimmed.dropLast(unit.count))! * scale
    guard value >= 0, value < 1e9 else { return .failure(RuleReason("\(text) is not a duration we can use")) }
    return .success(.nanoseconds(Int64((value * 1e9).rounded())))
  }

  /// `60%` (also `60 %`, `12.5%`); 0…100. The sign is required: `0.6` could mean 0.6 % or 60 %.
  static func percent(_ text: String) -> Result<Double, RuleReason> {
    let trimmed = text.trimmingSpaces
    guard trimmed.hasSuffix("%"), let value = Double(String(trimmed.dropLast()).trimmingSpaces) else {
      if Double(trimmed) != nil { return .failure(RuleReason("\(text) needs a % sign (write 60% for sixty percent)")) }
      return .failure(RuleReason("\(text) is not a percentage"))
    }
    guard value >= 0, value <= 100 else { return .failure(RuleReason("\(text) is not a percentage")) }
    return .success(value)
  }

  static func integer(_ text: String, _ range: ClosedRange<Int>) -> Result<Int, RuleReason> {
    guard let value = Int(text.trimmingSpaces) else { return .failure(RuleReason("\(text) is not an integer")) }
    guard range.contains(value) else {
      let bounds = range.upperBound == .max ? "at least \(range.lowerBound)" : "\(range.lowerBound)…\(range.upperBound)"
      return .failure(RuleReason("\(value) is out of range (\(bounds))"))
    }
    return .success(value)
  }

  static func code(_ text: String) -> Result<RPCError.Code, RuleReason> {
    if let code = RPCError.Code(name: text) { return .success(code) }
    let hint = RuleSection.closest(to: text, in: RPCError.Code.all.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
    return .failure(RuleReason("'\(text)' is not an error code\(hint)"))
  }

  static func render(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    for (unit, size) in [("h", Int64(3_600_000_000_000)), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)]
    where nanoseconds >= size && nanoseconds % size == 0 {
      return "\(nanoseconds / size)\(unit)"
    }
    return nanoseconds == 0 ? "0s" : "\(nanoseconds)ns"
  }

  static func renderPercent(_ value: Double) -> String { "\(RuleFieldType.format(value))%" }
}

extension String {
  var trimmingSpaces: String {
    var text = Substring(self)
    while text.first == " " { text.removeFirst() }
    while text.last == " " { text.removeLast() }
    return String(text)
  }
}
