// The service the RPC interop tests run between CloudWeaver and Apache Thrift's Python
// library (Tests/PythonPeer/interop.py), in both directions.
namespace py interop

exception Oops {
  1: i32 code,
  2: string message,
}

struct Payload {
  1: string text,
  2: list<i32> numbers,
  3: map<string, string> extra,
  4: binary blob,
}

service InteropService {
  Payload echo(1: Payload payload),
  i64 add(1: i64 a, 2: i64 b),
  void fail(1: i32 code) throws (1: Oops oops),
  /** Returns after `millis` milliseconds (or when cancelled). */
  string slow(1: i32 millis),
  oneway void notify(1: string message),
  /** The metadata the server saw, for metadata tests. */
  map<string, string> seen(),
}

service SecondService {
  string second(1: string text),
}
