import ArgumentParser

/// `weaver bench`: load generation and the echo server benchmarks run against.
struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Benchmark Thrift, gRPC and HTTP services (drive an echo server, or serve one) and the control plane.",
    subcommands: [BenchThriftCommand.self, BenchGRPCCommand.self, BenchHTTPCommand.self, BenchServeEchoCommand.self, BenchControlPlaneCommand.self, BenchRedisCommand.self]
  )
}
