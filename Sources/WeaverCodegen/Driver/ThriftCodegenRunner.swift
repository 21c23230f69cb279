#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeaverThriftIDL

/// Everything `weaver gen` and the build plugin's tool need to run the generator.
public struct ThriftCodegenRequest: Sendable {
  public var files: [String]
  public var includePaths: [String]
  public var outputDirectory: String
  /// Also generate every included file.
  public var recursive: Bool
  public var options: CodegenOptions
  public var parserOptions: ThriftParserOptions

  public init(
    files: [String], includePaths: [String] = [], outputDirectory: String, recursive: Bool = false,
    options: CodegenOptions = .init(), parserOptions: ThriftParserOptions = .init()
  ) {
    self.files = files
    self.includePaths = includePaths
    self.outputDirectory = outputDirectory
    self.recursive = recursive
    self.options = options
    self.parserOptions = parserOptions
  }
}

/// What a run wrote and warned about.
public struct ThriftCodegenReport: Sendable {
  /// Paths of files written (files whose content did not change are left untouched).
  public var written: [String]
  /// Paths of all generated files, changed or not.
  public var generated: [String]
  public var warnings: [ThriftIDLDiagnostic]
}

/// Why a run failed: an IDL error, or a file that could not be written.
public enum ThriftCodegenError: Error, CustomStringConvertible {
  case idl(ThriftIDLError)
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .idl(let error): return error.description
    case .cannotWrite(let path, let reason): return "error: cannot write \(path): \(reason)"
    }
  }
}

/// Loads IDL files, checks them (and the Swift names they would declare: see
/// ``ThriftSwiftGenerator/check(_:)``), generates Swift and writes it to a directory.
public enum ThriftCodegenRunner {
  public static func run(_ request: ThriftCodegenRequest) throws(ThriftCodegenError) -> ThriftCodegenReport {
    let program: ThriftProgram
    do {
      program = try ThriftIDLLoader(includePaths: request.includePaths, parserOptions: request.parserOptions).load(request.files)
    } catch {
      throw .idl(error)
    }
    let generator = ThriftSwiftGenerator(options: request.options)
    let errors = generator.check(program)
    if !errors.isEmpty { throw .idl(ThriftIDLError(errors)) }
    let files = generator.generate(program, recursive: request.recursive)
    var report = ThriftCodegenReport(written: [], generated: [], warnings: program.warnings)
    do {
      try FileManager.default.createDirectory(atPath: request.outputDirectory, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(path: request.outputDirectory, reason: "\(error)")
    }
    for file in files {
      let path = request.outputDirectory + "/" + file.name
      report.generated.append(path)
      if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing == file.contents { continue }
      do {
        try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
      } catch {
        throw .cannotWrite(path: path, reason: "\(error)")
      }
      report.written.append(path)
    }
    return report
  }
}
