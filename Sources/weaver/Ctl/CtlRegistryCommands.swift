import ArgumentParser
import Foundation
import WeaverControlPlaneClient

/// `weaver ctl services`.
struct CtlServicesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "services", abstract: "Every service with instances, and how many are healthy.")

  @OptionGroup var options: CtlOptions

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let services = try await options.client.services()
      options.print(services) {
        TextTable.render(["SERVICE", "INSTANCES", "HEALTHY"], services.map { [$0.service, String($0.instances), String($0.healthy)] })
      }
    }
  }
}

/// `weaver ctl instances SERVICE`.
struct CtlInstancesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "instances", abstract: "A service's instances.")

  @OptionGroup var options: CtlOptions

  @Argument(help: "The service.")
  var service: String

  @Flag(help: "Healthy instances only.")
  var healthy = false

  @Option(help: "Only instances with this release tag.")
  var tag: String?

  @Option(help: "Only instances in this region.")
  var region: String?

  func run() async throws {
    try await options.run { () async throws(ControlPlaneError) in
      let answer = try await options.client.instances(service: service, healthyOnly: healthy, releaseTag: tag, region: region)
      options.print(answer) {
        TextTable.render(
          ["ID", "ADDRESS", "REGION", "ZONE", "TAG", "WEIGHT", "HEALTHY"],
          answer.instances.map {
            [$0.id, "\($0.host):\($0.port)", $0.region ?? "-", $0.zone ?? "-", $0.releaseTag ?? "-", String($0.weight), $0.healthy ? "yes" : "no"]
          }) + (answer.protectionApplied ? "(protection threshold applied: unhealthy instances included)\n" : "")
      }
    }
  }
}
