/**
 * Names that are Swift keywords, shadow standard types, or collide after conversion.
 */

/** A struct whose fields are all Swift keywords. */
struct Keywords {
  1: i32 class,
  2: i32 func,
  3: i32 protocol,
  4: i32 self,
  5: i32 Type,
  6: i32 init,
  7: i32 default,
  8: i32 in,
  9: i32 is,
  10: i32 as,
  11: i32 return,
  12: i32 rethrows,
  13: i32 actor,
  14: i32 await,
  15: i32 let,
  16: i32 var,
  17: i32 where,
  18: i32 Self,
  19: i32 Any,
  20: i32 extension,
  21: i32 import,
  22: i32 operator,
  23: i32 subscript,
  24: i32 repeat,
  25: i32 inout,
  26: i32 some,
  27: i32 any,
  28: i32 deinit,
  29: i32 internal,
  30: i32 public,
  31: i32 static,
  32: i32 nil,
  33: i32 super,
  34: i32 reader,
  35: i32 writer,
  36: i32 field,
  37: i32 scope,
  38: i32 value,
  39: i32 hashValue,
  40: i32 _underscore,
  41: i32 guard,
  42: i32 switch,
  43: i32 case,
}

/** Types named like standard Swift types get a trailing underscore. */
struct String {
  1: string value,
}

struct Data {
  1: binary value,
}

exception Error {
  1: String text,
  2: Data blob,
}

/** Fields that collide once converted keep their IDL names. */
struct Collisions {
  1: i32 user_id,
  2: i32 userId,
  3: i32 USER_ID,
  4: i32 userID,
}

struct HTTPServerConfig {
  1: string base_url,
  2: list<string> host_ids,
  3: i32 max_qps,
  4: string json_body,
}

enum KeywordEnum {
  default = 0,
  self = 1,
  init = 2,
  Type = 3,
  rawValue = 4,
  unrecognized = 5,
  allCases = 6,
  ME2_2 = 7,
  ME22 = 8,
}

union KeywordUnion {
  1: i32 default,
  2: string self,
  3: KeywordEnum case,
  4: i32 write,
}

service protocol {
  i32 func(1: i32 in, 2: i32 let, 3: string default),
  void self(1: Keywords class),
  KeywordUnion channel(1: KeywordUnion init) throws (1: Error error),
}
