import Foundation
import PackagePlugin

/// Generates Swift from every `.thrift` file of a target at build time, like
/// swift-protobuf's plugin. Add it to a target that depends on `WeaverThrift`:
///
/// ```swift
/// .target(name: "Models", dependencies: [.product(name: "WeaverThrift", package: "CloudWeaver")],
///         plugins: [.plugin(name: "WeaverThriftPlugin", package: "CloudWeaver")])
/// ```
///
/// Each `Name.thrift` becomes `Name.thrift.swift` in the build directory, all in one run of
/// the generator, which so sees every file of the target. Includes resolve relative to the
/// including file, then to the target's directory. A file `weaver-gen.options` in the target
/// directory may hold extra arguments for the generator, one per line (`--access-level
/// internal`, `-I ../Shared`; relative paths are relative to the target directory).
@main
struct WeaverThriftPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    guard let target = target as? SourceModuleTarget else { return [] }
    let tool = try context.tool(named: "weaver-thrift-gen")
    let thriftFiles = target.sourceFiles(withSuffix: "thrift").map(\.url).sorted { $0.path < $1.path }
    guard !thriftFiles.isEmpty else { return [] }
    let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "generated")
    let options = try extraOptions(in: target.directoryURL)
    // One command for all files: any file may include any other, and the generator must see
    // them all to report a Swift name that two of them would declare in this module. Files
    // whose output did not change are not rewritten, so this stays incremental.
    let outputs = thriftFiles.map { file in
      outputDirectory.appending(path: "\(file.deletingPathExtension().lastPathComponent).thrift.swift")
    }
    return [
      .buildCommand(
        displayName: "Generating Swift for the Thrift files of \(target.name)",
        executable: tool.url,
        arguments: ["--out", outputDirectory.path(), "-I", target.directoryURL.path()] + options.arguments
          + thriftFiles.map { $0.path() },
        inputFiles: thriftFiles + options.files,
        outputFiles: outputs
      )
    ]
  }

  /// Reads `weaver-gen.options`, resolving `-I` paths against the target directory.
  private func extraOptions(in directory: URL) throws -> (arguments: [String], files: [URL]) {
    let file = directory.appending(path: "weaver-gen.options")
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return ([], []) }
    var arguments: [String] = []
    var expectPath = false
    let words = text.split(separator: "\n").flatMap { line in
      line.prefix(while: { $0 != "#" }).split(whereSeparator: \.isWhitespace).map(String.init)
    }
    for word in words {
      if expectPath && !word.hasPrefix("/") {
        arguments.append(directory.appending(path: word).path())
      } else {
        arguments.append(word)
      }
      expectPath = word == "-I" || word == "--include"
    }
    return (arguments, [file])
  }
}
