import WeaverThriftIDL

/// Prints typedefs as type aliases and constants as global `let`s.
struct ConstantGenerator {
  let context: CodegenContext

  func render(_ typedef: ThriftTypedefDefinition, into out: inout SwiftCodeWriter) {
    let name = context.swiftName(of: context.qualified(typedef.name))
    out.doc(typedef.doc)
    out.line("\(context.access)typealias \(name) = \(context.swiftType(context.resolve(typedef.type)))")
  }

  func render(_ constant: ThriftConstDefinition, into out: inout SwiftCodeWriter) {
    let type = context.resolve(constant.type)
    let value = context.resolveConst(constant.value, as: type)
    let name = SwiftNaming.escaped(context.swiftConstantName(of: context.qualified(constant.name)))
    out.doc(constant.doc)
    out.line("\(context.access)let \(name): \(context.swiftType(type)) = \(context.expression(value, as: type))")
  }
}
