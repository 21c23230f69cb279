import Foundation

/// A CA, a server certificate for 127.0.0.1 and localhost, and a client certificate, made
/// by `openssl` for one test run (P-256 keys, valid two days).
public struct TestCertificates: Sendable {
  public let directory: URL
  public var ca: String { directory.appendingPathComponent("ca.pem").path }
  public var serverCertificate: String { directory.appendingPathComponent("server.pem").path }
  public var serverKey: String { directory.appendingPathComponent("server.key").path }
  public var clientCertificate: String { directory.appendingPathComponent("client.pem").path }
  public var clientKey: String { directory.appendingPathComponent("client.key").path }

  /// Makes them in `directory` (which must exist).
  public static func make(in directory: URL) async throws -> TestCertificates {
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
    return TestCertificates(directory: directory)
  }
}
