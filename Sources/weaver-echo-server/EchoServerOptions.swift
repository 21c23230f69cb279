/// The options of `weaver-echo-server`, read by hand: this executable links no argument
/// parser (see `main.swift` for why).
struct EchoServerOptions {
  var host = "127.0.0.1"
  /// 0 picks a free port.
  var port = 9090
  /// Event loop threads; nil means one per core.
  var threads: Int?

  static let usage = "usage: weaver-echo-server [--host HOST] [--port PORT] [--threads N]"

  /// Reads `--host`, `--port` and `--threads`, each followed by its value; throws, with the
  /// reason, on anything else.
  init(arguments: ArraySlice<String>) throws(EchoServerOptionsError) {
    var rest = arguments
    while let name = rest.popFirst() {
      guard let value = rest.popFirst() else { throw EchoServerOptionsError("\(name) needs a value") }
      switch name {
      case "--host":
        host = value
      case "--port":
        guard let port = Int(value), (0...65535).contains(port) else {
          throw EchoServerOptionsError("--port must be 1 to 65535 (or 0 for a free one), not \(value)")
        }
        self.port = port
      case "--threads":
        guard let threads = Int(value), threads >= 1 else { throw EchoServerOptionsError("--threads must be at least 1") }
        self.threads = threads
      default:
        throw EchoServerOptionsError("unknown option \(name)")
      }
    }
  }
}

/// Why the command line could not be read.
struct EchoServerOptionsError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}
