/// Keys as the store orders them: their UTF-8 bytes, compared bytewise (etcd's order).
enum KeyRange {
  /// The first key past every key that starts with `prefix` (etcd's `range_end` for a
  /// prefix: the prefix with its last byte incremented, dropping trailing 0xFF bytes); nil
  /// when no such key exists (the prefix is empty or all 0xFF): the range is open-ended.
  static func end(ofPrefix prefix: [UInt8]) -> [UInt8]? {
    var end = prefix
    while let last = end.last {
      if last < 0xFF {
        end[end.count - 1] = last + 1
        return end
      }
      end.removeLast()
    }
    return nil
  }

  /// Checks a key a caller gave.
  static func validate(_ key: String) throws(StoreError) {
    guard !key.isEmpty else { throw .invalid("a key must not be empty") }
    guard key.utf8.count <= maxKeyBytes else { throw .invalid("a key is at most \(maxKeyBytes) bytes; one is \(key.utf8.count)") }
  }

  /// etcd's default request limit is 1.5 MiB; keys are small.
  static let maxKeyBytes = 4096
  static let maxValueBytes = 1_536 * 1024
}
