import Tracing
import WeaverCore

/// Call events as span events: `weaver.retry`, `weaver.hedge`, `weaver.rejected`,
/// `weaver.fault_injected`, `weaver.degraded`, each with its attributes.
struct SpanEventRecorder: CallEventRecording {
  let span: any Span

  func record(_ name: String, attributes: [String: String]) {
    var spanAttributes = SpanAttributes()
    for (key, value) in attributes { spanAttributes[key] = value }
    span.addEvent(SpanEvent(name: name, attributes: spanAttributes))
  }
}

extension ServiceContext {
  /// `context` with `span`'s events recorder, for the calls' events inside it.
  static func recording(into span: any Span) -> ServiceContext {
    var context = span.context
    context.callEventRecorder = SpanEventRecorder(span: span)
    return context
  }
}
