import CoreMetrics
import MetricsTestKit
import Synchronization
import Testing
import WeaverCore
@testable import WeaverTelemetry

@Suite struct RPCMetricsTests {
  /// A metrics backend that counts the handles it is asked to make.
  final class CountingFactory: MetricsFactory {
    let backend = TestMetrics()
    let made = Mutex<[String: Int]>([:])

    func note(_ label: String) { made.withLock { $0[label, default: 0] += 1 } }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
      note(label)
      return backend.makeCounter(label: label, dimensions: dimensions)
    }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
      note(label)
      return backend.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
      note(label)
      return backend.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
      note(label)
      return backend.makeMeter(label: label, dimensions: dimensions)
    }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
      note(label)
      return backend.makeTimer(label: label, dimensions: dimensions)
    }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
  }

  /// Making a handle in a backend such as swift-prometheus means validating its name and
  /// looking it up by labels: the middleware makes each series' handles once, not per call
  /// (it made them on every call once, costing 8 µs of server CPU per call).
  @Test func handlesAreMadeOncePerSeriesNotPerCall() async throws {
    let factory = CountingFactory()
    let middleware = MetricsServerMiddleware(factory: factory)
    let context = CallContext(service: "EchoService", method: "echo")
    for _ in 0..<50 {
      _ = try await middleware.intercept("ping", context: context) { request, _ in request }
    }
    for _ in 0..<3 {
      _ = try? await middleware.intercept("ping", context: context) { (_: String, _) -> String in throw RPCError(.unavailable, "down") }
    }
    #expect(factory.made.withLock { $0 } == [RPCMetricNames.serverInFlight: 1, RPCMetricNames.serverDuration: 3], "one meter; a timer for success, declared exceptions and the one failure code seen")
    let timers = try factory.backend.expectTimer(RPCMetricNames.serverDuration, [("service", "EchoService"), ("method", "echo"), ("outcome", "success"), ("code", "none")])
    #expect(timers.values.count == 50)
  }
}

@Suite struct W3CTraceparentTests {
  @Test func onlyAWellFormedUnsampledTraceparentSaysNotSampled() {
    #expect(W3CTraceparent.saysNotSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))
    #expect(W3CTraceparent.saysNotSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02"), "other flags, sampled clear")
    #expect(W3CTraceparent.saysNotSampled("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-future"), "a later version's extra field")
    #expect(!W3CTraceparent.saysNotSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
    #expect(!W3CTraceparent.saysNotSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0"), "too short")
    #expect(!W3CTraceparent.saysNotSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00x"), "a 56th byte that is no dash")
    #expect(!W3CTraceparent.saysNotSampled("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), "version ff is invalid")
    #expect(!W3CTraceparent.saysNotSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz"))
    #expect(!W3CTraceparent.saysNotSampled(""))
    #expect(!W3CTraceparent.saysNotSampled("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-00"), "upper-case hex")
    #expect(!W3CTraceparent.saysNotSampled("00-00000000000000000000000000000000-00f067aa0ba902b7-00"), "an all-zero trace id")
    #expect(!W3CTraceparent.saysNotSampled("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-00"), "an all-zero parent id")
    #expect(!W3CTraceparent.isWellFormed("00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01"))
    #expect(W3CTraceparent.isWellFormed("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
  }
}
