import Testing
import WeaverCore
import WeaverTesting

@Suite struct ScriptedResolverTests {
  @Test func followersSeeTheCurrentSetThenEveryChange() async throws {
    let a = Instance(host: "10.0.0.1", port: 1), b = Instance(host: "10.0.0.2", port: 2)
    let resolver = ScriptedResolver([a, b])
    var updates = resolver.updates().makeAsyncIterator()
    #expect(try await updates.next() == [a, b])
    resolver.set([a])
    #expect(try await updates.next() == [a])
    resolver.fail(CancellationError())
    await #expect(throws: CancellationError.self) { _ = try await updates.next() }
  }
}
