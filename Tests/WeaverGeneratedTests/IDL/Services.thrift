include "Shared.thrift"

exception InvalidOperation {
  1: i32 whatOp,
  2: string why,
}

exception Overloaded {
  1: i32 retryAfterMs,
}

enum Operation {
  ADD = 1,
  SUBTRACT = 2,
  MULTIPLY = 3,
  DIVIDE = 4,
}

struct Work {
  1: i32 num1 = 0,
  2: i32 num2,
  3: Operation op,
  4: optional string comment,
}

/** A calculator, after Apache Thrift's tutorial. */
service Calculator extends Shared.SharedService {
  /** Does nothing, successfully. */
  void ping(),

  i32 add(1: i32 num1, 2: i32 num2),

  i32 calculate(1: i32 logid, 2: Work w) throws (1: InvalidOperation ouch, 2: Overloaded busy),

  oneway void zip(),

  list<Shared.SharedStruct> history(1: optional i32 limit),

  void fail(1: string how) throws (1: InvalidOperation ouch),
}

/** A service extending a service that extends another. */
service ScientificCalculator extends Calculator {
  double power(1: double base, 2: double exponent),
}

service Empty {}
