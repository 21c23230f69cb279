import Foundation
import WeaverTestSupport

/// Type-checks generated Swift against the WeaverThrift module this package just built,
/// with the package's own strictness (Swift 6, warnings as errors). Reads the module search
/// flags SwiftPM used from its build description.
struct SwiftTypeChecker {
  static var packageRoot: URL { ExternalTool.packageRoot }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let flags: [String]

  init() throws {
    let environment = ProcessInfo.processInfo.environment
    let description = environment["WEAVER_BUILD_DESCRIPTION"] ?? Self.packageRoot.appendingPathComponent(".build/debug.yaml").path
    guard let text = try? String(contentsOfFile: description, encoding: .utf8) else {
      throw Failure(description: "cannot read SwiftPM's build description at \(description); build with `swift build` (or set WEAVER_BUILD_DESCRIPTION)")
    }
    guard let line = text.split(separator: "\n").first(where: { $0.contains(#""-module-name","WeaverThrift""#) }),
      let start = line.range(of: "args: ")?.upperBound,
      let arguments = try JSONSerialization.jsonObject(with: Data(line[start...].utf8)) as? [String]
    else {
      throw Failure(description: "the build description has no compile command for WeaverThrift")
    }
    var flags: [String] = []
    var index = 0
    while index < arguments.count - 1 {
      if arguments[index] == "-I" || arguments[index] == "-Xcc" {
        flags += [arguments[index], arguments[index + 1]]
        index += 2
      } else {
        index += 1
      }
    }
    self.flags = flags
  }

  /// Type-checks the files together as one module; throws the compiler's output on failure.
  func check(_ files: [URL]) async throws {
    do {
      try await ExternalTool.run(
        ["swiftc", "-typecheck", "-swift-version", "6", "-warnings-as-errors"] + flags + files.map(\.path),
        hint: "swiftc must be on PATH")
    } catch let failure as ExternalTool.Failure {
      throw Failure(description: failure.description)
    }
  }
}
