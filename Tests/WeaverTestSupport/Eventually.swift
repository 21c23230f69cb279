/// Whether `condition` becomes true within `timeout`, checked every 10 ms. For waiting on
/// another event loop's work, never for pacing a test. The default is generous (it costs
/// nothing when the condition comes true): at the suite's start, with the process-spawning
/// tests and two busy loops sharing 2 cores, 500 calls have been seen to take over 10 s.
public func eventually(within timeout: Duration = .seconds(45), _ condition: () async -> Bool) async -> Bool {
  let deadline = ContinuousClock.now.advanced(by: timeout)
  while ContinuousClock.now < deadline {
    if await condition() { return true }
    try? await Task.sleep(for: .milliseconds(10))
  }
  return await condition()
}
