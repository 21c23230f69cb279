@testable import WeaverThriftIDL

/// Parses IDL text as `test.thrift`.
func parse(_ text: String, options: ThriftParserOptions = .init()) throws -> ThriftParseResult {
  try ThriftParser.parse(text, path: "test.thrift", options: options)
}

/// Loads in-memory files (absolute paths) as a program.
func load(_ files: [String: String], root: String = "/idl/main.thrift", includePaths: [String] = []) throws(ThriftIDLError) -> ThriftProgram {
  try ThriftIDLLoader(includePaths: includePaths, readFile: { files[$0].map { Array($0.utf8) } }).load(root)
}

/// The single error message a program produces, as `file:line:column: error: message`.
func loadError(_ files: [String: String], root: String = "/idl/main.thrift") -> String? {
  do {
    _ = try load(files, root: root)
    return nil
  } catch {
    return error.description
  }
}

/// The error parsing `text` produces.
func parseError(_ text: String) -> String? {
  do {
    _ = try ThriftParser.parse(text, path: "test.thrift")
    return nil
  } catch {
    return error.description
  }
}
