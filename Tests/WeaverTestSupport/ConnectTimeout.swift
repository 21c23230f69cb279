extension Duration {
  /// The connect timeout of test clients that are not about connecting. The suite's servers
  /// and clients share the process's event loops, and NIO runs all of a loop's due tasks
  /// (calls of in-process servers, timers) before it looks at its sockets again: when both
  /// cores are busy a tick can outlast the default 1 s, and the connect timer fires before
  /// the completed connect is seen.
  public static let testConnectTimeout: Duration = .seconds(10)
}
