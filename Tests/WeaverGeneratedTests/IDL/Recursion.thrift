/** A linked list: a struct that contains itself. */
struct ListNode {
  1: i32 value,
  2: optional ListNode next,
}

/** A tree: recursion through a container needs no indirection. */
struct TreeNode {
  1: string label,
  2: list<TreeNode> children,
}

/** Two structs that contain each other. */
struct Ping {
  1: i32 count,
  2: optional Pong pong,
}

struct Pong {
  1: i32 count,
  2: Ping ping,
}

/** An expression tree: a union that contains itself through a struct. */
union Expression {
  1: i64 literal,
  2: BinaryOperation operation,
  3: Expression negated,
}

struct BinaryOperation {
  1: string operator,
  2: Expression left,
  3: Expression right,
}

struct Deep1 { 1: Deep2 next }
struct Deep2 { 1: Deep3 next }
struct Deep3 { 1: Deep4 next }
struct Deep4 { 1: Deep5 next }
struct Deep5 { 1: Deep6 next }
struct Deep6 { 1: Deep7 next }
struct Deep7 { 1: Deep8 next }
struct Deep8 { 1: string bottom }
