import Testing
import WeaverCodegen
import WeaverThriftIDL

/// Declarations with nothing inside print as `{}` on one line, as a person would write them.
@Suite struct EmptyBodyTests {
  @Test func emptyInitializersStayOnOneLine() throws {
    let idl = "struct Empty {}\nexception Nothing {}\nservice Pinger { void ping() }\n"
    let program = try ThriftIDLLoader(readFile: { _ in Array(idl.utf8) }).load("/idl/Empty.thrift")
    let code = try #require(ThriftSwiftGenerator().generate(program).first).contents
    #expect(code.contains("public struct Empty: ThriftStruct {\n  public init() {}\n}\n"))
    #expect(code.contains("public struct Nothing: ThriftStruct, Error {\n  public init() {}\n}\n"))
    #expect(code.contains("  public struct PingArgs: ThriftStruct {\n    public init() {}\n  }\n"))
    #expect(code.contains("  public func get() throws {}\n"))
    #expect(!code.contains("{\n}") && !code.contains("{\n  }") && !code.contains("{\n    }"), "no empty body spans lines")
  }
}
