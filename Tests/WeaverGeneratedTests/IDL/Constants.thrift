include "Containers.thrift"

const i8 TINY = -128
const i16 SMALL = 0x7fff
const i32 MEDIUM = -0x10
const i64 LARGE = 9223372036854775807
const i64 SMALLEST = -9223372036854775808
const double PI = 3.14159
const double BIG = 1e100
const double FROM_INT = 7
const bool YES = true
const bool NO = 0
const string GREETING = "hello \"world\"\n\ttabbed 'quoted' \\ done"
const string SINGLE = 'single-quoted'
const binary MAGIC = "magic\tbytes"
const uuid NIL_ID = "00000000-0000-0000-0000-000000000000"
const uuid SOME_ID = "{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}"
const list<i32> PRIMES = [2, 3, 5, 7, 11];
const set<string> NAMES = ["ann", "bob", "ann"]
const map<string, i32> AGES = {"ann": 31, "bob": 42, "ann": 32}
const map<i32, list<string>> NESTED = {1: ["a"], 2: ["b", "c"], 3: []}
const Containers.Suit BEST = Containers.Suit.SPADES
const list<Containers.Suit> SUITS = [Containers.Suit.CLUBS, Containers.Suit.HEARTS]
const i32 COPY_OF_MEDIUM = MEDIUM
const Containers.Card ACE = {"suit": Containers.Suit.SPADES, "rank": 1}
const list<Containers.Card> HAND = [{"suit": Containers.Suit.HEARTS, "rank": 10}, ACE]
const map<Containers.Suit, Containers.Card> BY_SUIT = {Containers.Suit.CLUBS: {"rank": 2}}
const set<i32> EMPTY_SET = {}
const map<string, string> EMPTY_MAP = {}
const double NEGATIVE = -2.5e-3

struct WithDefaults {
  1: i32 count = 10,
  2: string name = "unnamed",
  3: list<i32> values = [1, 2, 3],
  4: optional bool enabled = true,
  5: Containers.Suit suit = Containers.Suit.HEARTS,
  6: Containers.Card card = {"suit": Containers.Suit.DIAMONDS, "rank": 12},
  7: required i64 id = LARGE,
  8: map<string, set<i32>> index = {"odd": [1, 3], "even": []},
  9: double ratio = 1,
  10: binary raw = "raw",
  11: uuid ref = "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
}

union Setting {
  1: i32 number,
  2: string text,
}

const Setting DEFAULT_SETTING = {"text": "on"}
