// The corpus the Python cross-check (Tests/PythonPeer/crosscheck.py) and
// WeaverGeneratedTests share: every Thrift type, so that our encodings can be compared
// byte for byte with Apache Thrift's Python library in both protocols.
namespace py crosscheck

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 4,
}

struct Scalars {
  1: bool flag,
  2: i8 tiny,
  3: i16 small,
  4: i32 medium,
  5: i64 large,
  6: double ratio,
  7: string text,
  8: binary blob,
}

struct Inner {
  1: i32 id,
  2: string name,
}

union Choice {
  1: i32 number,
  2: string word,
  3: Inner inner,
}

exception Failure {
  1: i32 code,
  2: string reason,
}

struct Containers {
  1: list<i32> ints,
  2: list<string> strings,
  3: list<bool> flags,
  4: set<i16> shorts,
  5: map<string, i64> counters,
  6: list<list<i32>> matrix,
  7: map<i32, list<string>> groups,
  8: list<Inner> inners,
  9: map<string, Inner> byName,
  10: set<string> tags,
  11: list<double> doubles,
  12: list<binary> blobs,
  13: list<Color> colors,
}

struct Requiredness {
  1: required i32 must,
  2: optional string maybe,
  3: i32 plain,
  4: optional Inner nested,
  5: required bool yes,
  6: optional i64 withDefault = 42,
}

struct Everything {
  1: Scalars scalars,
  2: Containers containers,
  3: Choice choice,
  4: Color color,
  5: Requiredness requiredness,
  6: optional Failure failure,
  // Field ids that need the compact protocol's long form.
  100: i32 farField,
  -1: i16 negativeField,
  32767: bool lastField,
}
