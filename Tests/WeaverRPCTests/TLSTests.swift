import Foundation
import WeaverTestSupport
import NIOCore
import Testing
import WeaverCore
import WeaverRPC

/// TLS 1.3 and mutual TLS, with certificates made by `openssl` for each run.
@Suite struct TLSTests {
  @Test func mutualTLSCallsWorkAndStrangersAreTurnedAway() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let certificates = try await TestCertificates.make(in: directory)
    var serverConfiguration = ThriftServerConfiguration()
    serverConfiguration.tls = try .pem(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey, trustRoots: certificates.ca)
    try await withServer(interopServices(), configuration: serverConfiguration) { _, port in
      var configuration = ThriftClientConfiguration(connectTimeout: .testConnectTimeout)
      configuration.tls = try .pem(certificateChain: certificates.clientCertificate, privateKey: certificates.clientKey, trustRoots: certificates.ca)
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: configuration)
      defer { client.close() }
      #expect(try await InteropService.Client(channel: client).add(a: 20, b: 22) == 42)

      // A client without a certificate is refused by the server.
      var anonymous = ThriftClientConfiguration(connectTimeout: .testConnectTimeout)
      anonymous.tls = try .pem(trustRoots: certificates.ca)
      let stranger = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: anonymous)
      defer { stranger.close() }
      await #expect(throws: RPCError.self) { _ = try await InteropService.Client(channel: stranger).add(a: 1, b: 1) }

      // A plaintext client gets nowhere either.
      let plain = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: ThriftClientConfiguration(connectTimeout: .testConnectTimeout, rpcTimeout: .seconds(1)))
      defer { plain.close() }
      await #expect(throws: RPCError.self) { _ = try await InteropService.Client(channel: plain).add(a: 1, b: 1) }
    }
  }
}
