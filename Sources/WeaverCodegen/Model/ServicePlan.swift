import WeaverThriftIDL

/// The Swift names and field plans of one service's own methods.
struct ServicePlan {
  struct Method {
    var function: ThriftFunction
    /// The Swift method name.
    var name: String
    var argsType: String
    var resultType: String
    var arguments: [FieldPlan]
    var returnField: FieldPlan?
    var exceptions: [FieldPlan]
    var returnType: String? { returnField?.valueType }
  }

  /// The service's enum, qualified as seen from the file being generated.
  var typeName: String
  var methods: [Method]
  /// Names of the nested declarations, unique against every top-level type name.
  var methodEnum: String
  var client: String
  var clientProtocol: String
  var serviceProtocol: String

  static let reservedMethodNames: Set<String> = ["channel", "init", "serviceName", "serverMethods", "service"]

  init(service name: ThriftQualifiedName, context: CodegenContext) {
    let program = context.program
    let definition = program.serviceDefinition(name)!
    typeName = context.swiftName(of: name)
    var typeNames: Set<String> = []
    for key in program.order {
      for other in program.documents[key]?.definitions ?? [] {
        typeNames.insert(context.swiftName(of: ThriftQualifiedName(document: key, name: other.name)))
      }
    }
    var nested = SwiftNameAllocator(reserved: typeNames)
    methodEnum = nested.claim("Method")
    client = nested.claim("Client")
    clientProtocol = nested.claim("ClientProtocol")
    serviceProtocol = nested.claim("ServiceProtocol")
    var methodNames = SwiftNameAllocator(reserved: Self.reservedMethodNames)
    methods = definition.functions.map { function in
      let methodName = methodNames.claim(SwiftNaming.memberName(function.name), fallback: function.name + "_")
      let upper = SwiftNaming.upperCamel(function.name)
      let arguments = context.fieldPlans(function.arguments, kind: .arguments, owner: nil, in: name.document)
      var resultFields = function.returnType.map { type in
        [ThriftField(id: 0, requiredness: .optional, type: type, name: "success", location: function.location)]
      } ?? []
      resultFields += function.exceptions
      let resultPlans = context.fieldPlans(resultFields, kind: .result, owner: nil, in: name.document)
      let hasReturn = function.returnType != nil
      return Method(
        function: function, name: methodName, argsType: nested.claim(upper + "Args"),
        resultType: function.isOneway ? "ThriftOnewayResult" : nested.claim(upper + "Result"),
        arguments: arguments, returnField: hasReturn ? resultPlans.first : nil,
        exceptions: Array(resultPlans.dropFirst(hasReturn ? 1 : 0)))
    }
  }

  /// `func add(num1: Int32, num2: Int32) async throws -> Int32`, with only `arguments` (all
  /// of them by default), and with the IDL defaults as Swift default arguments if `withDefaults`.
  func signature(of method: Method, arguments: [FieldPlan]? = nil, withDefaults: Bool = false) -> String {
    let parameters = (arguments ?? method.arguments).map { argument in
      let defaultValue = withDefaults ? argument.idlDefault.map { " = \($0)" } : nil
      return "\(argument.escapedName): \(argument.propertyType)\(defaultValue ?? "")"
    }
    let returns = method.returnType.map { " -> \($0)" } ?? ""
    return "func \(SwiftNaming.escaped(method.name))(\(parameters.joined(separator: ", "))) async throws\(returns)"
  }

  /// The argument lists a protocol extension offers besides the full one, for callers that
  /// leave out IDL-defaulted arguments: without the last defaulted one, without the last two,
  /// and so on. (Protocol requirements cannot have default arguments, and an extension method
  /// with the requirement's own signature would silently stand in for a missing
  /// implementation, so these are overloads.)
  func defaultingArgumentLists(of method: Method) -> [[FieldPlan]] {
    let defaulted = method.arguments.indices.filter { method.arguments[$0].idlDefault != nil }
    return defaulted.indices.map { index in
      let omitted = Set(defaulted[index...])
      return method.arguments.indices.filter { !omitted.contains($0) }.map { method.arguments[$0] }
    }.reversed()
  }
}
