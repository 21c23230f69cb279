/// Two texts side by side, line against line, from their longest common subsequence: what
/// the console's release diff shows. Texts too large for the table (more than
/// ``maxCells`` line pairs) are compared by their common start and end only, the middle
/// shown as replaced.
enum LineDiff {
  static let maxCells = 4_000_000

  enum Kind: String {
    case same, changed, removed, added
  }

  struct Row {
    var kind: Kind
    var leftNumber: Int?
    var left: String
    var rightNumber: Int?
    var right: String
  }

  static func rows(_ old: String, _ new: String) -> [Row] {
    let a = lines(old)
    let b = lines(new)
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
    var rows = (0..<prefix).map { Row(kind: .same, leftNumber: $0 + 1, left: a[$0], rightNumber: $0 + 1, right: b[$0]) }
    let middleA = Array(a[prefix..<(a.count - suffix)])
    let middleB = Array(b[prefix..<(b.count - suffix)])
    rows += middle(middleA, middleB, offsetA: prefix, offsetB: prefix)
    rows += (0..<suffix).map { index in
      let i = a.count - suffix + index
      let j = b.count - suffix + index
      return Row(kind: .same, leftNumber: i + 1, left: a[i], rightNumber: j + 1, right: b[j])
    }
    return rows
  }

  /// The text's lines; a final newline ends the last line and starts none.
  static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// The differing middle: matched lines from the LCS table, the unmatched runs between
  /// them paired up as changed lines, the rest removed or added.
  private static func middle(_ a: [String], _ b: [String], offsetA: Int, offsetB: Int) -> [Row] {
    var pairs: [(Int, Int)] = []
    if a.count * b.count <= maxCells && !a.isEmpty && !b.isEmpty {
      var table = [[Int32]](repeating: [Int32](repeating: 0, count: b.count + 1), count: a.count + 1)
      for i in stride(from: a.count - 1, through: 0, by: -1) {
        for j in stride(from: b.count - 1, through: 0, by: -1) {
          table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
        }
      }
      var (i, j) = (0, 0)
      while i < a.count && j < b.count {
        if a[i] == b[j] {
          pairs.append((i, j))
          i += 1
          j += 1
        } else if table[i + 1][j] >= table[i][j + 1] {
          i += 1
        } else {
          j += 1
        }
      }
    }
    var rows: [Row] = []
    var (i, j) = (0, 0)
    for (matchA, matchB) in pairs + [(a.count, b.count)] {
      let gapA = Array(i..<matchA)
      let gapB = Array(j..<matchB)
      for index in 0..<max(gapA.count, gapB.count) {
        let left = index < gapA.count ? gapA[index] : nil
        let right = index < gapB.count ? gapB[index] : nil
        rows.append(
          Row(
            kind: left != nil && right != nil ? .changed : left != nil ? .removed : .added,
            leftNumber: left.map { $0 + offsetA + 1 }, left: left.map { a[$0] } ?? "",
            rightNumber: right.map { $0 + offsetB + 1 }, right: right.map { b[$0] } ?? ""))
      }
      if matchA < a.count {
        rows.append(Row(kind: .same, leftNumber: matchA + offsetA + 1, left: a[matchA], rightNumber: matchB + offsetB + 1, right: b[matchB]))
      }
      (i, j) = (matchA + 1, matchB + 1)
    }
    return rows
  }
}
