/**
 * Base and container type names used as field and argument names, which Apache Thrift
 * accepts since THRIFT-5626.
 */

/** Every type word names a field of its own type. */
struct BaseTypeNames {
  1: bool bool,
  2: byte byte,
  3: i8 i8,
  4: i16 i16,
  5: i32 i32,
  6: i64 i64,
  7: double double,
  8: string string,
  9: binary binary,
  10: uuid uuid,
  11: list<string> list,
  12: map<string, i32> map,
  13: set<i8> set,
}

/** Type words naming fields of other types, with defaults and requiredness. */
struct CrossedTypeNames {
  1: string i32 = "thirty-two",
  2: i32 string = 7,
  3: optional uuid binary,
  4: optional list<BaseTypeNames> map,
  5: required map<string, list<i64>> list,
  6: set<string> uuid = ["a"],
  7: BaseTypeUnion double,
}

union BaseTypeUnion {
  1: string string,
  2: i64 i64,
  3: list<i32> list,
  4: uuid uuid,
}

exception BaseTypeError {
  1: string string,
  2: i32 i32,
}

service BaseTypeService {
  string echo(1: string string, 2: byte byte, 3: uuid uuid, 4: binary binary = "b") throws (1: BaseTypeError set),
  BaseTypeNames mirror(1: BaseTypeNames map, 2: list<i64> list, 3: optional set<string> set, 4: bool bool = true),
  oneway void send(1: double double, 2: i16 i16),
}
