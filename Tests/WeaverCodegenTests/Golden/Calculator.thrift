/**
 * A small service, the golden file for services, exceptions, enums and typedefs.
 */
include "Shapes.thrift"

typedef i64 RequestId

enum Operation {
  ADD = 1,
  /** Subtracts the second from the first. */
  SUBTRACT,
  DIVIDE = 4,
}

exception DivideByZero {
  1: string message,
}

/** The calculator. */
service Calculator {
  void ping(),
  i64 compute(1: RequestId id, 2: Operation op, 3: i64 left, 4: i64 right) throws (1: DivideByZero error),
  double area(1: Shapes.Shape shape, 2: double scale = 1.0),
  oneway void log(1: optional string line),
}
