/// The value both benchmarks encode and decode (the C++ side builds the same one).
enum SampleOrder {
  static let order: Order = {
    let items = (0..<5).map { index in
      Item(
        id: 1_000_000 + Int64(index), name: "Mechanical keyboard, model \(index) (limited)",
        price: 129.99 + Double(index), quantity: Int32(index + 1),
        tags: ["hardware", "peripherals", "sale-\(index)"])
    }
    return Order(
      id: 9_876_543_210, customer: "Ada Lovelace <ada@example.com>",
      shipping: Address(street: "12 Analytical Engine Street", city: "London", country: "United Kingdom", zip: 10_115),
      items: items,
      attributes: ["channel": "web", "coupon": "WINTER-2026-FREESHIP", "priority": "express", "gift-note": "Happy birthday!"],
      createdAtMs: 1_764_000_000_000, paid: true, total: 674.95, scores: [5, 4, 5, 3, 5, 5, 4, 5])
  }()

  /// How many values in `order` own heap storage in Swift: strings longer than 15 UTF-8
  /// bytes (shorter ones are stored inline), and non-empty arrays and dictionaries. A decode
  /// that allocates once per such value allocates nothing per field beyond the values.
  static func heapBackedValues(_ order: Order) -> Int {
    func string(_ value: String) -> Int { value.utf8.count > 15 ? 1 : 0 }
    var count = string(order.customer)
    if let shipping = order.shipping {
      count += string(shipping.street) + string(shipping.city) + string(shipping.country)
    }
    count += order.items.isEmpty ? 0 : 1
    for item in order.items {
      count += string(item.name) + (item.tags.isEmpty ? 0 : 1) + item.tags.map(string).reduce(0, +)
    }
    count += order.attributes.isEmpty ? 0 : 1
    count += order.attributes.map { string($0.key) + string($0.value) }.reduce(0, +)
    count += order.scores.isEmpty ? 0 : 1
    return count
  }
}
