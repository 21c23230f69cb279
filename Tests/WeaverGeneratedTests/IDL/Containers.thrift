enum Suit { CLUBS, DIAMONDS, HEARTS, SPADES }

struct Card {
  1: Suit suit,
  2: i8 rank,
}

/** Every container of every element kind, nested several ways. */
struct AllContainers {
  1: list<bool> bools,
  2: list<i8> bytes,
  3: list<i16> shorts,
  4: list<i32> ints,
  5: list<i64> longs,
  6: list<double> doubles,
  7: list<string> strings,
  8: list<binary> blobs,
  9: list<uuid> ids,
  10: list<Suit> suits,
  11: list<Card> cards,
  12: set<bool> boolSet,
  13: set<i8> byteSet,
  14: set<double> doubleSet,
  15: set<string> stringSet,
  16: set<binary> blobSet,
  17: set<Suit> suitSet,
  18: set<Card> cardSet,
  19: map<bool, bool> boolMap,
  20: map<i64, double> longDoubleMap,
  21: map<string, binary> stringBlobMap,
  22: map<binary, string> blobStringMap,
  23: map<Suit, list<Card>> hands,
  24: map<Card, Suit> cardMap,
  25: map<uuid, Card> byID,
  26: list<list<list<i32>>> cube,
  27: list<map<string, set<i32>>> mixed,
  28: map<set<i32>, map<list<string>, set<Suit>>> keyedByContainers,
  29: set<list<map<i32, string>>> setOfLists,
  30: map<string, map<string, map<string, i32>>> threeLevels,
  31: optional list<Card> maybeCards,
  32: uuid id,
}
