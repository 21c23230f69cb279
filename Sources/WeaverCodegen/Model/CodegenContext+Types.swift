import WeaverThriftIDL

extension CodegenContext {
  /// The Swift type for a Thrift type.
  func swiftType(_ type: ThriftResolvedType) -> String {
    switch type {
    case .base(let base):
      switch base {
      case .bool: return "Bool"
      case .i8: return "Int8"
      case .i16: return "Int16"
      case .i32: return "Int32"
      case .i64: return "Int64"
      case .double: return "Double"
      case .string: return "String"
      case .binary: return "Data"
      case .uuid: return "UUID"
      }
    case .list(let element): return "[\(swiftType(element))]"
    case .set(let element): return "Set<\(swiftType(element))>"
    case .map(let key, let value): return "[\(swiftType(key)): \(swiftType(value))]"
    case .typedef(let name, _), .enumeration(let name), .structure(let name, _): return swiftName(of: name)
    }
  }

  /// The `ThriftType` case, as source, that a value of `type` has on the wire.
  func wireType(_ type: ThriftResolvedType) -> String {
    switch type.underlying {
    case .base(let base):
      switch base {
      case .bool: return ".bool"
      case .i8: return ".byte"
      case .i16: return ".i16"
      case .i32: return ".i32"
      case .i64: return ".i64"
      case .double: return ".double"
      case .string, .binary: return ".string"
      case .uuid: return ".uuid"
      }
    case .list: return ".list"
    case .set: return ".set"
    case .map: return ".map"
    case .enumeration: return ".i32"
    case .structure: return ".struct"
    case .typedef: preconditionFailure("underlying has no typedefs")
    }
  }

  /// The value a field of `type` has when nothing sets it, if Swift can spell one without
  /// inventing an enum case or a struct.
  func zeroValue(_ type: ThriftResolvedType) -> String? {
    switch type.underlying {
    case .base(let base):
      switch base {
      case .bool: return "false"
      case .i8, .i16, .i32, .i64: return "0"
      case .double: return "0.0"
      case .string: return "\"\""
      case .binary: return "Data()"
      case .uuid: return "ThriftDefaults.uuid"
      }
    case .list, .set: return "[]"
    case .map: return "[:]"
    case .enumeration, .structure: return nil
    case .typedef: preconditionFailure("underlying has no typedefs")
    }
  }

  /// The value 0 of an enum type: its case for 0 if it has one.
  func enumZero(_ type: ThriftResolvedType) -> String {
    guard case .enumeration(let name) = type.underlying else { return "0" }
    let zeroCase = program.enumDefinition(name)?.values.first(where: { $0.value == 0 })?.name
    return expression(.enumValue(name, caseName: zeroCase, value: 0), as: type)
  }

  /// Whether `type` needs Foundation (`Data`, `UUID`).
  func usesFoundation(_ type: ThriftResolvedType) -> Bool {
    switch type {
    case .base(let base): return base == .binary || base == .uuid
    case .list(let element), .set(let element): return usesFoundation(element)
    case .map(let key, let value): return usesFoundation(key) || usesFoundation(value)
    case .typedef(_, let target): return usesFoundation(target)
    case .enumeration, .structure: return false
    }
  }

  /// Whether the current file mentions `Data` or `UUID` anywhere.
  var documentUsesFoundation: Bool {
    func uses(_ reference: ThriftTypeReference) -> Bool { usesFoundation(resolve(reference)) }
    func uses(_ fields: [ThriftField]) -> Bool { fields.contains { uses($0.type) } }
    return parsed.definitions.contains { definition in
      switch definition {
      case .const(let constant): return uses(constant.type)
      case .typedef(let typedef): return uses(typedef.type)
      case .enum: return false
      case .struct(let structure): return uses(structure.fields)
      case .service(let service):
        let name = qualified(service.name)
        return program.allFunctions(of: name).contains { owner, function in
          usesFoundation(owner: owner, function: function)
        }
      }
    }
  }

  private func usesFoundation(owner: ThriftQualifiedName, function: ThriftFunction) -> Bool {
    let types = (function.returnType.map { [$0] } ?? []) + (function.arguments + function.exceptions).map(\.type)
    return types.contains { usesFoundation((try? program.resolve($0, in: owner.document)) ?? .base(.bool)) }
  }
}
