import Testing
import WeaverCore

@Suite struct RPCErrorTests {
  @Test func codesRoundTripThroughTheirNamesAndWireValues() {
    for code in RPCError.Code.all {
      #expect(RPCError.Code(name: code.name) == code)
      #expect(RPCError.Code(wireValue: code.wireValue) == code)
    }
    #expect(RPCError.Code(name: "noSuchCode") == nil)
    #expect(RPCError.Code(wireValue: 9_999) == .unknown)
    #expect("\(RPCError(.circuitOpen, "FeedService.getFeed"))" == "circuitOpen: FeedService.getFeed")
  }

  @Test func outcomesSeparateFailuresFromDeclaredErrors() {
    struct NotFound: Error {}
    struct Transport: FailureClassifying { var failureCode: RPCError.Code { .serverError } }
    #expect(CallOutcome(error: RPCError(.deadlineExceeded, "late")) == .failure(.deadlineExceeded))
    #expect(CallOutcome(error: Transport()) == .failure(.serverError))
    #expect(CallOutcome(error: CancellationError()) == .failure(.cancelled))
    #expect(CallOutcome(error: NotFound()) == .declaredError)
  }
}
