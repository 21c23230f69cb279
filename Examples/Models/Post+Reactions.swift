// The Swift in this target is generated at build time by WeaverThriftPlugin from
// Feed.thrift; this file adds hand-written conveniences next to it, as an app would.

extension Post {
  /// All reactions on the post, whatever the emoji.
  public var totalReactions: Int { reactions.values.reduce(0) { $0 + Int($1) } }
}
