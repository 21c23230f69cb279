import ArgumentParser
import Logging
import WeaverRPC
import WeaverThrift

extension ThriftTransport: ExpressibleByArgument {
  public var defaultValueDescription: String { description }
}

/// A payload protocol by name (``ThriftProtocolID``'s raw values are wire ids, which
/// help would show).
enum ProtocolArgument: String, CaseIterable, ExpressibleByArgument {
  case binary, compact

  var id: ThriftProtocolID { self == .binary ? .binary : .compact }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
  public var defaultValueDescription: String { rawValue }
}

/// A duration written as `500ms`, `10s`, `2m` or a plain number of seconds.
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible {
  var duration: Duration
  /// As written (help shows defaults this way).
  var description: String

  init?(argument: String) {
    description = argument
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

  var defaultValueDescription: String { description }
}

/// What every serving command takes besides its own options: where to listen and how much
/// to log.
struct ServingOptions: ParsableArguments {
  @Option(help: "The port, 1 to 65535; 0 picks a free one.")
  var port: Int = 9090

  @Option(help: "The address to bind.")
  var host: String = "127.0.0.1"

  @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
  var logLevel: Logger.Level = .warning

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535 (or 0 for a free one), not \(port)") }
  }

  /// Process settings every serving command wants: large buffers go back to the system
  /// when freed (see `ProcessMemory`).
  func prepareProcess() {
    ProcessMemory.returnLargeBlocksToTheSystem()
  }

  func logger(label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = logLevel
    return logger
  }
}

/// A failure a command explains in one line (`Error: …`), with no usage text.
struct CommandFailure: Error, CustomStringConvertible {
  var description: String
}

extension ThriftServerError {
  /// The error with what to do about it, for a command's output.
  var withAdvice: CommandFailure {
    switch code {
    case .addressInUse: CommandFailure(description: "\(self). Stop that process, or pick another --port (0 picks a free one).")
    case .invalidPort, .bindFailed: CommandFailure(description: "\(self)")
    }
  }
}
