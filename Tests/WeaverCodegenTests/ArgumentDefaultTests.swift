import Foundation
import Testing
import WeaverCodegen
import WeaverThriftIDL

/// IDL defaults of method arguments become Swift default arguments on the client, and
/// overloads on its protocol; the server side must still implement the full method.
@Suite struct ArgumentDefaultTests {
  static let idl = """
    enum Order { NEWEST = 1, OLDEST = 2 }
    service Feed {
      i32 getFeed(1: i64 viewer, 2: i32 limit = 20),
      list<string> search(1: string query, 2: i32 limit = 10, 3: Order order = Order.NEWEST),
      oneway void log(1: i32 level = 2, 2: string line),
    }
    """

  /// Code that leaves defaulted arguments out, on the client and through its protocol.
  static let caller = """
    import WeaverThrift

    func callers(_ client: Feed.Client<ThriftInProcessChannel>, _ feed: some Feed.ClientProtocol) async throws {
      _ = try await client.getFeed(viewer: 1)
      _ = try await client.search(query: "q", order: .oldest)
      try await client.log(line: "x")
      _ = try await feed.getFeed(viewer: 1)
      _ = try await feed.search(query: "q")
      _ = try await feed.search(query: "q", limit: 5)
      try await feed.log(line: "x")
    }

    struct Handler: Feed.ServiceProtocol {
      func getFeed(viewer: Int64, limit: Int32) async throws -> Int32 { limit }
      func search(query: String, limit: Int32, order: Order) async throws -> [String] { [] }
      func log(level: Int32, line: String) async throws {}
    }
    """

  /// A conformance that forgets a method must not compile: the overloads are no stand-ins.
  static let incompleteConformance = """
    struct Incomplete: Feed.ClientProtocol {
      func search(query: String, limit: Int32, order: Order) async throws -> [String] { [] }
      func log(level: Int32, line: String) async throws {}
    }
    """

  /// Generates `Feed.thrift.swift` into a new `directory`.
  static func generate(in directory: URL) throws -> URL {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let idl = directory.appendingPathComponent("Feed.thrift")
    try Self.idl.write(to: idl, atomically: true, encoding: .utf8)
    let report = try ThriftCodegenRunner.run(ThriftCodegenRequest(files: [idl.path], outputDirectory: directory.path))
    return URL(fileURLWithPath: try #require(report.generated.first))
  }

  @Test func clientHasDefaultsAndTheServerProtocolHasNone() throws {
    let program = try ThriftIDLLoader(readFile: { _ in Array(Self.idl.utf8) }).load("/idl/Feed.thrift")
    let code = try #require(ThriftSwiftGenerator().generate(program).first).contents
    #expect(code.contains("public func getFeed(viewer: Int64, limit: Int32 = 20) async throws -> Int32 {"))
    #expect(code.contains("public func search(query: String, limit: Int32 = 10, order: Order = .newest) async throws -> [String] {"))
    #expect(code.contains("public func log(level: Int32 = 2, line: String) async throws {"))
    let requirement = "    func getFeed(viewer: Int64, limit: Int32) async throws -> Int32\n"
    #expect(code.components(separatedBy: requirement).count - 1 == 2, "ClientProtocol and ServiceProtocol, without defaults")
    // The client protocol's overloads leave defaulted arguments out from the last one back.
    let extensionStart = try #require(code.range(of: "extension Feed.ClientProtocol {\n")).upperBound
    let overloads = code[extensionStart...].components(separatedBy: "\n}\n")[0]
    #expect(overloads.split(separator: "\n").filter { $0.hasPrefix("  public func ") } == [
      "  public func getFeed(viewer: Int64) async throws -> Int32 {",
      "  public func search(query: String, limit: Int32) async throws -> [String] {",
      "  public func search(query: String) async throws -> [String] {",
      "  public func log(line: String) async throws {",
    ])
    #expect(overloads.contains("    try await self.search(query: query, limit: 10, order: .newest)\n"))
    #expect(!code.contains("extension Feed.ServiceProtocol"))
  }

  @Test func callersMayLeaveDefaultedArgumentsOut() async throws {
    let checker = try SwiftTypeChecker()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-defaults-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let generated = try Self.generate(in: directory)
    let caller = directory.appendingPathComponent("Caller.swift")
    try Self.caller.write(to: caller, atomically: true, encoding: .utf8)
    try await checker.check([generated, caller])

    let incomplete = directory.appendingPathComponent("Incomplete.swift")
    try Self.incompleteConformance.write(to: incomplete, atomically: true, encoding: .utf8)
    let failure = await #expect(throws: SwiftTypeChecker.Failure.self) {
      try await checker.check([generated, incomplete])
    }
    #expect(failure?.description.contains("does not conform to protocol 'Feed.ClientProtocol'") == true)
  }
}
