import Foundation
import Testing
import WeaverCodegen
import WeaverThriftIDL

/// Two IDL files generated into one module that would declare the same Swift name give one
/// generator error naming both declarations, not a Swift compiler error at every use.
@Suite struct ModuleNameCheckTests {
  /// A new directory holding `files`; the caller removes it.
  static func directory(with files: [(name: String, text: String)]) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-names-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for file in files {
      try file.text.write(to: directory.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
    }
    return directory
  }

  @Test func aNameDeclaredInTwoFilesIsOneError() throws {
    let directory = try Self.directory(with: [
      ("a.thrift", "struct User {\n  1: i64 id\n}\nconst i32 MAX_USERS = 10\n"),
      ("b.thrift", "// Another user.\n\nstruct User {\n  1: string name\n}\nenum user_role { ADMIN }\nconst i32 maxUsers = 20\n"),
      ("c.thrift", "struct UserRole {}\n"),
    ])
    defer { try? FileManager.default.removeItem(at: directory) }
    let (a, b, c) = (directory.path + "/a.thrift", directory.path + "/b.thrift", directory.path + "/c.thrift")
    let output = directory.appendingPathComponent("out")
    // One run for all files, as `weaver gen a.thrift b.thrift c.thrift` and the build plugin do.
    let error = #expect(throws: ThriftCodegenError.self) {
      try ThriftCodegenRunner.run(ThriftCodegenRequest(files: [a, b, c], outputDirectory: output.path))
    }
    #expect(error?.description == """
      \(b):3:1: error: 'User' is also defined at \(a):1:1; both would generate the Swift type 'User'
      \(b):7:1: error: 'maxUsers' and 'MAX_USERS' (at \(a):4:1) would both generate the Swift constant 'maxUsers'
      \(c):1:1: error: 'UserRole' and 'user_role' (at \(b):6:1) would both generate the Swift type 'UserRole'
      """)
    #expect(!FileManager.default.fileExists(atPath: output.path), "nothing is written")
  }

  @Test func filesInDifferentSwiftNamespacesMayShareNames() throws {
    let directory = try Self.directory(with: [
      ("a.thrift", "namespace swift Accounts\nstruct User {}\n"),
      ("b.thrift", "namespace swift Chat\ninclude \"a.thrift\"\nstruct User { 1: a.User account }\n"),
    ])
    defer { try? FileManager.default.removeItem(at: directory) }
    let (a, b) = (directory.appendingPathComponent("a.thrift"), directory.appendingPathComponent("b.thrift"))
    let report = try ThriftCodegenRunner.run(ThriftCodegenRequest(
      files: [a.path, b.path], outputDirectory: directory.appendingPathComponent("out").path))
    #expect(report.generated.count == 2)
  }

  @Test func anIncludedFileCountsToo() throws {
    let program = try ThriftIDLLoader(readFile: { path in
      path == "/idl/main.thrift" ? Array("include \"shared.thrift\"\nstruct User {}\n".utf8)
        : path == "/idl/shared.thrift" ? Array("struct User {}\n".utf8) : nil
    }).load("/idl/main.thrift")
    #expect(ThriftSwiftGenerator().check(program).map(\.description) == [
      "/idl/main.thrift:2:1: error: 'User' is also defined at /idl/shared.thrift:1:1; both would generate the Swift type 'User'"
    ])
  }
}
