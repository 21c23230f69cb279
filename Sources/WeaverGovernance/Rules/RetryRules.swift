import WeaverCore

/// When and how a failed call is tried again.
public struct RetryRules: Sendable, Hashable {
  /// Attempts in all, the first included; 1 turns retries off.
  public var maxAttempts: Int = 2
  /// The method may run twice without harm: it is also retried on ``idempotentRetryOn``
  /// failures, and may be hedged.
  public var idempotent: Bool = false
  /// Failures retried for any method: ones where the server never processed the call.
  public var retryOn: Set<RPCError.Code> = [.connectFailed]
  /// Failures retried only for idempotent methods (the server may have run the call).
  public var idempotentRetryOn: Set<RPCError.Code> = [.deadlineExceeded, .connectionClosed]
  /// Backoff before attempt n is random in [0, min(max, base·2ⁿ⁻²)) (full jitter).
  public var backoffBase: Duration = .milliseconds(25)
  public var backoffMax: Duration = .milliseconds(250)
  /// Each attempt's own timeout (the call's deadline still covers all attempts); nil: none.
  public var perTryTimeout: Duration? = nil
  /// Retries may be at most this share of the requests in the budget window (percent).
  public var budgetPercent: Double = 20
  /// …but this many retries per second are always allowed.
  public var budgetMinPerSecond: Int = 3
  public var budgetWindow: Duration = .seconds(10)
  /// A call that is itself a retry is not retried again downstream.
  public var chainStop: Bool = true
  /// Idempotent methods only: send a backup request when no reply came after this; nil: off.
  public var hedgingDelay: Duration? = nil

  public init() {}

  /// Whether a failure of `code` may be retried under these rules.
  public func retries(_ code: RPCError.Code) -> Bool {
    retryOn.contains(code) || (idempotent && idempotentRetryOn.contains(code))
  }
}
