import AsyncHTTPClient
import Foundation
import Testing
import WeaverControlPlaneClient
import WeaverTestSupport

/// `weaver server --tls-cert --tls-key` as a real process: HTTPS with TLS 1.3 at least,
/// read by curl, by the Swift SDK trusting a private CA, and by `weaver ctl --ca-file`;
/// TLS 1.2 and plain HTTP get nowhere.
@Suite(.timeLimit(.minutes(2))) struct ControlPlaneTLSTests {
  @Test func httpsWithTLS13ForCurlTheSDKAndCtl() async throws {
    try await ExternalTool.withTemporaryDirectory { directory in
      let certificates = try await TestCertificates.make(in: directory)
      try await ExternalTool.withListeningProcess(
        [CtlCommandTests.weaver, "server", "--data-dir", directory.path + "/data", "--listen", "127.0.0.1:0",
         "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey],
        hint: "build it first: swift build --product weaver"
      ) { port in
        let base = "https://127.0.0.1:\(port)"
        let health = try await ExternalTool.run(
          ["curl", "--silent", "--show-error", "--fail", "--cacert", certificates.ca, base + "/v1/health"], hint: "apt-get install curl")
        #expect(health.contains(#""status":"ok""#))
        await #expect(throws: ExternalTool.Failure.self, "TLS 1.2 is refused") {
          try await ExternalTool.run(["curl", "--silent", "--show-error", "--cacert", certificates.ca, "--tls-max", "1.2", base + "/v1/health"], hint: "")
        }
        await #expect(throws: ExternalTool.Failure.self, "plain HTTP gets no answer") {
          try await ExternalTool.run(["curl", "--silent", "--show-error", "--fail", "--max-time", "5", "http://127.0.0.1:\(port)/v1/health"], hint: "")
        }

        let http = try ControlPlaneClient.makeHTTPClient(trustRoots: certificates.ca)
        do {
          let client = ControlPlaneClient(configuration: .init(servers: [base]), httpClient: http)
          #expect(try await client.services().isEmpty)
          try await http.shutdown()
        } catch {
          try? await http.shutdown()
          throw error
        }

        try await ExternalTool.onOwnThread {
          #expect(try CtlCommandTests.ctl(base, "services", "--ca-file", certificates.ca).status == 0)
          let untrusted = try CtlCommandTests.ctl(base, "services")
          #expect(untrusted.status == 3, "the system's roots do not know our CA: \(untrusted.errors)")
          #expect(try CtlCommandTests.ctl(base, "services", "--ca-file", directory.path + "/none.pem").status == 64)
        }
      }
    }
  }
}
