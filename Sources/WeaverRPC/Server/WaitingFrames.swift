import NIOCore

/// Frames read on a Framed or unframed connection that wait for the call before them to be
/// answered, and their bytes. Storage is allocated when the first frame arrives, and small:
/// an idle connection holds none (a `CircularBuffer` reserves 16 frames, about 1 KB, as it
/// is created), and one whose client sends a call at a time needs one slot.
struct WaitingFrames {
  private var frames: CircularBuffer<ThriftFrame>?
  /// The message bytes of the waiting frames.
  private(set) var bytes = 0

  var count: Int { frames?.count ?? 0 }
  var isEmpty: Bool { frames?.isEmpty ?? true }

  mutating func append(_ frame: ThriftFrame) {
    bytes += frame.message.readableBytes
    if frames == nil { frames = CircularBuffer(initialCapacity: 2) }
    frames!.append(frame)
  }

  mutating func popFirst() -> ThriftFrame? {
    guard let frame = frames?.popFirst() else { return nil }
    bytes -= frame.message.readableBytes
    return frame
  }

  /// Forgets every frame and the storage (the connection is closed).
  mutating func removeAll() {
    frames = nil
    bytes = 0
  }
}
