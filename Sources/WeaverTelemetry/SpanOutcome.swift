import Tracing
import WeaverCore

/// How a call's end shows on its span: failures (``RPCError`` codes, transport failures)
/// set the error status and `error.type`; a declared exception is a business answer, not
/// an error: only its type is noted.
enum SpanOutcome {
  /// Names `span`'s call, runs `body` inside it (governance's events become its events),
  /// records how the call ended, and ends it.
  ///
  /// A span that is not recording (its trace is not sampled) gets no attributes and no
  /// events: with `bindsContext` (a server span, whose handler's calls continue its trace)
  /// `body` runs in its context, else as it is.
  static func run<Response: Sendable>(
    in span: any Span, system: String, context: CallContext, notesPeer: Bool = false, bindsContext: Bool = true,
    _ body: () async throws -> Response
  ) async throws -> Response {
    defer { span.end() }
    guard span.isRecording else {
      return bindsContext ? try await ServiceContext.withValue(span.context) { try await body() } : try await body()
    }
    span.attributes[RPCSpanAttributes.system] = system
    span.attributes[RPCSpanAttributes.service] = context.service
    span.attributes[RPCSpanAttributes.method] = context.method
    do {
      let response = try await ServiceContext.withValue(.recording(into: span, notesPeer: notesPeer)) { try await body() }
      record(response: response, on: span)
      return response
    } catch {
      record(error, on: span)
      throw error
    }
  }

  static func record(_ error: any Error, on span: any Span) {
    switch CallOutcome(error: error) {
    case .failure(let code):
      span.recordError(error)
      span.attributes[RPCSpanAttributes.errorType] = errorType(code)
      span.setStatus(SpanStatus(code: .error, message: "\(code)"))
    case .declaredError:
      span.attributes[RPCSpanAttributes.declaredException] = true
    case .success:
      break
    }
  }

  /// A response that reports how its call ended (a Thrift result struct, a server reply)
  /// is noted as that: a declared exception, or a failure.
  static func record(response: some Sendable, on span: any Span) {
    guard let reporting = response as? any OutcomeReporting else { return }
    switch reporting.outcome {
    case .declaredError: span.attributes[RPCSpanAttributes.declaredException] = true
    case .failure(let code):
      span.attributes[RPCSpanAttributes.errorType] = errorType(code)
      span.setStatus(SpanStatus(code: .error, message: "\(code)"))
    case .success: break
    }
  }

  /// The code's name, as governance's metrics and events name it (`deadlineExceeded`).
  static func errorType(_ code: RPCError.Code) -> String { code.name }
}
