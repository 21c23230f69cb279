// swift-tools-version:6.1
// Benchmarks live in their own package so that building CloudWeaver (and its tests) does
// not build them. Run them with Benchmarks/run-codec-bench.
import PackageDescription

let package = Package(
  name: "CloudWeaverBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "CloudWeaver", path: ".."),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
  ],
  targets: [
    .executableTarget(
      name: "CodecBenchmark",
      dependencies: [
        "BenchmarkSupport",
        .product(name: "WeaverThrift", package: "CloudWeaver"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      plugins: [.plugin(name: "WeaverThriftPlugin", package: "CloudWeaver")]
    ),
    .executableTarget(
      name: "GovernanceBenchmark",
      dependencies: [
        "BenchmarkSupport", .product(name: "WeaverCore", package: "CloudWeaver"), .product(name: "WeaverGovernance", package: "CloudWeaver"),
        .product(name: "WeaverRPC", package: "CloudWeaver"), .product(name: "NIOCore", package: "swift-nio"),
      ]
    ),
    .target(name: "BenchmarkSupport"),
    .executableTarget(
      name: "RawEchoServer",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ]
    ),
  ]
)
