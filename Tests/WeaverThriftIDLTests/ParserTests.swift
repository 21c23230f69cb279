import Testing
@testable import WeaverThriftIDL

@Suite struct ParserTests {
  @Test func headers() throws {
    let document = try parse("""
      include "shared.thrift"
      include "dir/other.thrift";
      cpp_include "<vector>"
      namespace swift MyModule
      namespace py.twisted my.pkg
      namespace * all.langs
      namespace xsd test (uri = 'http://example.com/ns')
      """).document
    #expect(document.includes.map(\.path) == ["shared.thrift", "dir/other.thrift"])
    #expect(document.includes.map(\.prefix) == ["shared", "other"])
    #expect(document.cppIncludes == ["<vector>"])
    #expect(document.namespace(for: "swift") == "MyModule")
    #expect(document.namespace(for: "py.twisted") == "my.pkg")
    #expect(document.namespace(for: "*") == "all.langs")
    #expect(document.namespace(for: "go") == nil, "namespace * does not stand in for other languages")
    #expect(document.namespaces.last?.annotations.value(for: "uri") == "http://example.com/ns")
  }

  @Test func structsWithEveryFieldForm() throws {
    let document = try parse("""
      /** Documented. */
      struct Everything xsd_all {
        1: required i32 a = 5,
        2: optional list<map<string, set<binary>>> b;
        3: Other & c (cpp.ref = "true")
        i64 implicit1
        string implicit2 = "x" xsd_optional xsd_nillable
        4: uuid id
        5: byte legacy,
        6: double d = 1.5e3 (anno)
      } (python.immutable = "")
      """).document
    guard case .struct(let structure) = document.definitions.first else {
      Issue.record("not a struct")
      return
    }
    #expect(structure.kind == .struct && structure.name == "Everything" && structure.doc == "Documented.")
    #expect(structure.annotations.value(for: "python.immutable") == "")
    #expect(structure.fields.map(\.id) == [1, 2, 3, -1, -2, 4, 5, 6])
    #expect(structure.fields.map(\.idIsImplicit) == [false, false, false, true, true, false, false, false])
    #expect(structure.fields.map(\.requiredness) == [.required, .optional, .default, .default, .default, .default, .default, .default])
    #expect(structure.fields[0].defaultValue?.syntax == .int(5))
    #expect(structure.fields[1].type.description == "list<map<string,set<binary>>>")
    #expect(structure.fields[2].isReference && structure.fields[2].annotations.value(for: "cpp.ref") == "true")
    #expect(structure.fields[5].type.syntax == .base(.uuid))
    #expect(structure.fields[6].type.syntax == .base(.i8), "byte is i8")
    #expect(structure.fields[7].annotations.value(for: "anno") == "1", "an annotation without a value is \"1\"")
  }

  @Test func enumsUnionsExceptionsTypedefsConstants() throws {
    let document = try parse("""
      enum Color { RED = 1, GREEN, BLUE = 10 (deprecated), BLACK } (cpp.enum_strict)
      enum Implicit { A, B, C = -3, D }
      union U { 1: i32 n; 2: string s }
      exception E { 1: string message }
      typedef map<string, list<i32>> Index (anno = "x")
      const list<i32> L = [1, 2, 3,];
      const map<string, Color> M = {"r": Color.RED, "g": 2}
      const double D = -1e-3
      """).document
    let definitions = document.definitions
    guard case .enum(let color) = definitions[0], case .enum(let implicit) = definitions[1] else { return }
    #expect(color.values.map(\.value) == [1, 2, 10, 11])
    #expect(color.values[2].annotations.value(for: "deprecated") == "1")
    #expect(implicit.values.map(\.value) == [0, 1, -3, -2])
    guard case .struct(let union) = definitions[2], case .struct(let exception) = definitions[3] else { return }
    #expect(union.kind == .union && exception.kind == .exception)
    guard case .typedef(let typedef) = definitions[4], case .const(let list) = definitions[5],
      case .const(let map) = definitions[6], case .const(let double) = definitions[7]
    else { return }
    #expect(typedef.name == "Index" && typedef.type.description == "map<string,list<i32>>")
    if case .list(let elements) = list.value.syntax { #expect(elements.map(\.syntax) == [.int(1), .int(2), .int(3)]) }
    if case .map(let entries) = map.value.syntax {
      #expect(entries.map(\.key.syntax) == [.string("r"), .string("g")])
      #expect(entries.map(\.value.syntax) == [.identifier("Color.RED"), .int(2)])
    }
    #expect(double.value.syntax == .double(-0.001))
  }

  @Test func services() throws {
    let document = try parse("""
      service Base {}
      service Calc extends shared.Base {
        /** Adds. */
        i32 add(1: i32 a, 2: i32 b) throws (1: Oops oops),
        oneway void fire(1: string what);
        void noArgs() (anno = "x")
        list<i32> implicitArgs(i32 first, i32 second)
      } (service.anno = "y")
      """).document
    guard case .service(let service) = document.definitions[1] else { return }
    #expect(service.extends == "shared.Base")
    #expect(service.functions.map(\.name) == ["add", "fire", "noArgs", "implicitArgs"])
    #expect(service.functions[0].doc == "Adds." && service.functions[0].exceptions.map(\.name) == ["oops"])
    #expect(service.functions[1].isOneway && service.functions[1].returnType == nil)
    #expect(service.functions[2].annotations.value(for: "anno") == "x")
    #expect(service.functions[3].arguments.map(\.id) == [-1, -2])
    #expect(service.annotations.value(for: "service.anno") == "y")
  }

  @Test func negativeFieldIDs() throws {
    let defaultResult = try parse("struct S { -5: i32 a, 0: i32 b, 1: i32 c }")
    guard case .struct(let implicit) = defaultResult.document.definitions[0] else { return }
    #expect(implicit.fields.map(\.id) == [-1, -2, 1], "like Apache, non-positive ids are replaced, with a warning")
    #expect(defaultResult.warnings.count == 2)
    let allowed = try parse("struct S { -5: i32 a, 1: i32 c, i32 d }", options: ThriftParserOptions(allowNegativeFieldIDs: true))
    guard case .struct(let explicit) = allowed.document.definitions[0] else { return }
    #expect(explicit.fields.map(\.id) == [-5, 1, -6])
  }

  @Test func syntaxErrorsNameTheirPlace() {
    #expect(parseError("struct { }") == "test.thrift:1:8: error: expected a name for the struct, found '{'")
    #expect(parseError("struct S {\n  1: i32\n}") == "test.thrift:3:1: error: expected a field name, found '}'")
    #expect(parseError("struct S { 1 i32 a }") == "test.thrift:1:14: error: expected ':' after the field id 1, found 'i32'")
    #expect(parseError("service S { i32 f(1: i32 a }") == "test.thrift:1:28: error: expected a field or ')', found '}'")
    #expect(parseError("const i32 X 5") == "test.thrift:1:13: error: expected '=' after the constant name, found integer 5")
    #expect(parseError("struct S {}\ninclude \"a.thrift\"") == "test.thrift:2:1: error: 'include' must come before all definitions")
    #expect(parseError("enum E { A = 4294967296 }") == "test.thrift:1:14: error: enum value A = 4294967296 is out of range for i32")
    #expect(parseError("enum E { A = 2147483647, B }") == "test.thrift:1:26: error: enum value B overflows i32")
    #expect(parseError("struct S { 40000: i32 a }") == "test.thrift:1:12: error: field id 40000 is out of range (-32768...32767)")
    #expect(parseError("struct a.b {}") == "test.thrift:1:8: error: name 'a.b' cannot contain a dot")
    #expect(parseError("typedef list<i32 L") == "test.thrift:1:18: error: expected '>' to close the list type, found identifier 'L'")
    #expect(parseError("struct S { 1: map<i32> m }") == "test.thrift:1:22: error: expected ',' between the key and value types of a map, found '>'")
    #expect(parseError("wat") == "test.thrift:1:1: error: expected a definition (const, typedef, enum, struct, union, exception or service), found identifier 'wat'")
    #expect(parseError("struct S { 1: i32 a = }") == "test.thrift:1:23: error: expected a constant value, found '}'")
    #expect(parseError("struct S { 1: i32 a } $") == "test.thrift:1:23: error: unexpected character '$'")
  }
}
