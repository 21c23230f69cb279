import Tracing
import WeaverCore

/// Call events as span events: `weaver.retry`, `weaver.hedge`, `weaver.rejected`,
/// `weaver.fault_injected`, `weaver.degraded`, each with its attributes.
struct SpanEventRecorder: CallEventRecording {
  let span: any Span
  /// Whether the instance the call went to is this span's peer (client spans).
  let notesPeer: Bool

  func record(_ name: String, attributes: [String: String]) {
    var spanAttributes = SpanAttributes()
    for (key, value) in attributes { spanAttributes[key] = value }
    span.addEvent(SpanEvent(name: name, attributes: spanAttributes))
  }

  func notePeer(host: String, port: Int) {
    guard notesPeer else { return }
    span.attributes[RPCSpanAttributes.serverAddress] = host
    span.attributes[RPCSpanAttributes.serverPort] = port
  }
}

extension ServiceContext {
  /// `context` with `span`'s events recorder, for the calls' events inside it.
  static func recording(into span: any Span, notesPeer: Bool) -> ServiceContext {
    var context = span.context
    context.callEventRecorder = SpanEventRecorder(span: span, notesPeer: notesPeer)
    return context
  }
}
