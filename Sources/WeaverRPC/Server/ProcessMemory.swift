#if canImport(Glibc)
import Glibc
#endif

/// Process-wide allocator settings for servers that move large messages.
///
/// glibc serves blocks of 128 KiB and more with `mmap` and gives them back on `free`, but
/// after the first such block is freed it raises that threshold (up to 32 MiB), so later
/// large buffers come from the heap, whose freed space fragments and is rarely returned.
/// A server echoing 64 KiB messages to a client that does not read them was measured
/// holding 48 MB of heap after 12 MB of traffic; with the threshold fixed, 10 MB.
/// ``returnLargeBlocksToTheSystem(atLeast:)`` fixes it (which also stops the raising). The
/// `weaver` serving commands call it at start; call it once in your own server's `main`.
public enum ProcessMemory {
  /// Serves blocks of `bytes` and more from `mmap`, always (Linux with glibc; elsewhere it
  /// does nothing). Returns whether the setting took.
  @discardableResult
  public static func returnLargeBlocksToTheSystem(atLeast bytes: Int = 128 << 10) -> Bool {
    #if canImport(Glibc)
    // `mallopt` lives in <malloc.h>, which the Glibc module does not export.
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
    return mallopt(mmapThreshold, Int32(clamping: bytes)) == 1
    #else
    return false
    #endif
  }
}
