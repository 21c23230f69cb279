// The C++ side of the codec benchmark: Apache Thrift's C++ library (Debian libthrift-dev)
// with code from `thrift --gen cpp` (or `--gen cpp:templates`) for the same Order.thrift,
// timed the same way as the Swift side. Built and run by Benchmarks/run-codec-bench.
//
// usage: codec_bench NAME   (NAME labels the results; "templates" builds use TBinaryProtocolT)
#include <chrono>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "Order_types.h"

using apache::thrift::transport::TMemoryBuffer;
using namespace weaverbench;

static Order sampleOrder() {
  Order order;
  order.__set_id(9876543210LL);
  order.__set_customer("Ada Lovelace <ada@example.com>");
  Address address;
  address.__set_street("12 Analytical Engine Street");
  address.__set_city("London");
  address.__set_country("United Kingdom");
  address.__set_zip(10115);
  order.__set_shipping(address);
  std::vector<Item> items;
  for (int index = 0; index < 5; index++) {
    Item item;
    item.__set_id(1000000 + index);
    item.__set_name("Mechanical keyboard, model " + std::to_string(index) + " (limited)");
    item.__set_price(129.99 + index);
    item.__set_quantity(index + 1);
    item.__set_tags({"hardware", "peripherals", "sale-" + std::to_string(index)});
    items.push_back(item);
  }
  order.__set_items(items);
  order.__set_attributes({{"channel", "web"}, {"coupon", "WINTER-2026-FREESHIP"}, {"priority", "express"}, {"gift-note", "Happy birthday!"}});
  order.__set_createdAtMs(1764000000000LL);
  order.__set_paid(true);
  order.__set_total(674.95);
  order.__set_scores({5, 4, 5, 3, 5, 5, 4, 5});
  return order;
}

// Calibrates to about 0.4 s per round, runs 7 rounds, returns the fastest ns per operation.
static double measure(const std::function<void(long)>& body) {
  using clock = std::chrono::steady_clock;
  auto seconds = [&](long iterations) {
    auto start = clock::now();
    body(iterations);
    return std::chrono::duration<double>(clock::now() - start).count();
  };
  long iterations = 1000;
  while (true) {
    double elapsed = seconds(iterations);
    if (elapsed > 0.05) {
      iterations = std::max(1L, static_cast<long>(iterations * 0.4 / elapsed));
      break;
    }
    iterations *= 4;
  }
  double best = std::numeric_limits<double>::infinity();
  for (int round = 0; round < 7; round++) best = std::min(best, seconds(iterations) / iterations);
  return best * 1e9;
}

template <class Protocol>
static void run(const char* label, const char* protocolName, bool json, bool& first) {
  const Order order = sampleOrder();
  auto buffer = std::make_shared<TMemoryBuffer>(4096);
  Protocol writer(buffer);
  order.write(&writer);
  std::string encoded = buffer->getBufferAsString();

  long sink = 0;
  double encodeNs = measure([&](long iterations) {
    for (long i = 0; i < iterations; i++) {
      buffer->resetBuffer();
      order.write(&writer);
      sink += buffer->available_read();
    }
  });

  // Each decode refills one transport with the encoding (a ~1 KB memcpy, as a framed
  // transport fills its buffer) and ends with readEnd(), as a processor's readMessageEnd does.
  auto input = std::make_shared<TMemoryBuffer>(4096);
  Protocol reader(input);
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(encoded.data());
  const uint32_t size = static_cast<uint32_t>(encoded.size());
  // A fresh Order per decode, as Apache's generated processors decode a fresh args struct per call.
  double decodeNs = measure([&](long iterations) {
    for (long i = 0; i < iterations; i++) {
      input->resetBuffer();
      input->write(bytes, size);
      Order decoded;
      decoded.read(&reader);
      input->readEnd();
      sink += decoded.items.size() + decoded.id;
    }
  });
  // Decoding into one reused Order, which keeps the capacity of its strings and vectors.
  Order reused;
  double reusedDecodeNs = measure([&](long iterations) {
    for (long i = 0; i < iterations; i++) {
      input->resetBuffer();
      input->write(bytes, size);
      reused.read(&reader);
      input->readEnd();
      sink += reused.items.size() + reused.id;
    }
  });
  if (sink == 42) std::puts("");

  if (json) {
    std::printf("%s{\"impl\":\"%s\",\"protocol\":\"%s\",\"bytes\":%zu,\"encodeNs\":%.1f,\"decodeNs\":%.1f,\"reusedDecodeNs\":%.1f}",
                first ? "" : ",", label, protocolName, encoded.size(), encodeNs, decodeNs, reusedDecodeNs);
  } else {
    std::printf("%s %s: %zu bytes, encode %.0f ns, decode %.0f ns (into a reused object: %.0f ns)\n",
                label, protocolName, encoded.size(), encodeNs, decodeNs, reusedDecodeNs);
  }
  first = false;
}

int main(int argc, char** argv) {
  const char* label = argc > 1 ? argv[1] : "cpp";
  bool json = argc > 2 && std::string(argv[2]) == "--json";
  bool first = true;
  if (json) std::printf("[");
#ifdef WEAVER_TEMPLATES
  using apache::thrift::protocol::TBinaryProtocolT;
  using apache::thrift::protocol::TCompactProtocolT;
  run<TBinaryProtocolT<TMemoryBuffer>>(label, "binary", json, first);
  run<TCompactProtocolT<TMemoryBuffer>>(label, "compact", json, first);
#else
  run<apache::thrift::protocol::TBinaryProtocol>(label, "binary", json, first);
  run<apache::thrift::protocol::TCompactProtocol>(label, "compact", json, first);
#endif
  if (json) std::printf("]\n");
  return 0;
}
