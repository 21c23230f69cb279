#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads IDL files and everything they include, then checks them as a whole.
///
/// Includes are searched relative to the including file first, then in each of
/// ``includePaths`` in order, as Apache Thrift does.
///
/// ```swift
/// let program = try ThriftIDLLoader(includePaths: ["idl/common"]).load("idl/feed.thrift")
/// ```
public struct ThriftIDLLoader: Sendable {
  public var includePaths: [String]
  public var parserOptions: ThriftParserOptions
  /// Reads a file's bytes, or returns nil if there is none. Replaceable for tests. The
  /// parser checks that they are UTF-8, so a file that is not gets an error saying where.
  public var readFile: @Sendable (String) -> [UInt8]?

  public init(
    includePaths: [String] = [], parserOptions: ThriftParserOptions = .init(),
    readFile: @escaping @Sendable (String) -> [UInt8]? = ThriftIDLLoader.readFromDisk
  ) {
    self.includePaths = includePaths
    self.parserOptions = parserOptions
    self.readFile = readFile
  }

  /// Reads a file from disk.
  public static let readFromDisk: @Sendable (String) -> [UInt8]? = { path in
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
  }

  /// Loads one root file and its includes.
  public func load(_ path: String) throws(ThriftIDLError) -> ThriftProgram {
    try load([path])
  }

  /// Loads several root files (and their includes) into one program.
  public func load(_ paths: [String]) throws(ThriftIDLError) -> ThriftProgram {
    var state = LoadState()
    var roots: [String] = []
    for path in paths {
      let key = Self.normalize(path)
      roots.append(key)
      try load(key: key, displayPath: path, includedFrom: nil, state: &state)
    }
    var program = ThriftProgram(
      documents: state.documents, roots: roots, order: state.order, includes: state.includes, warnings: state.warnings)
    let diagnostics = ThriftSemanticChecker(program: program).check()
    program.warnings += diagnostics.filter { $0.severity == .warning }
    let errors = diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty { throw ThriftIDLError(errors) }
    return program
  }

  private struct LoadState {
    var documents: [String: ThriftDocument] = [:]
    var order: [String] = []
    var includes: [String: [String: String]] = [:]
    var warnings: [ThriftIDLDiagnostic] = []
    /// Files being loaded, innermost last: an include of one of these is a cycle.
    var stack: [String] = []
  }

  private func load(key: String, displayPath: String, includedFrom: ThriftInclude?, state: inout LoadState) throws(ThriftIDLError) {
    if let cycleStart = state.stack.firstIndex(of: key), let include = includedFrom {
      let cycle = (state.stack[cycleStart...] + [key]).map { state.documents[$0]?.path ?? displayPath }
      throw ThriftIDLError(at: include.location, "include cycle: \(cycle.joined(separator: " -> "))")
    }
    if state.documents[key] != nil { return }
    guard let bytes = readFile(key) else {
      if let include = includedFrom {
        throw ThriftIDLError(at: include.location, "cannot find included file '\(include.path)'")
      }
      throw ThriftIDLError(at: ThriftSourceLocation(file: displayPath, line: 1, column: 1), "cannot read file '\(displayPath)'")
    }
    let parsed = try ThriftParser.parse(bytes: bytes, path: displayPath, options: parserOptions)
    state.warnings += parsed.warnings
    state.documents[key] = parsed.document
    state.stack.append(key)
    var prefixes: [String: String] = [:]
    for include in parsed.document.includes {
      let (includedKey, includedDisplay) = try locate(include, from: key, displayPath: displayPath)
      if let existing = prefixes[include.prefix], existing != includedKey {
        throw ThriftIDLError(at: include.location, "two includes are named '\(include.prefix)'; rename one of the files")
      }
      prefixes[include.prefix] = includedKey
      try load(key: includedKey, displayPath: includedDisplay, includedFrom: include, state: &state)
    }
    state.includes[key] = prefixes
    state.stack.removeLast()
    state.order.append(key)
  }

  /// Finds an included file: next to the includer, then on the include paths.
  private func locate(_ include: ThriftInclude, from key: String, displayPath: String) throws(ThriftIDLError) -> (key: String, display: String) {
    if include.path.hasPrefix("/") { return (Self.normalize(include.path), include.path) }
    let candidates = [(Self.directory(of: key), Self.directory(of: displayPath))] + includePaths.map { (Self.normalize($0), $0) }
    for (directory, displayDirectory) in candidates {
      let candidate = Self.normalize(directory + "/" + include.path)
      if readFile(candidate) != nil {
        return (candidate, Self.join(displayDirectory, include.path))
      }
    }
    let searched = candidates.map { $0.1.isEmpty ? "." : $0.1 }.joined(separator: ", ")
    throw ThriftIDLError(at: include.location, "cannot find included file '\(include.path)' (searched: \(searched))")
  }

  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[..<slash])
  }

  static func join(_ directory: String, _ path: String) -> String {
    directory.isEmpty ? path : directory + "/" + path
  }

  /// An absolute path with `.` and `..` resolved: the key a file is known by.
  static func normalize(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var parts: [Substring] = []
    for part in absolute.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": if !parts.isEmpty { parts.removeLast() }
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }
}
