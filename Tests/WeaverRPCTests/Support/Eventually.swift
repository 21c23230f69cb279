/// Whether `condition` becomes true within `timeout`, checked every 10 ms. For waiting on
/// another event loop's work, never for pacing a test.
func eventually(within timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
  let deadline = ContinuousClock.now.advanced(by: timeout)
  while ContinuousClock.now < deadline {
    if await condition() { return true }
    try? await Task.sleep(for: .milliseconds(10))
  }
  return await condition()
}
