// docs/observability.md's code samples, compiled by the build and compared with the page by
// `DocSnippetTests`: edit them here, then paste them there.
import WeaverDiscovery
import WeaverRPC
import WeaverTelemetry

func observabilityTracing(resolver: StaticResolver) throws {
  // snippet: observability-tracing
  let client = ThriftClient(
    resolver: resolver,
    configuration: ThriftClientConfiguration(middlewares: [TracingClientMiddleware()]))
  let server = ThriftServer(
    serving: [Calculator.service(MyCalculator())],
    configuration: ThriftServerConfiguration(port: 9090, middlewares: [TracingServerMiddleware()]))
  // end-snippet
  _ = (client, server)
}
