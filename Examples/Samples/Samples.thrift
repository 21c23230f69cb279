// The services the README and docs/runtime.md show: their code samples live in this
// target and are compiled (and checked against the docs) by the test suite.
exception DivideByZero { 1: string message }

service Calculator {
  i64 divide(1: i64 dividend, 2: i64 divisor) throws (1: DivideByZero error)
}

service Stats {
  i64 callsServed()
}
