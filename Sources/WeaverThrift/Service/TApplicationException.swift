/// The error a Thrift server sends when a call fails for a reason the IDL does not declare:
/// unknown method, undecodable arguments, a handler that threw something undeclared.
///
/// On the wire: `struct TApplicationException { 1: string message, 2: i32 type }` in an
/// `EXCEPTION` message.
public struct TApplicationException: Error, ThriftStruct, CustomStringConvertible {
  /// The standard kinds; other numbers are kept in ``unrecognized(_:)``.
  public enum Kind: Hashable, Sendable {
    case unknown
    case unknownMethod
    case invalidMessageType
    case wrongMethodName
    case badSequenceID
    case missingResult
    case internalError
    case protocolError
    case invalidTransform
    case invalidProtocol
    case unsupportedClientType
    /// fbthrift's `LOADSHEDDING` (11): the server turned the call away unprocessed (ours
    /// sends it while shutting down), so it is safe to send elsewhere.
    case loadShedding
    case unrecognized(Int32)

    public init(rawValue: Int32) {
      switch rawValue {
      case 0: self = .unknown
      case 1: self = .unknownMethod
      case 2: self = .invalidMessageType
      case 3: self = .wrongMethodName
      case 4: self = .badSequenceID
      case 5: self = .missingResult
      case 6: self = .internalError
      case 7: self = .protocolError
      case 8: self = .invalidTransform
      case 9: self = .invalidProtocol
      case 10: self = .unsupportedClientType
      case 11: self = .loadShedding
      default: self = .unrecognized(rawValue)
      }
    }

    public var rawValue: Int32 {
      switch self {
      case .unknown: return 0
      case .unknownMethod: return 1
      case .invalidMessageType: return 2
      case .wrongMethodName: return 3
      case .badSequenceID: return 4
      case .missingResult: return 5
      case .internalError: return 6
      case .protocolError: return 7
      case .invalidTransform: return 8
      case .invalidProtocol: return 9
      case .unsupportedClientType: return 10
      case .loadShedding: return 11
      case .unrecognized(let value): return value
      }
    }
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String = "") {
    self.kind = kind
    self.message = message
  }

  public var description: String { "TApplicationException(\(kind)): \(message)" }

  public init<Reader: ThriftProtocolReader>(from reader: inout Reader) throws(ThriftProtocolError) {
    var message = ""
    var kind: Int32 = 0
    let scope = try reader.readStructBegin()
    while true {
      let field = try reader.readFieldBegin()
      if field.type == .stop { break }
      switch field.id {
      case 1 where field.type == .string: message = try reader.readString()
      case 2 where field.type == .i32: kind = try reader.readI32()
      default: try reader.skip(field.type)
      }
    }
    reader.readStructEnd(scope)
    self.init(Kind(rawValue: kind), message)
  }

  public func write<Writer: ThriftProtocolWriter>(to writer: inout Writer) {
    let scope = writer.writeStructBegin()
    writer.writeFieldBegin(.string, id: 1)
    writer.writeString(message)
    writer.writeFieldBegin(.i32, id: 2)
    writer.writeI32(kind.rawValue)
    writer.writeFieldStop()
    writer.writeStructEnd(scope)
  }
}
