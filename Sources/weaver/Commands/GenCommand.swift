import ArgumentParser
import Foundation
import WeaverCodegen
import WeaverThriftIDL

/// `weaver gen`: Thrift IDL → Swift.
struct GenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gen",
    abstract: "Generate Swift from Thrift IDL files.",
    discussion: "Writes one NAME.thrift.swift per IDL file: types, constants, and for each service its client, "
      + "server protocol and method descriptors. Includes are searched next to the including file, then in each -I "
      + "directory. Errors are printed as file:line:column."
  )

  @Option(name: .shortAndLong, help: "The directory to write into.")
  var out: String = "gen-swift"

  @Option(name: .customShort("I"), help: ArgumentHelp("A directory to search for included files (repeatable).", valueName: "dir"))
  var includePaths: [String] = []

  @Option(help: "The access level of generated declarations: public, package or internal.")
  var accessLevel: String = "public"

  @Flag(name: .shortAndLong, help: "Also generate every included file.")
  var recursive = false

  @Flag(name: .customLong("allow-neg-keys"), help: "Keep explicit field ids <= 0 (as Apache's --allow-neg-keys).")
  var allowNegativeKeys = false

  @Argument(help: "The IDL files.")
  var files: [String]

  func run() throws {
    guard let level = CodegenOptions.AccessLevel(rawValue: accessLevel) else {
      throw ValidationError("--access-level must be public, package or internal")
    }
    let request = ThriftCodegenRequest(
      files: files, includePaths: includePaths, outputDirectory: out, recursive: recursive,
      options: CodegenOptions(accessLevel: level), parserOptions: ThriftParserOptions(allowNegativeFieldIDs: allowNegativeKeys))
    do {
      let report = try ThriftCodegenRunner.run(request)
      for warning in report.warnings { FileHandle.standardError.write(Data((warning.description + "\n").utf8)) }
      for path in report.generated {
        print(report.written.contains(path) ? "wrote \(path)" : "unchanged \(path)")
      }
    } catch {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode.failure
    }
  }
}
