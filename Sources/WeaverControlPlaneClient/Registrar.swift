import Logging
import Synchronization
import ServiceLifecycle
import WeaverControlPlaneModels
import WeaverCore

/// Keeps one instance registered while it runs: registers on start (retrying until the
/// control plane answers), heartbeats three times per TTL, registers again if the control
/// plane forgot it, and deregisters on graceful shutdown. A `Service`: run it beside the
/// server it announces.
///
/// ```swift
/// let registrar = Registrar(client: client, service: "FeedService",
///                           registration: InstanceRegistration(host: "10.0.0.7", port: 9090, releaseTag: "canary"))
/// try await ServiceGroup(services: [server, registrar], logger: logger).run()
/// ```
public final class Registrar: Service {
  public let client: ControlPlaneClient
  public let service: String
  public let registration: InstanceRegistration
  let time: TimeSource
  let logger: Logger
  /// The id a registration went out under: set before the first request is sent, since
  /// the control plane may accept a registration whose answer never arrives (shutdown
  /// cancels the request in flight). Deregistration on shutdown uses it.
  private let sent = Mutex<String?>(nil)

  public init(
    client: ControlPlaneClient, service: String, registration: InstanceRegistration, time: TimeSource = .continuous,
    logger: Logger = Logger(label: "cloudweaver.registrar")
  ) {
    self.client = client
    self.service = service
    self.registration = registration
    self.time = time
    self.logger = logger
  }

  /// Heartbeats go out at a third of the TTL, so two may be lost before the instance
  /// turns unhealthy.
  var heartbeatInterval: Duration { .seconds(registration.ttlSeconds ?? 15) / 3 }

  public func run() async throws {
    do {
      try await cancelWhenGracefulShutdown {
        var id = try await self.registerUntilAccepted()
        guard self.registration.ephemeral ?? true else {
          try await gracefulShutdown()  // persistent: nothing to keep alive
          return
        }
        while !Task.isCancelled {
          try await self.time.sleep(self.heartbeatInterval)
          do {
            try await self.client.heartbeat(service: self.service, id: id)
          } catch let error as ControlPlaneError where error.isNotFound {
            self.logger.warning("the control plane forgot \(id) of \(self.service); registering again")
            id = try await self.registerUntilAccepted()
          } catch {
            self.logger.warning("heartbeat of \(id) failed (will retry): \(error)")
          }
        }
      }
    } catch is CancellationError {
      // Shut down: deregister below.
    }
    if let id = sent.withLock({ $0 }) {
      do {
        try await client.deregister(service: service, id: id)
        logger.info("deregistered \(id) of \(service)")
      } catch where error.isNotFound {
        logger.debug("\(id) of \(service) was not registered; nothing to deregister")
      } catch {
        logger.warning("deregistering \(id) of \(service) failed (it expires on its own): \(error)")
      }
    }
  }

  /// Registers, retrying with backoff (0.5 s doubling to 10 s) until accepted; a refusal
  /// of the registration itself (400) is not retried.
  private func registerUntilAccepted() async throws -> String {
    var delay = Duration.milliseconds(500)
    while true {
      do {
        sent.withLock { $0 = registration.instanceID }  // the id the control plane files it under
        let record = try await client.register(service: service, registration)
        logger.info("registered \(record.id) of \(service)")
        return record.id
      } catch .refused(let status, _, let message) where (400..<500).contains(status) && status != 429 {
        throw ControlPlaneError.refused(status: status, code: "invalid_argument", message: "registration of \(service) refused: \(message)")
      } catch {
        // Shutting down: not a failure to report or retry.
        if Task.isCancelled { throw CancellationError() }
        logger.warning("registering with the control plane failed (retrying in \(delay)): \(error)")
        try await time.sleep(delay)
        delay = min(delay * 2, .seconds(10))
      }
    }
  }
}
