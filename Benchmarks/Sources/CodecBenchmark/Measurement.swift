#if canImport(Glibc)
import Glibc
#endif

/// Times `body` the same way the C++ benchmark does: calibrate to about `roundSeconds`,
/// run `rounds` rounds, keep the fastest round's time per operation.
func measure(rounds: Int = 7, roundSeconds: Double = 0.4, _ body: (Int) -> Void) -> Double {
  var iterations = 1_000
  while true {
    let elapsed = time { body(iterations) }
    if elapsed > 0.05 {
      iterations = max(1, Int(Double(iterations) * roundSeconds / elapsed))
      break
    }
    iterations *= 4
  }
  var best = Double.infinity
  for _ in 0..<rounds {
    best = min(best, time { body(iterations) } / Double(iterations))
  }
  return best * 1e9
}

private func time(_ body: () -> Void) -> Double {
  var start = timespec()
  var end = timespec()
  clock_gettime(CLOCK_MONOTONIC, &start)
  body()
  clock_gettime(CLOCK_MONOTONIC, &end)
  return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}
