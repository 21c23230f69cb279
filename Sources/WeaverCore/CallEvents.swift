import ServiceContextModule

/// Something that notes what happens during a call: the tracing middleware's span, which
/// turns each into a span event.
public protocol CallEventRecording: Sendable {
  func record(_ name: String, attributes: [String: String])
}

/// What happens during a call — a retry, a hedge, a breaker's refusal, an injected fault —
/// noted on the call's recorder (its span), if tracing gave it one. Governance reports
/// here, and needs to know nothing of tracing.
public enum CallEvents {
  /// Notes `name` with `attributes` on the current call's recorder, if any.
  public static func record(_ name: String, _ attributes: [String: String] = [:]) {
    ServiceContext.current?.callEventRecorder?.record(name, attributes: attributes)
  }
}

private enum CallEventRecorderKey: ServiceContextKey {
  typealias Value = any CallEventRecording
  static let nameOverride: String? = "weaver.call-events"
}

extension ServiceContext {
  /// Where ``CallEvents/record(_:_:)`` notes events (set by the tracing middleware).
  public var callEventRecorder: (any CallEventRecording)? {
    get { self[CallEventRecorderKey.self] }
    set { self[CallEventRecorderKey.self] = newValue }
  }
}
