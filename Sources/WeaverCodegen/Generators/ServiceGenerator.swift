import WeaverThriftIDL

/// Prints a service: a namespace enum holding the method descriptors, the args and result
/// structs, a client protocol and a generic client, the server protocol users implement,
/// and `serverMethods(for:)` that binds an implementation for a server.
struct ServiceGenerator {
  let context: CodegenContext
  let definition: ThriftServiceDefinition

  func render(into out: inout SwiftCodeWriter) {
    let name = context.qualified(definition.name)
    let plan = ServicePlan(service: name, context: context)
    let parent = context.program.parent(of: name).map { ServicePlan(service: $0, context: context) }
    let access = context.access
    let inherited = context.program.allFunctions(of: name).filter { $0.service != name }
    let ancestorPlans = Dictionary(
      Set(inherited.map(\.service)).map { ($0, ServicePlan(service: $0, context: context)) }, uniquingKeysWith: { first, _ in first })

    out.doc(definition.doc)
    out.block("\(access)enum \(plan.typeName)") { body in
      body.line("\(access)static let serviceName = \(SwiftNaming.stringLiteral(definition.name))")
    }
    out.line()
    out.block("extension \(plan.typeName)") { body in
      body.doc("Describes each method of \(definition.name) for the RPC runtime.")
      body.block("\(access)enum \(plan.methodEnum)") { methods in
        for method in plan.methods {
          let oneway = method.function.isOneway ? ", isOneway: true" : ""
          methods.line(
            "\(access)static let \(SwiftNaming.escaped(method.name)) = ThriftMethodDescriptor<\(method.argsType), \(method.resultType)>(serviceName: serviceName, name: \(SwiftNaming.stringLiteral(method.function.name))\(oneway))"
          )
        }
      }
      renderProtocol(plan.clientProtocol, parent: parent.map { "\($0.typeName).\($0.clientProtocol)" }, plan: plan,
                     doc: "The client side of \(definition.name): what a \(plan.client) offers.", into: &body)
      renderProtocol(plan.serviceProtocol, parent: parent.map { "\($0.typeName).\($0.serviceProtocol)" }, plan: plan,
                     doc: "The server side of \(definition.name): implement this and serve it with `serverMethods(for:)`.", into: &body)
      body.line()
      renderClient(plan, inherited: inherited, ancestorPlans: ancestorPlans, into: &body)
      body.line()
      renderServerMethods(plan, parent: parent, into: &body)
      for generator in messageGenerators(plan) {
        body.line()
        generator.renderDeclaration(into: &body)
      }
    }
    renderDefaultingOverloads(plan, into: &out)
    for generator in messageGenerators(plan) {
      out.line()
      generator.renderCoding(extending: "\(plan.typeName).\(generator.typeName)", into: &out)
    }
  }

  /// The args and result structs of each method.
  private func messageGenerators(_ plan: ServicePlan) -> [StructGenerator] {
    plan.methods.flatMap { method -> [StructGenerator] in
      let arguments = StructGenerator(
        context: context, typeName: method.argsType, thriftName: "\(definition.name).\(method.function.name) arguments",
        role: .arguments, fields: method.arguments, doc: "The arguments of `\(method.function.name)`.")
      guard !method.function.isOneway else { return [arguments] }
      let result = StructGenerator(
        context: context, typeName: method.resultType, thriftName: "\(definition.name).\(method.function.name) result",
        role: .result(methodName: method.function.name, returnField: method.returnField, exceptions: method.exceptions),
        fields: (method.returnField.map { [$0] } ?? []) + method.exceptions,
        doc: "The result of `\(method.function.name)`: its return value or a declared exception.")
      return [arguments, result]
    }
  }

  private func renderProtocol(_ protocolName: String, parent: String?, plan: ServicePlan, doc: String, into out: inout SwiftCodeWriter) {
    out.line()
    out.doc(doc)
    out.block("\(context.access)protocol \(protocolName): \(parent ?? "Sendable")") { body in
      for (index, method) in plan.methods.enumerated() {
        if index > 0 && method.function.doc != nil { body.line() }
        body.doc(method.function.doc)
        body.line(plan.signature(of: method))
      }
    }
  }

  private func renderClient(
    _ plan: ServicePlan, inherited: [(service: ThriftQualifiedName, function: ThriftFunction)],
    ancestorPlans: [ThriftQualifiedName: ServicePlan], into out: inout SwiftCodeWriter
  ) {
    let access = context.access
    out.doc("Calls \(definition.name) through a `ThriftClientChannel`.")
    out.block("\(access)struct \(plan.client)<Channel: ThriftClientChannel>: \(plan.clientProtocol)") { body in
      body.line("\(access)let channel: Channel")
      body.line()
      body.block("\(access)init(channel: Channel)") { initializer in
        initializer.line("self.channel = channel")
      }
      var calls: [(ServicePlan, ServicePlan.Method)] = []
      for (owner, function) in inherited {
        if let ownerPlan = ancestorPlans[owner], let method = ownerPlan.methods.first(where: { $0.function.name == function.name }) {
          calls.append((ownerPlan, method))
        }
      }
      calls += plan.methods.map { (plan, $0) }
      for (owner, method) in calls {
        body.line()
        body.doc(method.function.doc)
        let prefix = owner.typeName == plan.typeName ? "" : owner.typeName + "."
        let arguments = method.arguments.map { "\($0.label): \($0.escapedName)" }.joined(separator: ", ")
        let descriptor = "\(prefix)\(owner.methodEnum).\(method.name)"
        body.block("\(access)\(owner.signature(of: method, withDefaults: true))") { call in
          if method.function.isOneway {
            call.line("try await channel.callOneway(\(descriptor), \(prefix)\(method.argsType)(\(arguments)))")
          } else {
            call.line("try await channel.call(\(descriptor), \(prefix)\(method.argsType)(\(arguments))).get()")
          }
        }
      }
    }
  }

  /// `extension Service.ClientProtocol` with an overload for each way of leaving out trailing
  /// IDL-defaulted arguments (the client itself has them as Swift default arguments).
  private func renderDefaultingOverloads(_ plan: ServicePlan, into out: inout SwiftCodeWriter) {
    let overloads = plan.methods.flatMap { method in plan.defaultingArgumentLists(of: method).map { (method, $0) } }
    guard !overloads.isEmpty else { return }
    out.line()
    out.block("extension \(plan.typeName).\(plan.clientProtocol)") { body in
      for (index, (method, arguments)) in overloads.enumerated() {
        if index > 0 { body.line() }
        let passed = Set(arguments.map(\.name))
        let full = "\(method.name)(\(method.arguments.map { "\($0.name):" }.joined()))"
        let omitted = method.arguments.filter { !passed.contains($0.name) }.map { "`\($0.name)`" }
        let omittedList = omitted.dropLast().joined(separator: ", ") + (omitted.count > 1 ? " and " : "") + omitted[omitted.count - 1]
        body.doc("Calls `\(full)` with \(omittedList) at the IDL default\(omitted.count > 1 ? "s" : "").")
        body.block("\(context.access)\(plan.signature(of: method, arguments: arguments))") { call in
          let values = method.arguments.map { argument in
            "\(argument.label): \(passed.contains(argument.name) ? argument.escapedName : argument.idlDefault ?? "")"
          }
          // `self.`: an argument may share the method's name.
          call.line("try await self.\(SwiftNaming.escaped(method.name))(\(values.joined(separator: ", ")))")
        }
      }
    }
  }

  private func renderServerMethods(_ plan: ServicePlan, parent: ServicePlan?, into out: inout SwiftCodeWriter) {
    out.doc("`handler` as a service a server can host.")
    out.block("\(context.access)static func service(_ handler: some \(plan.serviceProtocol)) -> ThriftService") { body in
      body.line("ThriftService(name: serviceName, methods: serverMethods(for: handler))")
    }
    out.line()
    out.doc("The methods of `handler` (and of the services \(definition.name) extends), ready to serve.")
    out.block("\(context.access)static func serverMethods(for handler: some \(plan.serviceProtocol)) -> [ThriftServerMethod]") { body in
      let inheritedCall = parent.map { "\($0.typeName).serverMethods(for: handler)" }
      guard !plan.methods.isEmpty else {
        body.line(inheritedCall ?? "[]")
        return
      }
      body.line((inheritedCall.map { $0 + " + " } ?? "") + "[")
      for method in plan.methods {
        let call = "handler.\(method.name)(\(method.arguments.map { "\($0.label): args.\($0.name)" }.joined(separator: ", ")))"
        let parameter = method.arguments.isEmpty ? "_" : "args"
        body.line("  ThriftServerMethod(\(plan.methodEnum).\(method.name)) { \(parameter) in")
        if method.function.isOneway {
          body.line("    try await \(call)")
          body.line("    return ThriftOnewayResult()")
        } else if method.returnField == nil {
          body.line("    try await \(call)")
          body.line("    return \(method.resultType)(success: ())")
        } else {
          body.line("    \(method.resultType)(success: try await \(call))")
        }
        body.line("  },")
      }
      body.line("]")
    }
  }
}
