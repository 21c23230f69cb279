import Foundation
import GRPCCore
import Testing
import WeaverCore
import WeaverGRPC
import WeaverHTTP

/// The one mapping between CloudWeaver failure codes and gRPC statuses / HTTP statuses,
/// both ways, as the issue names them.
@Suite struct ErrorMappingTests {
  typealias Code = WeaverCore.RPCError.Code

  @Test func governanceRefusalsBecomeTheStatusesGRPCClientsExpect() {
    #expect(GRPCErrorMapping.grpcCode(for: .overloaded) == .resourceExhausted)
    #expect(GRPCErrorMapping.grpcCode(for: .deadlineExceeded) == .deadlineExceeded)
    #expect(GRPCErrorMapping.grpcCode(for: .circuitOpen) == .unavailable)
    #expect(GRPCErrorMapping.grpcCode(for: .degraded) == .unavailable)
    #expect(GRPCErrorMapping.grpcCode(for: .serverError) == .internalError)
  }

  @Test func theWeaverErrorTrailerBringsBackTheExactCode() {
    let sent = GRPCErrorMapping.grpcError(WeaverCore.RPCError(.circuitOpen, "breaker open for echo.Echo"))
    #expect(sent.code == .unavailable)
    #expect(Array(sent.metadata[stringValues: GRPCErrorMapping.codeKey]) == ["circuitOpen"])
    // What a client sees: the status and trailers, not the Swift cause.
    let received = GRPCCore.RPCError(code: sent.code, message: sent.message, metadata: sent.metadata)
    #expect(GRPCErrorMapping.weaverError(received)?.code == .circuitOpen)
    #expect(GRPCErrorMapping.outcome(of: received) == .failure(.circuitOpen))
  }

  @Test func plainGRPCStatusesMapToTheirNearestMeaning() {
    #expect(GRPCErrorMapping.weaverCode(for: .resourceExhausted) == .overloaded)
    #expect(GRPCErrorMapping.weaverCode(for: .unavailable) == .unavailable)
    #expect(GRPCErrorMapping.weaverCode(for: .deadlineExceeded) == .deadlineExceeded)
    #expect(GRPCErrorMapping.weaverCode(for: .unknown) == .serverError)
    // The business's own statuses are no failure of the service.
    #expect(GRPCErrorMapping.weaverCode(for: .notFound) == nil)
    #expect(GRPCErrorMapping.outcome(of: GRPCCore.RPCError(code: .invalidArgument, message: "bad")) == .declaredError)
  }

  @Test func httpStatusesFollowTheRefusal() {
    #expect(HTTPErrorMapping.status(for: .overloaded) == 429)
    #expect(HTTPErrorMapping.status(for: .circuitOpen) == 503)
    #expect(HTTPErrorMapping.status(for: .degraded) == 503)
    #expect(HTTPErrorMapping.status(for: .deadlineExceeded) == 504)
    #expect(HTTPErrorMapping.retriesLater(.overloaded))
    #expect(HTTPErrorMapping.retriesLater(.circuitOpen))
    #expect(!HTTPErrorMapping.retriesLater(.serverError))
  }

  @Test func httpAnswersCountAsTheirStatusOrTheirNamedCode() {
    #expect(HTTPErrorMapping.outcome(status: 200) == .success)
    #expect(HTTPErrorMapping.outcome(status: 404) == .declaredError)
    #expect(HTTPErrorMapping.outcome(status: 429) == .failure(.overloaded))
    #expect(HTTPErrorMapping.outcome(status: 503, named: "circuitOpen") == .failure(.circuitOpen))
    #expect(HTTPErrorMapping.outcome(status: 502) == .failure(.serverError))
  }

  @Test func theErrorBodyIsValidJSONWhateverTheMessage() throws {
    let body = HTTPErrorMapping.body(for: WeaverCore.RPCError(.overloaded, "quote \" backslash \\ newline \n bell \u{7}"))
    let decoded = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: [String: String]]
    #expect(decoded?["error"]?["code"] == "overloaded")
    #expect(decoded?["error"]?["message"] == "quote \" backslash \\ newline \n bell \u{7}")
  }
}
