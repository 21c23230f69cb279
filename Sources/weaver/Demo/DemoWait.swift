/// Polling the demo's processes until something holds.
enum DemoWait {
  /// Waits until `condition` holds (a throw counts as not yet), checking every `interval`;
  /// fails after `timeout` naming `what` it waited for.
  static func until(
    _ what: String, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
  ) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
      if (try? await condition()) == true { return }
      try await Task.sleep(for: interval)
    }
    throw DemoError("waited \(timeout) for \(what)")
  }
}
