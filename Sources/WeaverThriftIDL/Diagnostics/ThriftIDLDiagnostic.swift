/// One message about an IDL file, located like a compiler's: `file:line:column: error: message`.
public struct ThriftIDLDiagnostic: Hashable, Sendable, CustomStringConvertible {
  public enum Severity: String, Hashable, Sendable {
    case error
    case warning
  }

  public var severity: Severity
  public var location: ThriftSourceLocation
  public var message: String

  public init(_ severity: Severity, at location: ThriftSourceLocation, _ message: String) {
    self.severity = severity
    self.location = location
    self.message = message
  }

  public static func error(at location: ThriftSourceLocation, _ message: String) -> Self {
    Self(.error, at: location, message)
  }

  public static func warning(at location: ThriftSourceLocation, _ message: String) -> Self {
    Self(.warning, at: location, message)
  }

  public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Thrown when an IDL file cannot be read, lexed, parsed or checked.
///
/// It carries every error found (the parser stops at the first syntax error; the semantic
/// checks report all they find), one per line in ``description``.
public struct ThriftIDLError: Error, Hashable, Sendable, CustomStringConvertible {
  public var diagnostics: [ThriftIDLDiagnostic]

  public init(_ diagnostics: [ThriftIDLDiagnostic]) {
    self.diagnostics = diagnostics
  }

  public init(at location: ThriftSourceLocation, _ message: String) {
    self.diagnostics = [.error(at: location, message)]
  }

  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
