import WeaverThriftIDL

/// One generated Swift file.
public struct GeneratedFile: Hashable, Sendable {
  /// The file name, e.g. `ThriftTest.thrift.swift`.
  public var name: String
  public var contents: String
  /// The normalized path of the IDL file it was generated from.
  public var source: String
}

/// Turns a checked ``ThriftProgram`` into Swift source, one file per IDL file.
///
/// ```swift
/// let program = try ThriftIDLLoader(includePaths: ["idl"]).load("idl/calculator.thrift")
/// let files = ThriftSwiftGenerator().generate(program)
/// ```
public struct ThriftSwiftGenerator: Sendable {
  public var options: CodegenOptions

  public init(options: CodegenOptions = .init()) {
    self.options = options
  }

  /// Errors in the Swift the program would become that the IDL checks cannot see: a Swift
  /// type or constant name that two files would both declare in one module. Generate only
  /// when this is empty (``ThriftCodegenRunner`` does so).
  public func check(_ program: ThriftProgram) -> [ThriftIDLDiagnostic] {
    ModuleNameCheck(program: program).diagnostics()
  }

  /// Generates the root files of `program`, plus every included file when `recursive`.
  /// Output is deterministic: the same input gives the same bytes.
  public func generate(_ program: ThriftProgram, recursive: Bool = false) -> [GeneratedFile] {
    let keys = recursive ? program.order : program.order.filter(program.roots.contains)
    return keys.map { key in
      let context = CodegenContext(program: program, document: key, options: options)
      let document = program.documents[key]!
      return GeneratedFile(name: Self.outputName(for: document.path), contents: FileGenerator(context: context).render(), source: key)
    }
  }

  /// `path/to/Calculator.thrift` → `Calculator.thrift.swift` (the double extension keeps it
  /// apart from hand-written `Calculator.swift` in the same module).
  public static func outputName(for path: String) -> String {
    ThriftInclude(path: path, location: ThriftSourceLocation(file: path, line: 0, column: 0)).prefix + ".thrift.swift"
  }
}
