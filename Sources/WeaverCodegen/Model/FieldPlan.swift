import WeaverThriftIDL

/// How one Thrift field is represented in Swift: its name, type, optionality, defaults and
/// storage. Structs, unions, args and result structs all print from these.
struct FieldPlan {
  var field: ThriftField
  /// The Swift identifier (unescaped).
  var name: String
  var type: ThriftResolvedType
  /// The Swift type of the value, without `?`.
  var valueType: String
  /// Whether the property is a Swift optional.
  var isOptional: Bool
  /// Whether decoding fails when the field is absent.
  var isRequiredOnRead: Bool
  /// The init parameter's default, or nil when callers must pass a value.
  var defaultValue: String?
  /// The default the IDL gives the field (`2: i32 limit = 20`), as a Swift expression.
  var idlDefault: String?
  /// The decoder's starting value for the field, or nil for "not seen yet" (then the local
  /// is an optional and a missing field is an error).
  var initialValue: String?
  /// The name of the `ThriftIndirect` storage when the field closes a cycle of structs.
  var indirectStorage: String?
  /// The wire type, as a `ThriftType` case in source.
  var wireType: String

  var propertyType: String { isOptional ? valueType + "?" : valueType }
  /// The name where it is declared or used as a value (backticks if it is a keyword).
  var escapedName: String { SwiftNaming.escaped(name) }
  /// The name as an argument label at a call site, where only `inout` needs backticks.
  var label: String { name == "inout" ? "`inout`" : name }
}

/// Where a field list appears, which changes how defaults work.
enum FieldListKind {
  case structure
  /// Method arguments: struct-typed arguments are required on read.
  case arguments
  /// A method's result: every field is optional.
  case result
}

extension CodegenContext {
  /// Plans the fields of a struct, union, exception, argument list or result.
  ///
  /// - Parameters:
  ///   - owner: the struct owning the fields (for cycle detection), nil for args/results.
  ///   - document: the file the fields are written in.
  func fieldPlans(
    _ fields: [ThriftField], kind: FieldListKind, owner: ThriftQualifiedName?, in document: String,
    reserved: Set<String> = []
  ) -> [FieldPlan] {
    var names = SwiftNameAllocator(reserved: reserved.union(["hashValue"]))
    return fields.map { field in
      let raw = SwiftNaming.unusableMemberNames.contains(field.name) ? field.name + "_" : field.name
      let name = names.claim(SwiftNaming.memberName(field.name), fallback: raw)
      let type = resolve(field.type, in: document)
      let idlDefault = field.defaultValue.map { expression(resolveConst($0, as: type, in: document), as: type) }
      var plan = FieldPlan(
        field: field, name: name, type: type, valueType: swiftType(type), isOptional: false, isRequiredOnRead: false,
        defaultValue: nil, idlDefault: idlDefault, initialValue: nil, indirectStorage: nil, wireType: wireType(type))
      let requiredness: ThriftRequiredness
      switch kind {
      case .result:
        requiredness = .optional
      case .arguments where field.requiredness == .default && type.isStructure:
        requiredness = .required
      default:
        requiredness = field.requiredness
      }
      switch requiredness {
      case .required:
        plan.isRequiredOnRead = true
        plan.defaultValue = idlDefault
      case .optional:
        // A new value starts with the IDL default, but an absent field decodes as nil, so
        // "not set" survives a round trip (as Apache's C++ `__isset` does).
        plan.isOptional = true
        plan.defaultValue = idlDefault ?? "nil"
        plan.initialValue = "nil"
      case .default:
        if type.isStructure {
          plan.isOptional = true
          plan.defaultValue = idlDefault ?? "nil"
          plan.initialValue = idlDefault ?? "nil"
        } else if case .enumeration = type.underlying {
          plan.defaultValue = idlDefault
          plan.initialValue = idlDefault ?? enumZero(type)
        } else {
          plan.defaultValue = idlDefault ?? zeroValue(type)
          plan.initialValue = plan.defaultValue
        }
      }
      if let owner, kind == .structure, needsIndirection(from: owner, to: type) {
        plan.indirectStorage = names.claim("_" + name + "Storage")
      }
      return plan
    }
  }
}
