import Foundation
import GRPCCore
import GRPCProtobuf
import WeaverBenchAdapters

/// The demo's user service over gRPC: `users.Users/GetUser`, its messages echo.proto's
/// string messages (the request names a user id, the answer is the profile as JSON), so
/// the demo needs no code generated from another proto.
enum DemoUsers {
  /// The name it registers under.
  static let registryName = "UserService"
  static let descriptor = MethodDescriptor(service: ServiceDescriptor(fullyQualifiedService: "users.Users"), method: "GetUser")

  static let names = [1: "ada", 2: "linus", 3: "grace", 4: "ken", 5: "barbara"]

  /// A profile, as the service answers it.
  struct Profile: Codable, Sendable {
    var id: Int
    var name: String
    /// The region of the instance that answered.
    var servedFrom: String
  }

  /// The service, answering from `region`.
  struct Service: RegistrableRPCService {
    let region: String

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
      router.registerHandler(
        forMethod: DemoUsers.descriptor, deserializer: ProtobufDeserializer<Echo_EchoRequest>(), serializer: ProtobufSerializer<Echo_EchoResponse>()
      ) { request, _ in
        let asked = try await ServerRequest(stream: request).message
        guard let id = Int(asked.message), let name = DemoUsers.names[id] else {
          throw RPCError(code: .notFound, message: "no user '\(asked.message.prefix(40))'")
        }
        var answer = Echo_EchoResponse()
        answer.message = String(decoding: try JSONEncoder().encode(Profile(id: id, name: name, servedFrom: region)), as: UTF8.self)
        return StreamingServerResponse(single: ServerResponse(message: answer))
      }
    }
  }

  /// Asks `client` for user `id`.
  static func user<Transport: ClientTransport>(_ id: Int, client: GRPCClient<Transport>, options: CallOptions) async throws -> Profile {
    var request = Echo_EchoRequest()
    request.message = String(id)
    let answer = try await client.unary(
      request: ClientRequest(message: request), descriptor: descriptor, serializer: ProtobufSerializer<Echo_EchoRequest>(),
      deserializer: ProtobufDeserializer<Echo_EchoResponse>(), options: options
    ) { try $0.message }
    return try JSONDecoder().decode(Profile.self, from: Data(answer.message.utf8))
  }
}
