import WeaverThriftIDL

/// Finds structs, unions and exceptions that contain themselves through fields that are not
/// containers (arrays, sets and dictionaries already live on the heap). Swift value types
/// cannot do that directly, so those fields are stored behind `ThriftIndirect` and those
/// unions become `indirect enum`s.
struct RecursionAnalysis {
  /// Each type's strongly connected component; types in no cycle are absent.
  private var component: [ThriftQualifiedName: Int] = [:]

  init(program: ThriftProgram) {
    var edges: [ThriftQualifiedName: [ThriftQualifiedName]] = [:]
    for key in program.order {
      for definition in program.documents[key]?.definitions ?? [] {
        guard case .struct(let structure) = definition else { continue }
        let name = ThriftQualifiedName(document: key, name: structure.name)
        edges[name] = structure.fields.compactMap { field in
          guard let type = try? program.resolve(field.type, in: key), case .structure(let target, _) = type.underlying else { return nil }
          return target
        }
      }
    }
    component = Self.cyclicComponents(edges)
  }

  func inSameCycle(_ a: ThriftQualifiedName, _ b: ThriftQualifiedName) -> Bool {
    guard let first = component[a], let second = component[b] else { return false }
    return first == second
  }

  func isRecursive(_ name: ThriftQualifiedName) -> Bool { component[name] != nil }

  /// Tarjan's algorithm; keeps components with a cycle (several nodes, or a self-edge).
  private static func cyclicComponents(_ edges: [ThriftQualifiedName: [ThriftQualifiedName]]) -> [ThriftQualifiedName: Int] {
    var index = 0
    var indices: [ThriftQualifiedName: Int] = [:]
    var lowLinks: [ThriftQualifiedName: Int] = [:]
    var stack: [ThriftQualifiedName] = []
    var onStack: Set<ThriftQualifiedName> = []
    var result: [ThriftQualifiedName: Int] = [:]
    var componentCount = 0

    func visit(_ node: ThriftQualifiedName) {
      indices[node] = index
      lowLinks[node] = index
      index += 1
      stack.append(node)
      onStack.insert(node)
      for next in edges[node] ?? [] {
        if indices[next] == nil {
          visit(next)
          lowLinks[node] = min(lowLinks[node]!, lowLinks[next]!)
        } else if onStack.contains(next) {
          lowLinks[node] = min(lowLinks[node]!, indices[next]!)
        }
      }
      guard lowLinks[node] == indices[node] else { return }
      var members: [ThriftQualifiedName] = []
      while let top = stack.popLast() {
        onStack.remove(top)
        members.append(top)
        if top == node { break }
      }
      if members.count > 1 || (edges[node] ?? []).contains(node) {
        for member in members { result[member] = componentCount }
        componentCount += 1
      }
    }

    for node in edges.keys.sorted() where indices[node] == nil { visit(node) }
    return result
  }
}
