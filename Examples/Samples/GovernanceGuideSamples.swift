// docs/governance.md's code samples, compiled by the build and compared with the page by
// `DocSnippetTests`: edit them here, then paste them there.
import Logging
import ServiceLifecycle
import WeaverDiscovery
import WeaverGovernance
import WeaverRPC

func governanceQuickstart(resolver: any InstanceResolver, logger: Logger) async throws {
  // snippet: governance-quickstart
  let rules = RuleStore(service: "Calculator", sources: [RuleFileWatcher(path: "service.yaml")])
  let client = ThriftClient(resolver: resolver, governance: ClientGovernor(rules: rules))
  let server = ThriftServer(
    serving: [Calculator.service(MyCalculator())],
    configuration: ThriftServerConfiguration(middlewares: [ServerGovernor(rules: rules).middleware]))
  try await ServiceGroup(services: [rules, client, server], gracefulShutdownSignals: [.sigterm], logger: logger).run()
  // end-snippet
}

func governanceCallOptions(calculator: Calculator.Client<ThriftClient>) async throws -> Int64 {
  // snippet: governance-call-options
  let quotient = try await GovernanceCallOptions.with(.init(timeout: .milliseconds(200), maxAttempts: 1)) {
    try await calculator.divide(dividend: 84, divisor: 2)
  }
  // end-snippet
  return quotient
}

func governanceFallbacks(rules: RuleStore) -> ClientGovernor {
  // snippet: governance-fallbacks
  let fallbacks = Fallbacks()
  fallbacks.register("zero") { (_: Calculator.DivideArgs) in Calculator.DivideResult(success: 0) }
  let governor = ClientGovernor(rules: rules, fallbacks: fallbacks)   // `degrade: {mode: fallback, fallback: zero}`
  // end-snippet
  return governor
}
