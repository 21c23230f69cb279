import ArgumentParser

/// `weaver`: the CloudWeaver command line.
@main
struct WeaverCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "weaver",
    abstract: "CloudWeaver: IDL-first Thrift RPC and service governance for Swift.",
    subcommands: [GenCommand.self, DemoCommand.self, BenchCommand.self, RulesCommand.self, ServerCommand.self, CtlCommand.self, DebugCommand.self]
  )
}
