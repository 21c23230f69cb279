import Foundation
import Testing
import WeaverCodegen
import WeaverThriftIDL

/// Generated code for a few IDLs, compared with committed files. Run with
/// `WEAVER_UPDATE_GOLDEN=1` to rewrite them after an intended change, then review the diff.
@Suite struct GoldenFileTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  @Test(arguments: ["Calculator", "Shapes"])
  func generatedCodeMatchesTheGoldenFile(name: String) throws {
    let idl = Self.directory.appendingPathComponent("\(name).thrift").path
    let program = try ThriftIDLLoader().load(idl)
    let files = ThriftSwiftGenerator().generate(program)
    #expect(files.map(\.name) == ["\(name).thrift.swift"])
    let generated = try #require(files.first).contents
    let golden = Self.directory.appendingPathComponent("\(name).thrift.swift.golden")
    if ProcessInfo.processInfo.environment["WEAVER_UPDATE_GOLDEN"] == "1" {
      try generated.write(to: golden, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(generated == expected, "generated code changed; if intended, rerun with WEAVER_UPDATE_GOLDEN=1 and review the diff")
  }

  @Test func outputIsDeterministic() throws {
    let idl = Self.directory.appendingPathComponent("Calculator.thrift").path
    let first = ThriftSwiftGenerator().generate(try ThriftIDLLoader().load(idl), recursive: true)
    let second = ThriftSwiftGenerator().generate(try ThriftIDLLoader().load(idl), recursive: true)
    #expect(first == second)
    #expect(first.map(\.name) == ["Shapes.thrift.swift", "Calculator.thrift.swift"])
    #expect(!first.contains { $0.contents.contains("/work/") || $0.contents.contains("/tmp/") }, "no absolute paths")
  }

  @Test func accessLevelsAreApplied() throws {
    let idl = Self.directory.appendingPathComponent("Shapes.thrift").path
    let program = try ThriftIDLLoader().load(idl)
    let internalCode = ThriftSwiftGenerator(options: CodegenOptions(accessLevel: .internal)).generate(program)[0].contents
    #expect(!internalCode.contains("public "))
    #expect(internalCode.contains("\nstruct Point: ThriftStruct {"))
    let packageCode = ThriftSwiftGenerator(options: CodegenOptions(accessLevel: .package)).generate(program)[0].contents
    #expect(packageCode.contains("package struct Point: ThriftStruct {"))
  }
}

/// What `weaver gen` and the plugin's tool run: files written, unchanged files left alone,
/// every error reported.
@Suite struct CodegenRunnerTests {
  @Test func writesFilesAndLeavesUnchangedOnesAlone() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-runner-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let request = ThriftCodegenRequest(
      files: [GoldenFileTests.directory.appendingPathComponent("Calculator.thrift").path], outputDirectory: output.path,
      recursive: true)
    let first = try ThriftCodegenRunner.run(request)
    #expect(first.generated.map { ($0 as NSString).lastPathComponent } == ["Shapes.thrift.swift", "Calculator.thrift.swift"])
    #expect(first.written == first.generated)
    let second = try ThriftCodegenRunner.run(request)
    #expect(second.written.isEmpty, "unchanged output is not rewritten, so incremental builds stay incremental")
  }

  @Test func reportsEveryErrorWithItsLocation() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-runner-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let idl = directory.appendingPathComponent("bad.thrift")
    try "struct S {\n  1: Missing m\n}\nconst i8 X = 300\n".write(to: idl, atomically: true, encoding: .utf8)
    let error = #expect(throws: ThriftCodegenError.self) {
      try ThriftCodegenRunner.run(ThriftCodegenRequest(files: [idl.path], outputDirectory: directory.appendingPathComponent("out").path))
    }
    #expect(error?.description == "\(idl.path):2:6: error: unknown type 'Missing'\n\(idl.path):4:14: error: value 300 is out of range for i8 (-128...127)")
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path), "nothing is written when the IDL has errors")
  }
}
