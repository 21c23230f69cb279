#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Zero values generated code uses where Swift has no literal.
public enum ThriftDefaults {
  /// The all-zero UUID, the default of a `uuid` field that the IDL gives no default.
  public static let uuid = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}
