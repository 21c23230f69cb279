// The representative struct of the codec benchmark: nested structs, strings of several
// lengths, lists, a map; about 1 KB in the binary protocol. Swift and Apache C++ encode
// and decode the same value (see Benchmarks/README.md).
namespace cpp weaverbench

struct Address {
  1: string street,
  2: string city,
  3: string country,
  4: i32 zip,
}

struct Item {
  1: i64 id,
  2: string name,
  3: double price,
  4: i32 quantity,
  5: list<string> tags,
}

struct Order {
  1: i64 id,
  2: string customer,
  3: Address shipping,
  4: list<Item> items,
  5: map<string, string> attributes,
  6: i64 createdAtMs,
  7: bool paid,
  8: double total,
  9: list<i32> scores,
}
