import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import WeaverControlPlaneModels
import WeaverTestSupport

/// `weaver server` as a process: `kill -9` in the middle of a stream of registrations and
/// publishes loses no acknowledged write and leaves no half-written registration or
/// release.
@Suite(.timeLimit(.minutes(2))) struct ServerProcessDurabilityTests {
  static var weaver: String { ExternalTool.productsDirectory.appendingPathComponent("weaver").path }

  static func start(dataDirectory: String) async throws -> (Process, Int) {
    try await ExternalTool.startListening(
      [weaver, "server", "--data-dir", dataDirectory, "--listen", "127.0.0.1:0"], hint: "build it first: swift build --product weaver")
  }

  static func kill9(_ process: Process) async throws {
    kill(process.processIdentifier, SIGKILL)
    try await ExternalTool.onOwnThread { process.waitUntilExit() }
  }

  @Test func killNineLosesNoAcknowledgedRegistrationOrRelease() async throws {
    try await ExternalTool.withTemporaryDirectory { directory in
      let (process, port) = try await Self.start(dataDirectory: directory.path)
      let acknowledged = Acknowledged()
      let pid = process.processIdentifier
      let enough = 120
      // Four writers register persistent instances one after another until the server dies.
      try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<4 {
          group.addTask {
            defer { acknowledged.writersDone.add(1, ordering: .relaxed) }
            try? await TestClient.withClient(host: "127.0.0.1", port: port) { client in
              for index in 0..<2_000 {
                let id = "w\(writer)-\(index)"
                let body = ByteBuffer(string: #"{"host":"10.0.\#(writer).1","port":\#(index + 1),"id":"\#(id)","ephemeral":false}"#)
                let response = try await client.post("/v1/services/Feed/instances", body: body)
                guard response.status == .ok else {
                  acknowledged.refusals.withLock { $0.append("\(id): \(response.status)") }
                  return
                }
                acknowledged.ids.withLock { _ = $0.insert(id) }
              }
            }
          }
        }
        // Two publishers each edit and publish a namespace of their own, release after release.
        for publisher in 0..<2 {
          group.addTask {
            defer { acknowledged.writersDone.add(1, ordering: .relaxed) }
            try? await TestClient.withClient(host: "127.0.0.1", port: port) { client in
              let namespace = "/v1/config/app\(publisher)/default/application"
              for index in 0..<2_000 {
                let content = "n=\(index)"
                let draft = try await client.put(namespace, body: ByteBuffer(string: #"{"content":"\#(content)"}"#))
                guard draft.status == .ok else { return }
                let published = try await client.post(namespace + "/publish", body: ByteBuffer(string: #"{"author":"ci"}"#))
                guard published.status == .ok else {
                  acknowledged.refusals.withLock { $0.append("\(namespace) publish \(index): \(published.status)") }
                  return
                }
                let release = try JSONDecoder().decode(ConfigRelease.self, from: Data((published.body ?? ByteBuffer()).readableBytesView))
                acknowledged.releases.withLock { $0[namespace, default: [:]][release.number] = content }
              }
            }
          }
        }
        group.addTask {
          // Killed once enough writes were acknowledged (or every writer stopped: the
          // expectations below then say why).
          func enoughReleases() -> Bool { acknowledged.releases.withLock { $0.values.reduce(0) { $0 + $1.count } } >= 20 }
          while (acknowledged.ids.withLock({ $0.count }) < enough || !enoughReleases()) && acknowledged.writersDone.load(ordering: .relaxed) < 6 {
            try await Task.sleep(for: .milliseconds(5))
          }
          kill(pid, SIGKILL)
        }
        try await group.waitForAll()
      }
      try await Self.kill9(process)
      #expect(acknowledged.refusals.withLock { $0 }.isEmpty, "a live server refused a valid registration")
      let written = acknowledged.ids.withLock { $0 }
      #expect(written.count >= enough)

      let (restarted, newPort) = try await Self.start(dataDirectory: directory.path)
      defer { kill(restarted.processIdentifier, SIGKILL) }
      let answer = try await TestClient.withClient(host: "127.0.0.1", port: newPort) { client in
        let response = try await client.get("/v1/services/Feed/instances")
        return try JSONDecoder().decode(ServiceInstances.self, from: Data((response.body ?? ByteBuffer()).readableBytesView))
      }
      let found = Set(answer.instances.map(\.id))
      #expect(written.isSubset(of: found), "lost: \(written.subtracting(found).sorted().prefix(5))")
      let halfWritten = answer.instances.filter { !$0.healthy }.map(\.id)
      #expect(halfWritten.isEmpty, "instances without their health key are half-written registrations")

      // Every acknowledged release is there with its content; releases run 1…N with no gap
      // and the one in force is N: no release was half made.
      let releases = acknowledged.releases.withLock { $0 }
      #expect(releases.count == 2)
      for (namespace, acknowledgedReleases) in releases {
        let (history, state) = try await TestClient.withClient(host: "127.0.0.1", port: newPort) { client in
          let history = try JSONDecoder().decode([ConfigRelease].self, from: Data((try await client.get(namespace + "/releases").body ?? ByteBuffer()).readableBytesView))
          let state = try JSONDecoder().decode(NamespaceState.self, from: Data((try await client.get(namespace).body ?? ByteBuffer()).readableBytesView))
          return (history, state)
        }
        let kept = Dictionary(uniqueKeysWithValues: history.map { ($0.number, $0.content) })
        for (number, content) in acknowledgedReleases { #expect(kept[number] == content, "\(namespace) release \(number)") }
        #expect(history.map(\.number).sorted() == Array(1...(history.count)), "\(namespace): releases 1…N without a gap")
        #expect(state.current?.number == history.count, "\(namespace): the release in force is the newest")
      }
      try await Self.kill9(restarted)
    }
  }
}

/// What the writers saw: registrations and releases acknowledged, refusals, writers finished.
final class Acknowledged: Sendable {
  let ids = Mutex<Set<String>>([])
  /// Acknowledged releases: namespace path → release number → content.
  let releases = Mutex<[String: [Int: String]]>([:])
  let refusals = Mutex<[String]>([])
  let writersDone = Atomic<Int>(0)
}
