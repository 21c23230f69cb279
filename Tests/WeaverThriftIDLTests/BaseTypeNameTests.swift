import Testing
@testable import WeaverThriftIDL

/// Base and container type names as field names, as Apache Thrift accepts since THRIFT-5626.
@Suite struct BaseTypeNameTests {
  static let typeWords = ["bool", "byte", "i8", "i16", "i32", "i64", "double", "string", "binary", "uuid", "list", "map", "set"]

  func structure(_ text: String, at index: Int = 0) throws -> ThriftStructDefinition? {
    guard case .struct(let structure) = try parse(text).document.definitions[index] else { return nil }
    return structure
  }

  @Test func typeWordsNameFieldsOfTheirOwnType() throws {
    let fields = try #require(try structure("""
      struct S {
        1: bool bool, 2: byte byte, 3: i8 i8, 4: i16 i16, 5: i32 i32, 6: i64 i64, 7: double double,
        8: string string, 9: binary binary, 10: uuid uuid, 11: list<string> list, 12: map<string,i32> map,
        13: set<i8> set
      }
      """)).fields
    #expect(fields.map(\.name) == Self.typeWords)
    #expect(fields.map(\.id) == Array(1...13))
    #expect(fields.map(\.type.description) == [
      "bool", "i8", "i8", "i16", "i32", "i64", "double", "string", "binary", "uuid", "list<string>", "map<string,i32>", "set<i8>",
    ])
  }

  @Test func everythingAfterTheNameStillParses() throws {
    let fields = try #require(try structure("""
      struct S {
        string string = "s" (anno = "x");
        2: optional i32 i64 = 3
        3: required list<i32> list xsd_optional xsd_nillable,
        4: string (type.anno) binary
        5: Other & map
      }
      """)).fields
    #expect(fields.map(\.name) == ["string", "i64", "list", "binary", "map"])
    #expect(fields.map(\.id) == [-1, 2, 3, 4, 5])
    #expect(fields[0].defaultValue?.syntax == .string("s") && fields[0].annotations.value(for: "anno") == "x")
    #expect(fields[1].requiredness == .optional && fields[1].type.syntax == .base(.i32))
    #expect(fields[3].type.annotations.value(for: "type.anno") == "1" && fields[3].annotations.isEmpty)
    #expect(fields[4].type.syntax == .named("Other") && fields[4].isReference)
  }

  @Test func unionsExceptionsArgumentsAndThrowsClauses() throws {
    let document = try parse("""
      union U { 1: string string, 2: i64 i64 }
      exception E { 1: string string, 2: uuid uuid }
      service S {
        string echo(1: string string, 2: binary binary, i32 i32) throws (1: E set),
        oneway void send(1: map<string, list<i8>> map)
      }
      """).document
    guard case .struct(let union) = document.definitions[0], case .struct(let exception) = document.definitions[1],
      case .service(let service) = document.definitions[2]
    else {
      Issue.record("unexpected definitions")
      return
    }
    #expect(union.fields.map(\.name) == ["string", "i64"])
    #expect(exception.fields.map(\.name) == ["string", "uuid"])
    #expect(service.functions[0].arguments.map(\.name) == ["string", "binary", "i32"])
    #expect(service.functions[0].arguments.map(\.id) == [1, 2, -1])
    #expect(service.functions[0].exceptions.map(\.name) == ["set"])
    #expect(service.functions[1].arguments.map(\.name) == ["map"])
  }

  @Test func programsWithThemLoad() throws {
    let program = try load(["/idl/main.thrift": "struct S { 1: string string, 2: S2 i32 }\nstruct S2 { 1: i8 byte }"])
    #expect(program.documents.count == 1)
    #expect(loadError(["/idl/main.thrift": "struct S { 1: string string, 2: i32 string }"])
      == "/idl/main.thrift:1:37: error: struct S already has a field named 'string' (at /idl/main.thrift:1:22)")
  }

  /// Apache keeps every other name an identifier: definitions, functions, enum values.
  @Test func otherNamesStayIdentifiers() {
    #expect(parseError("struct i32 {}") == "test.thrift:1:8: error: expected a name for the struct, found 'i32'")
    #expect(parseError("enum E { string }") == "test.thrift:1:10: error: expected an enum value name or '}', found 'string'")
    #expect(parseError("service S { void list() }") == "test.thrift:1:18: error: expected a function name, found 'list'")
    #expect(parseError("const i32 i64 = 1") == "test.thrift:1:11: error: expected a constant name, found 'i64'")
    #expect(parseError("typedef i32 uuid") == "test.thrift:1:13: error: expected a name for the typedef, found 'uuid'")
    #expect(parseError("service uuid {}") == "test.thrift:1:9: error: expected a service name, found 'uuid'")
  }
}
