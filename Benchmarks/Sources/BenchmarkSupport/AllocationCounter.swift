#if canImport(Glibc)
import Glibc
#endif

/// Counts heap allocations when the process runs with Benchmarks/malloc-counter preloaded.
public enum AllocationCounter {
  private typealias Counter = @convention(c) () -> UInt64
  private static let counter: Counter? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "weaver_malloc_count") else { return nil }
    return unsafeBitCast(symbol, to: Counter.self)
  }()

  public static var isAvailable: Bool { counter != nil }
  public static var count: UInt64 { counter?() ?? 0 }
}
