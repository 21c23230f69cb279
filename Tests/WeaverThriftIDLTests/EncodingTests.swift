import Foundation
import Testing
@testable import WeaverThriftIDL

/// IDL files must be UTF-8; one that is not is reported at its first bad byte, not as a file
/// that cannot be read or found.
@Suite struct EncodingTests {
  /// `struct S {\n  1: string name = "caf\u{E9}"\n}` in Latin-1: `é` is the single byte 0xE9.
  static let latin1: [UInt8] = Array("struct S {\n  1: string name = \"caf".utf8) + [0xE9] + Array("\"\n}\n".utf8)

  @Test func theFirstBadByteIsLocated() {
    let error = #expect(throws: ThriftIDLError.self) { try ThriftParser.parse(bytes: Self.latin1, path: "x.thrift") }
    #expect(error?.description == "x.thrift:2:24: error: not valid UTF-8 at byte offset 34 (0xE9)")
  }

  @Test func truncatedAndOverlongSequencesAreBadToo() {
    for (bytes, offset) in [([0x61, 0xC3], 1), ([0xC0, 0xAF], 0), ([0xE2, 0x82, 0x61], 0), ([0xED, 0xA0, 0x80], 0)] as [([UInt8], Int)] {
      let error = #expect(throws: ThriftIDLError.self) { try ThriftParser.parse(bytes: bytes, path: "x.thrift") }
      #expect(error?.diagnostics.first?.message.hasPrefix("not valid UTF-8 at byte offset \(offset) ") == true, "\(bytes)")
    }
    #expect(throws: Never.self) { try ThriftParser.parse(bytes: Array("// é, 東, 🦆\nstruct S {}".utf8), path: "x.thrift") }
  }

  @Test func filesOnDiskAndIncludedFilesAreChecked() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-utf8-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let latin1 = directory.appendingPathComponent("latin1.thrift")
    try Data(Self.latin1).write(to: latin1)
    let main = directory.appendingPathComponent("main.thrift")
    try "include \"latin1.thrift\"\n".write(to: main, atomically: true, encoding: .utf8)
    for root in [latin1.path, main.path] {
      let error = #expect(throws: ThriftIDLError.self) { try ThriftIDLLoader().load(root) }
      #expect(error?.description == "\(latin1.path):2:24: error: not valid UTF-8 at byte offset 34 (0xE9)")
    }
  }
}
