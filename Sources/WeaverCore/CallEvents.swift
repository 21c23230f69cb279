import ServiceContextModule

/// Something that notes what happens during a call: the tracing middleware's span, which
/// turns each into a span event.
public protocol CallEventRecording: Sendable {
  func record(_ name: String, attributes: [String: String])
  /// The instance an attempt of the call went to (each attempt notes its own; the last
  /// one stands).
  func notePeer(host: String, port: Int)
}

extension CallEventRecording {
  public func notePeer(host: String, port: Int) {}
}

/// What happens during a call — a retry, a hedge, a breaker's refusal, an injected fault —
/// noted on the call's recorder (its span), if tracing gave it one. Governance reports
/// here, and needs to know nothing of tracing.
public enum CallEvents {
  /// Notes `name` with `attributes` on the current call's recorder, if any.
  public static func record(_ name: String, _ attributes: [String: String] = [:]) {
    ServiceContext.current?.callEventRecorder?.record(name, attributes: attributes)
  }

  /// Notes the instance an attempt goes to on the current call's recorder, if any.
  public static func peer(_ instance: Instance) {
    ServiceContext.current?.callEventRecorder?.notePeer(host: instance.host, port: instance.port)
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
