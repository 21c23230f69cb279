import Foundation

/// Hand-drawn SVG for the console: sparklines, a trace's waterfall, the call graph. Only
/// numbers and escaped text go into the markup (geometry as attributes, no inline style,
/// which the content security policy forbids).
enum SVGCharts {
  /// A sparkline's points (`x,y …`) over `width` × `height`, scaled to the largest value
  /// (or `floor`, whichever is larger); a missing value breaks nothing, it is drawn as 0.
  struct Sparkline {
    var points: String
    var width: Int
    var height: Int
    var peak: String
  }

  static func sparkline(_ values: [Double?], width: Int = 240, height: Int = 36, floor: Double = 1e-9, unit: (Double) -> String) -> Sparkline {
    let top = max(floor, values.compactMap { $0 }.max() ?? 0)
    let step = values.count > 1 ? Double(width) / Double(values.count - 1) : 0
    let points = values.enumerated().map { index, value in
      let y = Double(height - 2) - (value ?? 0) / top * Double(height - 4)
      return String(format: "%.1f,%.1f", Double(index) * step, y)
    }
    return Sparkline(points: points.joined(separator: " "), width: width, height: height, peak: unit(values.compactMap { $0 }.max() ?? 0))
  }

  /// One bar of a waterfall, in a 1000-wide view box.
  struct Bar {
    var x: String
    var width: String
    var y: Int
    var textY: Int
    var label: String
    var kind: String
    var isError: Bool
  }

  static let rowHeight = 22

  /// Each span as a bar placed by its start and length within the trace, one row each, in
  /// the order given (parents before children).
  static func waterfall(_ spans: [(span: SpanRecord, depth: Int)]) -> (bars: [Bar], height: Int) {
    let start = spans.map(\.span.startNanos).min() ?? 0
    let end = max(spans.map(\.span.endNanos).max() ?? start, start + 1)
    let scale = 1000 / Double(end - start)
    let bars = spans.enumerated().map { row, entry in
      let x = Double(entry.span.startNanos &- start) * scale
      let width = max(2, Double(entry.span.durationNanos) * scale)
      return Bar(
        x: String(format: "%.1f", x), width: String(format: "%.1f", min(width, 1000 - x)), y: row * rowHeight + 4, textY: row * rowHeight + 18,
        label: "\(String(repeating: "· ", count: entry.depth))\(entry.span.service): \(entry.span.name) — \(ConsoleFormat.milliseconds(entry.span.durationNanos))",
        kind: entry.span.kind, isError: entry.span.isError)
    }
    return (bars, spans.count * rowHeight + 8)
  }

  /// A box of the call graph.
  struct Node {
    var name: String
    var href: String
    var x: Int
    var y: Int
    var textX: Int
    var textY: Int
  }

  /// An arrow between two boxes, with its rate.
  struct Edge {
    var x1: Int
    var y1: Int
    var x2: Int
    var y2: Int
    var labelX: Int
    var labelY: Int
    var label: String
    var hasErrors: Bool
  }

  struct Graph {
    var nodes: [Node]
    var edges: [Edge]
    var width: Int
    var height: Int
  }

  static let nodeWidth = 170
  static let nodeHeight = 30

  /// Services in columns by how far down the call chains they sit (callers left), each
  /// arrow labelled with its calls per second and errors.
  static func graph(edges: [(caller: String, callee: String, label: String, hasErrors: Bool)], href: (String) -> String) -> Graph {
    let names = Array(Set(edges.flatMap { [$0.caller, $0.callee] })).sorted()
    var layer = Dictionary(uniqueKeysWithValues: names.map { ($0, 0) })
    // Longest path from a caller nobody calls; a cycle stops after as many rounds as nodes.
    for _ in 0..<names.count {
      var changed = false
      for edge in edges where layer[edge.callee]! < layer[edge.caller]! + 1 && layer[edge.caller]! + 1 < names.count {
        layer[edge.callee] = layer[edge.caller]! + 1
        changed = true
      }
      if !changed { break }
    }
    var rows: [Int: Int] = [:]
    var positions: [String: (Int, Int)] = [:]
    var nodes: [Node] = []
    for name in names {
      let column = layer[name]!
      let row = rows[column, default: 0]
      rows[column] = row + 1
      let (x, y) = (20 + column * (nodeWidth + 110), 20 + row * 70)
      positions[name] = (x, y)
      nodes.append(Node(name: name, href: href(name), x: x, y: y, textX: x + 10, textY: y + 20))
    }
    let arrows = edges.map { edge -> Edge in
      let (from, to) = (positions[edge.caller]!, positions[edge.callee]!)
      let (x1, y1, x2, y2) = (from.0 + nodeWidth, from.1 + nodeHeight / 2, to.0, to.1 + nodeHeight / 2)
      return Edge(x1: x1, y1: y1, x2: x2, y2: y2, labelX: (x1 + x2) / 2 - 40, labelY: (y1 + y2) / 2 - 6, label: edge.label, hasErrors: edge.hasErrors)
    }
    let width = (nodes.map(\.x).max() ?? 0) + nodeWidth + 20
    let height = (nodes.map(\.y).max() ?? 0) + nodeHeight + 20
    return Graph(nodes: nodes, edges: arrows, width: width, height: height)
  }
}
