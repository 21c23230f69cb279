import Testing
@testable import WeaverThriftIDL

@Suite struct SemanticTests {
  @Test func includesResolveRelativeToTheIncluderThenIncludePaths() throws {
    let program = try load([
      "/idl/main.thrift": """
        include "sub/a.thrift"
        include "common.thrift"
        struct M { 1: a.A a, 2: common.C c }
        """,
      "/idl/sub/a.thrift": "include \"b.thrift\"\nstruct A { 1: b.B b }",
      "/idl/sub/b.thrift": "struct B {}",
      "/lib/common.thrift": "struct C {}",
    ], includePaths: ["/lib"])
    #expect(program.order == ["/idl/sub/b.thrift", "/idl/sub/a.thrift", "/lib/common.thrift", "/idl/main.thrift"])
    #expect(program.lookup("a.A", from: "/idl/main.thrift") == ThriftQualifiedName(document: "/idl/sub/a.thrift", name: "A"))
    #expect(program.lookup("b.B", from: "/idl/main.thrift") == nil, "includes are not transitive")
  }

  @Test func includeErrors() {
    #expect(loadError(["/idl/main.thrift": "include \"missing.thrift\""])
      == "/idl/main.thrift:1:1: error: cannot find included file 'missing.thrift' (searched: /idl)")
    #expect(loadError([
      "/idl/main.thrift": "include \"a.thrift\"",
      "/idl/a.thrift": "include \"b.thrift\"",
      "/idl/b.thrift": "include \"main.thrift\"",
    ]) == "/idl/b.thrift:1:1: error: include cycle: /idl/main.thrift -> /idl/a.thrift -> /idl/b.thrift -> /idl/main.thrift")
    #expect(loadError(["/nowhere.thrift": ""], root: "/idl/none.thrift") == "/idl/none.thrift:1:1: error: cannot read file '/idl/none.thrift'")
  }

  /// Each snippet has exactly one error; the message and location must match.
  @Test(arguments: [
    ("struct S { 1: Missing m }", "1:15: error: unknown type 'Missing'"),
    ("struct S { 1: nope.T m }", "1:15: error: unknown type 'nope.T': no include is named 'nope'"),
    ("struct S {}\nenum S { A }", "2:1: error: 'S' is already defined at /idl/main.thrift:1:1"),
    ("struct S { 1: i32 a, 2: i32 a }", "1:29: error: struct S already has a field named 'a' (at /idl/main.thrift:1:19)"),
    ("struct S { 1: i32 a, 1: i32 b }", "1:29: error: struct S: field id 1 of 'b' is already used by 'a'"),
    ("enum E { A, B, A }", "1:16: error: enum E already has a value named 'A' (at /idl/main.thrift:1:10)"),
    ("const i8 X = 200", "1:14: error: value 200 is out of range for i8 (-128...127)"),
    ("const string X = 5", "1:18: error: type mismatch: expected string, found integer 5"),
    ("const i32 X = \"five\"", "1:15: error: type mismatch: expected i32, found string \"five\""),
    ("const list<i32> X = [1, \"2\"]", "1:25: error: type mismatch: expected i32, found string \"2\""),
    ("enum E { A }\nconst E X = A", "2:13: error: unknown constant 'A'; enum values are written qualified, as 'E.A'"),
    ("enum E { A }\nenum F { B }\nconst E X = F.B", "3:13: error: type mismatch: 'F.B' is a value of enum F, expected a value of E"),
    ("struct S { 1: required i32 a }\nconst S X = {}", "2:13: error: S literal must set its required field 'a'"),
    ("struct S { 1: i32 a }\nconst S X = {\"b\": 1}", "2:14: error: S has no field 'b'"),
    ("union U { 1: i32 a, 2: i32 b }\nconst U X = {\"a\": 1, \"b\": 2}", "2:13: error: a union literal sets exactly one field; this one sets 2"),
    ("const i32 A = B\nconst i32 B = A", "1:15: error: constant 'B' refers to itself\n/idl/main.thrift:2:15: error: constant 'A' refers to itself"),
    ("const uuid U = \"not-a-uuid\"", "1:16: error: 'not-a-uuid' is not a UUID (expected 8-4-4-4-12 hex digits)"),
    ("struct S { 1: i32 a = \"x\" }", "1:23: error: type mismatch: expected i32, found string \"x\""),
    ("typedef A B\ntypedef B A", "1:9: error: typedef 'A' refers to itself\n/idl/main.thrift:2:9: error: typedef 'B' refers to itself"),
    ("service A extends B {}\nservice B extends A {}", "1:19: error: service A extends itself through A -> B -> A\n/idl/main.thrift:2:19: error: service B extends itself through B -> A -> B"),
    ("service A extends Nope {}", "1:19: error: service A extends unknown service 'Nope'"),
    ("struct T {}\nservice A extends T {}", "2:19: error: service A extends 'T', which is not a service"),
    ("service A { void f(), void f() }", "1:28: error: service A already has a function named 'f' (at /idl/main.thrift:1:18)"),
    ("service A { void f() }\nservice B extends A { void f() }", "2:28: error: function 'f' is already defined in A, which B extends"),
    ("struct T {}\nservice A { void f() throws (1: T t) }", "2:33: error: function A.f throws 'T', which is not an exception"),
    ("service A { oneway i32 f() }", "1:24: error: oneway function A.f must return void"),
    ("exception X {}\nservice A { oneway void f() throws (1: X x) }", "2:25: error: oneway function A.f cannot throw exceptions"),
    ("service A {}\nstruct S { 1: A a }", "2:15: error: 'A' is a service, not a type"),
    ("const i32 C = 1\nstruct S { 1: C a }", "2:15: error: 'C' is a constant, not a type"),
  ])
  func semanticErrors(source: String, expected: String) {
    #expect(loadError(["/idl/main.thrift": source]) == "/idl/main.thrift:" + expected)
  }

  @Test func reportsEveryErrorNotJustTheFirst() {
    let message = loadError(["/idl/main.thrift": "struct S { 1: A a, 2: B b }\nconst i8 X = 999"])
    #expect(message?.split(separator: "\n").count == 3)
  }

  @Test func unionsIgnoreRequiredWithAWarning() throws {
    let program = try load(["/idl/main.thrift": "union U { 1: required i32 a }"])
    #expect(program.warnings.map(\.message) == ["union U field 'a': union members are always optional; 'required' is ignored"])
  }

  @Test func constantsResolve() throws {
    let program = try load([
      "/idl/main.thrift": """
        include "shared.thrift"
        enum E { A = 1, B = 2 }
        const i32 ONE = 1
        const i64 COPY = ONE
        const E FROM_OTHER_ENUM_NAME = shared.F.B
        const i32 ENUM_AS_INT = E.B
        const set<i32> S = [1, 2, 1]
        const map<string, i32> M = {"a": 1, "a": 2}
        const shared.P P = {"x": shared.MAX}
        const double D = 3
        const bool T = true
        const binary BIN = "hi"
        const list<i32> EMPTY_FROM_MAP = {}
        """,
      "/idl/shared.thrift": "const i32 MAX = 9\nenum F { A, B }\nstruct P { 1: i32 x }",
    ])
    func value(_ name: String) throws -> ThriftResolvedConst {
      let key = "/idl/main.thrift"
      guard case .const(let constant) = program.definition(ThriftQualifiedName(document: key, name: name)) else {
        throw ThriftIDLError(at: ThriftSourceLocation(file: key, line: 0, column: 0), "no \(name)")
      }
      return try program.resolveConst(constant.value, as: program.resolve(constant.type, in: key), in: key)
    }
    let e = ThriftQualifiedName(document: "/idl/main.thrift", name: "E")
    #expect(try value("COPY") == .int(1))
    #expect(try value("FROM_OTHER_ENUM_NAME") == .enumValue(e, caseName: "B", value: 2), "Apache looks up the last part in the expected enum")
    #expect(try value("ENUM_AS_INT") == .int(2))
    #expect(try value("S") == .set([.int(1), .int(2)]))
    #expect(try value("M") == .map([.init(key: .string("a"), value: .int(2))]))
    #expect(try value("D") == .double(3))
    #expect(try value("T") == .bool(true))
    #expect(try value("BIN") == .binary(Array("hi".utf8)))
    #expect(try value("EMPTY_FROM_MAP") == .list([]))
    guard case .structure(let p, let fields) = try value("P") else {
      Issue.record("P is not a struct literal")
      return
    }
    #expect(p.name == "P" && fields.map(\.value) == [.int(9)])
  }

  @Test func namespacesForAnyLanguageAreAccepted() throws {
    let program = try load(["/idl/main.thrift": "namespace * thrift.test\nnamespace noexist X\nnamespace cpp.noexist Y\nstruct S { 1: i32 a }"])
    #expect(program.root.namespaces.map(\.scope) == ["*", "noexist", "cpp.noexist"])
  }
}
