/// Words the Thrift IDL reserves. Everything else that looks like a word is an identifier.
public enum ThriftKeyword: String, Hashable, Sendable, CaseIterable {
  case namespace, include
  case cppInclude = "cpp_include"
  case cppType = "cpp_type"
  case xsdAll = "xsd_all"
  case xsdOptional = "xsd_optional"
  case xsdNillable = "xsd_nillable"
  case xsdAttrs = "xsd_attrs"
  case void, bool, byte, i8, i16, i32, i64, double, string, binary, uuid
  case map, list, set
  case oneway, typedef, `struct`, union, exception, extends, `throws`, service, `enum`, const
  case required, optional

  /// Whether the word names a base or container type (`i32`, `string`, `list`, …). Such a
  /// word may also name a field, as in Apache Thrift since THRIFT-5626 (`1: string string`).
  var namesType: Bool {
    switch self {
    case .bool, .byte, .i8, .i16, .i32, .i64, .double, .string, .binary, .uuid, .map, .list, .set: return true
    default: return false
    }
  }
}

/// What a token is, with its value.
enum TokenKind: Equatable, Sendable {
  case identifier(String)
  case intConstant(Int64)
  case doubleConstant(Double)
  case literal(String)
  case keyword(ThriftKeyword)
  /// One of `: ; , { } ( ) = < > [ ] * &`.
  case symbol(UInt8)
  case endOfFile

  /// How the token reads in an error message.
  var spelling: String {
    switch self {
    case .identifier(let name): return "identifier '\(name)'"
    case .intConstant(let value): return "integer \(value)"
    case .doubleConstant(let value): return "number \(value)"
    case .literal(let text): return "string \"\(text)\""
    case .keyword(let keyword): return "'\(keyword.rawValue)'"
    case .symbol(let byte): return "'\(Character(UnicodeScalar(byte)))'"
    case .endOfFile: return "end of file"
    }
  }
}

/// A token with where it starts and the doc comment (`/** ... */`) right before it, if any.
struct Token: Sendable {
  var kind: TokenKind
  var location: ThriftSourceLocation
  var doc: String?
}
