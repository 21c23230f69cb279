import Foundation
import Testing
import WeaverCodegen
import WeaverThriftIDL

/// Apache Thrift's own test IDLs (ThriftTest.thrift, the cross-language test service, and
/// the rest of its `test/*.thrift`): every file Apache's compiler accepts must load, and the
/// Swift generated from it must compile without warnings. `scripts/fetch-thrift-idl`
/// (run by scripts/test) fetches them from Debian's source package.
@Suite struct ApacheCorpusTests {
  static let testDirectory: URL = {
    if let custom = ProcessInfo.processInfo.environment["WEAVER_THRIFT_TEST_IDL"] { return URL(fileURLWithPath: custom) }
    return SwiftTypeChecker.packageRoot.appendingPathComponent(".build-thrift/thrift-0.17.0/test")
  }()

  /// Apache's compiler rejects this one (a constant beyond 64 bits); so must we.
  static let rejected = ["BrokenConstants.thrift"]

  static func corpus() throws -> [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: testDirectory.path)) ?? []
    let idls = files.filter { $0.hasSuffix(".thrift") }.sorted()
    guard idls.contains("ThriftTest.thrift") else {
      throw SwiftTypeChecker.Failure(description: "Apache Thrift's test IDLs are missing at \(testDirectory.path): run scripts/fetch-thrift-idl")
    }
    return idls
  }

  @Test func everyAcceptedFileGeneratesSwiftThatCompiles() async throws {
    let checker = try SwiftTypeChecker()
    let idls = try Self.corpus().filter { !Self.rejected.contains($0) }
    #expect(idls.count >= 27)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-apache-corpus-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    var failures: [String] = []
    try await withThrowingTaskGroup(of: String?.self) { group in
      var pending = idls.makeIterator()
      func startNext() {
        guard let idl = pending.next() else { return }
        group.addTask {
          let output = root.appendingPathComponent(idl)
          do {
            let report = try ThriftCodegenRunner.run(ThriftCodegenRequest(
              files: [Self.testDirectory.appendingPathComponent(idl).path], includePaths: [Self.testDirectory.path],
              outputDirectory: output.path, recursive: true))
            try await checker.check(report.generated.map { URL(fileURLWithPath: $0) })
            return nil
          } catch {
            return "\(idl): \(error)"
          }
        }
      }
      // Two compilers at a time: one per core.
      startNext()
      startNext()
      while let result = try await group.next() {
        if let result { failures.append(result) }
        startNext()
      }
    }
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
  }

  @Test func rejectedFilesAreRejected() throws {
    _ = try Self.corpus()
    for idl in Self.rejected {
      let path = Self.testDirectory.appendingPathComponent(idl).path
      #expect(throws: ThriftIDLError.self) { try ThriftIDLLoader(includePaths: [Self.testDirectory.path]).load(path) }
    }
  }

  @Test func thriftTestServiceHasEveryMethod() throws {
    let program = try ThriftIDLLoader().load(Self.testDirectory.appendingPathComponent("ThriftTest.thrift").path)
    let generated = ThriftSwiftGenerator().generate(program)[0].contents
    for method in ["testVoid", "testString", "testBool", "testByte", "testI32", "testI64", "testDouble", "testBinary",
                   "testStruct", "testNest", "testMap", "testStringMap", "testSet", "testList", "testEnum", "testTypedef",
                   "testMapMap", "testInsanity", "testMulti", "testException", "testMultiException", "testOneway"] {
      #expect(generated.contains("public static let \(method) = ThriftMethodDescriptor<"), "\(method)")
    }
    #expect(generated.contains("func testMultiException(arg0: String, arg1: String) async throws -> Xtruct"))
    #expect(generated.contains("public enum SecondService {"))
  }
}

@Suite struct SwiftTypeCheckerTests {
  /// The corpus test is only as good as its checker: it must fail on errors and on warnings.
  @Test func rejectsErrorsAndWarnings() async throws {
    let checker = try SwiftTypeChecker()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-checker-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let good = directory.appendingPathComponent("Good.swift")
    try "import WeaverThrift\nlet type: ThriftType = .i32\n".write(to: good, atomically: true, encoding: .utf8)
    try await checker.check([good])
    let bad = directory.appendingPathComponent("Bad.swift")
    try "let x: Int = \"a\"\n".write(to: bad, atomically: true, encoding: .utf8)
    await #expect(throws: SwiftTypeChecker.Failure.self) { try await checker.check([bad]) }
    let warning = directory.appendingPathComponent("Warning.swift")
    try "func f() { var unused = 1 }\n".write(to: warning, atomically: true, encoding: .utf8)
    await #expect(throws: SwiftTypeChecker.Failure.self) { try await checker.check([warning]) }
  }
}
