#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `line` to standard output (or `descriptor`) at once, unbuffered, so a script
/// waiting for it sees it.
func writeLine(_ line: String, to descriptor: Int32 = 1) {
  var text = line + "\n"
  text.withUTF8 { bytes in _ = write(descriptor, bytes.baseAddress, bytes.count) }
}
