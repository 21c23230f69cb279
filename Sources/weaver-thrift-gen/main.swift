// The build plugin's code generator: `weaver gen` without the rest of the CLI, so targets
// that use the plugin build only the IDL front end and the generator.
//
// usage: weaver-thrift-gen --out DIR [-I PATH]... [--access-level public|package|internal]
//                          [--allow-neg-keys] [--recursive] FILE.thrift...

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeaverCodegen
import WeaverThriftIDL

/// Writes a line to standard error.
func printError(_ line: String) {
  let text = line + "\n"
  _ = text.withCString { write(2, $0, strlen($0)) }
}

func fail(_ message: String) -> Never {
  printError("weaver-thrift-gen: \(message)")
  exit(2)
}

var arguments = CommandLine.arguments.dropFirst()
var request = ThriftCodegenRequest(files: [], outputDirectory: "")
while let argument = arguments.popFirst() {
  switch argument {
  case "--out", "-o":
    guard let value = arguments.popFirst() else { fail("--out needs a directory") }
    request.outputDirectory = value
  case "-I", "--include":
    guard let value = arguments.popFirst() else { fail("-I needs a directory") }
    request.includePaths.append(value)
  case "--access-level":
    guard let value = arguments.popFirst(), let level = CodegenOptions.AccessLevel(rawValue: value) else {
      fail("--access-level takes public, package or internal")
    }
    request.options.accessLevel = level
  case "--allow-neg-keys":
    request.parserOptions.allowNegativeFieldIDs = true
  case "--recursive", "-r":
    request.recursive = true
  default:
    if argument.hasPrefix("-") { fail("unknown option \(argument)") }
    request.files.append(argument)
  }
}
guard !request.outputDirectory.isEmpty, !request.files.isEmpty else {
  fail("usage: weaver-thrift-gen --out DIR [-I PATH]... [--access-level LEVEL] FILE.thrift...")
}
do {
  let report = try ThriftCodegenRunner.run(request)
  for warning in report.warnings { printError("\(warning)") }
} catch {
  printError("\(error)")
  exit(1)
}
