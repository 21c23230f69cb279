import NIOSSL

/// TLS for a server or client: TLS 1.3 at least; mutual TLS when a trust root is given to
/// a server (clients must then present a certificate it signed).
public struct ThriftTLSConfiguration: Sendable {
  public var certificateChain: [NIOSSLCertificate]
  public var privateKey: NIOSSLPrivateKey?
  /// Certificates to trust: on a server, requiring and checking client certificates
  /// (mTLS); on a client, checking the server's instead of the system's roots.
  public var trustRoots: [NIOSSLCertificate]
  /// The name a client expects in the server's certificate (defaults to the host dialled).
  public var serverHostname: String?

  public init(
    certificateChain: [NIOSSLCertificate] = [], privateKey: NIOSSLPrivateKey? = nil,
    trustRoots: [NIOSSLCertificate] = [], serverHostname: String? = nil
  ) {
    self.certificateChain = certificateChain
    self.privateKey = privateKey
    self.trustRoots = trustRoots
    self.serverHostname = serverHostname
  }

  /// Loads PEM files.
  public static func pem(certificateChain: String? = nil, privateKey: String? = nil, trustRoots: String? = nil) throws -> Self {
    ThriftTLSConfiguration(
      certificateChain: try certificateChain.map { try NIOSSLCertificate.fromPEMFile($0) } ?? [],
      privateKey: try privateKey.map { try NIOSSLPrivateKey(file: $0, format: .pem) },
      trustRoots: try trustRoots.map { try NIOSSLCertificate.fromPEMFile($0) } ?? [])
  }

  func makeServerContext() throws -> NIOSSLContext {
    guard let key = privateKey, !certificateChain.isEmpty else {
      throw NIOSSLExtraError.noPrivateKeyOrCertificate
    }
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: certificateChain.map { .certificate($0) }, privateKey: .privateKey(key))
    configuration.minimumTLSVersion = .tlsv13
    if !trustRoots.isEmpty {
      configuration.trustRoots = .certificates(trustRoots)
      configuration.certificateVerification = .noHostnameVerification
    }
    return try NIOSSLContext(configuration: configuration)
  }

  func makeClientContext() throws -> NIOSSLContext {
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.minimumTLSVersion = .tlsv13
    configuration.certificateVerification = .fullVerification
    if !trustRoots.isEmpty { configuration.trustRoots = .certificates(trustRoots) }
    if let key = privateKey, !certificateChain.isEmpty {
      configuration.certificateChain = certificateChain.map { .certificate($0) }
      configuration.privateKey = .privateKey(key)
    }
    return try NIOSSLContext(configuration: configuration)
  }
}

/// TLS was configured without what it needs.
enum NIOSSLExtraError: Error, CustomStringConvertible {
  case noPrivateKeyOrCertificate

  var description: String { "a TLS server needs a certificate chain and a private key" }
}
