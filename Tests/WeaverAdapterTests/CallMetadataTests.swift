import GRPCCore
import Testing
import WeaverCore
@testable import WeaverGRPC
import WeaverHTTP

/// A call's context (colouring keys, caller, trace headers, deadline) crosses a gRPC or
/// HTTP hop as itself.
@Suite struct CallMetadataTests {
  static func colouredContext(deadline: ContinuousClock.Instant? = nil) -> CallContext {
    var context = CallContext(
      service: "echo.Echo", method: "Echo", caller: "edge", deadline: deadline,
      metadata: Metadata(transient: ["attempt-note": "x"], persistent: ["release": "canary", "Tenant": "t1"])
    )
    context.headers["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    return context
  }

  @Test func grpcMetadataCarriesTheContextAcrossAHop() {
    let now = ContinuousClock.now
    var metadata = GRPCCore.Metadata()
    GRPCCallMetadata.write(Self.colouredContext(deadline: now.advanced(by: .milliseconds(1500))), into: &metadata, now: now)
    #expect(Array(metadata[stringValues: "rpc-persist-release"]) == ["canary"])
    #expect(Array(metadata[stringValues: "rpc-persist-tenant"]) == ["t1"])
    #expect(Array(metadata[stringValues: "grpc-timeout"]) == ["1500000u"])

    let read = GRPCCallMetadata.read(metadata, service: "echo.Echo", method: "Echo", now: now)
    #expect(read.metadata.persistent == ["release": "canary", "tenant": "t1"])
    // A transient key reaches the next hop only, as upstream.
    #expect(read.metadata.transientUpstream == ["attempt-note": "x"])
    #expect(read.metadata.transient.isEmpty)
    #expect(read.caller == "edge")
    #expect(read.headers["traceparent"] == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    #expect(read.remaining(now: now) == .milliseconds(1500))
  }

  @Test func anEarlierDeadlineTheCallerSetStays() {
    let now = ContinuousClock.now
    var metadata: GRPCCore.Metadata = ["grpc-timeout": "200m"]
    GRPCCallMetadata.write(Self.colouredContext(deadline: now.advanced(by: .seconds(3))), into: &metadata, now: now)
    #expect(Array(metadata[stringValues: "grpc-timeout"]) == ["200m"])
  }

  @Test func grpcTimeoutsUseTheFinestUnitThatFits() {
    #expect(GRPCCallMetadata.encodeTimeout(.nanoseconds(5)) == "5n")
    #expect(GRPCCallMetadata.encodeTimeout(.seconds(2)) == "2000000u")
    #expect(GRPCCallMetadata.encodeTimeout(.seconds(500)) == "500000m")
    #expect(GRPCCallMetadata.encodeTimeout(.seconds(-1)) == "0n")
    #expect(GRPCCallMetadata.decodeTimeout("3S") == .seconds(3))
    #expect(GRPCCallMetadata.decodeTimeout("1H") == .seconds(3600))
    #expect(GRPCCallMetadata.decodeTimeout("250m") == .milliseconds(250))
    for bad in ["", "S", "12", "-1S", "123456789S", "5x"] { #expect(GRPCCallMetadata.decodeTimeout(bad) == nil) }
  }

  @Test func httpHeadersCarryTheContextAndTheEdgeHeaders() {
    let headers = HTTPCallHeaders.write(Self.colouredContext())
    let names = Set(headers.map(\.name))
    #expect(names.isSuperset(of: ["rpc-persist-release", "x-release-tag", "x-weaver-caller", "traceparent"]))
    let read = HTTPCallHeaders.read(headers, service: "EchoHTTP", method: "POST /echo")
    #expect(read.metadata.persistent["release"] == "canary")
    #expect(read.metadata.persistent["tenant"] == "t1")
    #expect(read.caller == "edge")
    #expect(read.headers["traceparent"] != nil)
  }

  @Test func anEdgeRequestIsColouredByItsReleaseTagAndRegion() {
    let received: [(name: String, value: String)] = [
      ("X-Release-Tag", "canary"), ("X-Region", "eu-west"), ("Accept", "*/*"), ("TraceParent", "00-abc"),
    ]
    let read = HTTPCallHeaders.read(
      received,
      service: "EchoHTTP", method: "POST /echo"
    )
    #expect(read.metadata.persistent == ["release": "canary", HTTPCallHeaders.regionKey: "eu-west"])
    // Only trace headers are carried on; other request headers stay at this hop.
    #expect(read.headers == ["traceparent": "00-abc"])
  }
}
