import Foundation
import WeaverTestSupport
import NIOCore
import Testing
import WeaverCore
import WeaverRPC

/// TLS 1.3 and mutual TLS, with certificates made by `openssl` for each run.
@Suite struct TLSTests {
  /// A CA, a server certificate for 127.0.0.1 and localhost, and a client certificate.
  struct Certificates {
    let directory: URL
    var ca: String { directory.appendingPathComponent("ca.pem").path }
    var serverCertificate: String { directory.appendingPathComponent("server.pem").path }
    var serverKey: String { directory.appendingPathComponent("server.key").path }
    var clientCertificate: String { directory.appendingPathComponent("client.pem").path }
    var clientKey: String { directory.appendingPathComponent("client.key").path }
  }

  static func makeCertificates(in directory: URL) async throws -> Certificates {
    let script = """
      set -e
      cd '\(directory.path)'
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=weaver-test-ca 2>/dev/null
      for name in server client; do
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $name.key -out $name.csr -subj /CN=$name 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth,clientAuth\\n' > $name.ext
        openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $name.pem -days 2 -extfile $name.ext 2>/dev/null
      done
      """
    _ = try await ExternalTool.run(["bash", "-c", script], hint: "TLS tests need the openssl command (apt-get install openssl)")
    return Certificates(directory: directory)
  }

  @Test func mutualTLSCallsWorkAndStrangersAreTurnedAway() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("weaver-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let certificates = try await Self.makeCertificates(in: directory)
    var serverConfiguration = ThriftServerConfiguration()
    serverConfiguration.tls = try .pem(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey, trustRoots: certificates.ca)
    try await withServer(interopServices(), configuration: serverConfiguration) { _, port in
      var configuration = ThriftClientConfiguration()
      configuration.tls = try .pem(certificateChain: certificates.clientCertificate, privateKey: certificates.clientKey, trustRoots: certificates.ca)
      let client = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: configuration)
      defer { client.close() }
      #expect(try await InteropService.Client(channel: client).add(a: 20, b: 22) == 42)

      // A client without a certificate is refused by the server.
      var anonymous = ThriftClientConfiguration()
      anonymous.tls = try .pem(trustRoots: certificates.ca)
      let stranger = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: anonymous)
      defer { stranger.close() }
      await #expect(throws: RPCError.self) { _ = try await InteropService.Client(channel: stranger).add(a: 1, b: 1) }

      // A plaintext client gets nowhere either.
      let plain = try ThriftClient(addresses: ["127.0.0.1:\(port)"], configuration: ThriftClientConfiguration(rpcTimeout: .seconds(1)))
      defer { plain.close() }
      await #expect(throws: RPCError.self) { _ = try await InteropService.Client(channel: plain).add(a: 1, b: 1) }
    }
  }
}
