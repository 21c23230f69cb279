// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Settings every CloudWeaver target shares: Swift 6 language mode (the tools default),
/// strict concurrency, and explicit `any` for existentials.
let strictSwift: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
]

/// Apache's ThriftTest.thrift is fetched (scripts/fetch-thrift-idl), never committed: the
/// ThriftTest server exists once it is there.
let hasThriftTestIDL = FileManager.default.fileExists(
  atPath: Context.packageDirectory + "/Examples/ThriftTestServer/ThriftTest.thrift")

let package = Package(
  name: "CloudWeaver",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "WeaverCore", targets: ["WeaverCore"]),
    .library(name: "WeaverTelemetry", targets: ["WeaverTelemetry"]),
    .library(name: "WeaverAdmin", targets: ["WeaverAdmin"]),
    .library(name: "WeaverOTel", targets: ["WeaverOTel"]),
    .library(name: "WeaverGRPC", targets: ["WeaverGRPC"]),
    .library(name: "WeaverHTTP", targets: ["WeaverHTTP"]),
    .library(name: "WeaverRedis", targets: ["WeaverRedis"]),
    .library(name: "WeaverThrift", targets: ["WeaverThrift"]),
    .library(name: "WeaverThriftIDL", targets: ["WeaverThriftIDL"]),
    .library(name: "WeaverCodegen", targets: ["WeaverCodegen"]),
    .library(name: "WeaverDiscovery", targets: ["WeaverDiscovery"]),
    .library(name: "WeaverGovernance", targets: ["WeaverGovernance"]),
    .library(name: "WeaverRPC", targets: ["WeaverRPC"]),
    .library(name: "WeaverTesting", targets: ["WeaverTesting"]),
    .library(name: "WeaverStore", targets: ["WeaverStore"]),
    .library(name: "WeaverControlPlaneModels", targets: ["WeaverControlPlaneModels"]),
    .library(name: "WeaverControlPlane", targets: ["WeaverControlPlane"]),
    .library(name: "WeaverControlPlaneClient", targets: ["WeaverControlPlaneClient"]),
    .library(name: "WeaverConfig", targets: ["WeaverConfig"]),
    .executable(name: "weaver", targets: ["weaver"]),
    .executable(name: "weaver-thrift-gen", targets: ["weaver-thrift-gen"]),
    .executable(name: "weaver-echo-server", targets: ["weaver-echo-server"]),
    .plugin(name: "WeaverThriftPlugin", targets: ["WeaverThriftPlugin"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-service-context.git", from: "1.2.0"),
    .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.2.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
    .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0"),
    .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
    .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
    .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
  ],
  targets: [
    // base
    .target(
      name: "WeaverCore", dependencies: [.product(name: "ServiceContextModule", package: "swift-service-context")], swiftSettings: strictSwift),
    // telemetry: spans (and, next, metrics) for any transport's middleware chain; APIs only
    .target(
      name: "WeaverTelemetry",
      dependencies: [
        "WeaverCore", .product(name: "Tracing", package: "swift-distributed-tracing"), .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strictSwift
    ),

    // wire: the IDL front end (no dependencies), the protocols, the generator
    .target(name: "WeaverThriftIDL", swiftSettings: strictSwift),
    .target(
      name: "WeaverThrift",
      dependencies: ["WeaverCore", .product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: strictSwift
    ),
    .target(name: "WeaverCodegen", dependencies: ["WeaverThriftIDL"], swiftSettings: strictSwift),

    // policy: the rule model and one piece per concern (breakers, retry, limits, balancing,
    // routing, faults); protocol-agnostic, no NIO and no Thrift.
    .target(
      name: "WeaverGovernance",
      dependencies: [
        "WeaverCore",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: strictSwift
    ),

    // control: the control plane's store (etcd's shape; SQLite embedded, SQLite vendored by
    // sqlite-nio so nothing is needed from the system)
    .target(
      name: "WeaverStore",
      dependencies: [
        "WeaverCore",
        .product(name: "SQLiteNIO", package: "sqlite-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),

    .target(name: "WeaverControlPlaneModels", dependencies: ["WeaverCore"], swiftSettings: strictSwift),
    .target(
      name: "WeaverControlPlane",
      dependencies: [
        "WeaverCore", "WeaverStore", "WeaverControlPlaneModels", "WeaverGovernance",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),

    // the allocator's figures (glibc's mallinfo2, which Swift's Glibc module does not show)
    .target(name: "CWeaverHeap"),

    // admin endpoint of a process: health, readiness, Prometheus metrics (Hummingbird: kept
    // out of the runtime's build)
    .target(
      name: "WeaverAdmin",
      dependencies: [
        "WeaverCore", "WeaverTelemetry", "WeaverGovernance", "WeaverRPC", "CWeaverHeap",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),

    // export: one call bootstraps swift-otel (OTLP/HTTP and OTLP/gRPC traces, metrics, logs)
    // from flags and the standard OTEL_* variables; swift-otel pulls in grpc-swift and
    // swift-protobuf, so only the command line and users' apps depend on this module.
    .target(
      name: "WeaverOTel",
      dependencies: [
        "WeaverCore", "WeaverTelemetry",
        .product(name: "OTel", package: "swift-otel"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),

    // adapters: the governance chain, tracing, metrics and metadata over grpc-swift-2
    // (interceptors, a governed client transport, a discovery name resolver). Heavy: only
    // apps and the command line depend on it.
    .target(
      name: "WeaverGRPC",
      dependencies: [
        "WeaverCore", "WeaverDiscovery", "WeaverGovernance",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strictSwift
    ),

    // adapters: the governance chain, tracing, metrics and metadata over HTTP (Hummingbird
    // middleware and a governed async-http-client)
    .target(
      name: "WeaverHTTP",
      dependencies: [
        "WeaverCore", "WeaverDiscovery", "WeaverGovernance",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),

    // sdk: the control plane's HTTP client, the registrar and the resolver (apart from
    // WeaverDiscovery, so WeaverRPC's build does not pull in an HTTP client)
    .target(
      name: "WeaverControlPlaneClient",
      dependencies: [
        "WeaverCore", "WeaverDiscovery", "WeaverControlPlaneModels",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),

    // sdk: config from the config center (snapshots, listeners, cache file) and the
    // governance rule source over it
    .target(
      name: "WeaverConfig",
      dependencies: [
        "WeaverCore", "WeaverControlPlaneClient", "WeaverControlPlaneModels", "WeaverGovernance",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: strictSwift
    ),

    // sdk: clients of the control plane (today: the resolver contract)
    // adapters: a Redis Cluster client (RESP2/3 on SwiftNIO, slot routing, per-node pools and
    // the governance breaker)
    .target(
      name: "WeaverRedis",
      dependencies: [
        "WeaverCore", "WeaverGovernance", "WeaverTelemetry",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),
    .target(name: "WeaverDiscovery", dependencies: ["WeaverCore"], swiftSettings: strictSwift),

    // runtime
    .target(
      name: "WeaverRPC",
      dependencies: [
        "WeaverCore", "WeaverThrift", "WeaverDiscovery", "WeaverGovernance",
        .product(name: "CoreMetrics", package: "swift-metrics"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),

    // benchmarks: the echo service and the load generator behind `weaver bench`
    .target(
      name: "WeaverBench",
      dependencies: [
        "WeaverCore", "WeaverThrift", "WeaverRPC", "WeaverGovernance",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
      ],
      swiftSettings: strictSwift,
      plugins: ["WeaverThriftPlugin"]
    ),

    // benchmarks over gRPC and HTTP: the echo services (code generated once from echo.proto,
    // committed) and their load generators; apart from WeaverBench so the Thrift echo
    // server builds without grpc-swift and Hummingbird.
    .target(
      name: "WeaverBenchAdapters",
      dependencies: [
        "WeaverCore", "WeaverBench", "WeaverGovernance", "WeaverDiscovery", "WeaverGRPC", "WeaverHTTP", "WeaverRPC", "WeaverThrift",
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      exclude: ["echo.proto"],
      swiftSettings: strictSwift
    ),

    // The build plugin's tool: depends on the generator only, so plugin users build little.
    .executableTarget(
      name: "weaver-thrift-gen",
      dependencies: ["WeaverCodegen"],
      swiftSettings: strictSwift
    ),
    .plugin(
      name: "WeaverThriftPlugin",
      capability: .buildTool(),
      dependencies: ["weaver-thrift-gen"]
    ),

    // apps
    .executableTarget(
      name: "weaver",
      dependencies: [
        "WeaverCodegen",
        "WeaverThrift",
        "WeaverRPC",
        "WeaverGovernance",
        "WeaverBench",
        "WeaverBenchAdapters",
        "WeaverGRPC",
        "WeaverHTTP",
        "WeaverExampleModels",
        "WeaverStore",
        "WeaverControlPlane",
        "WeaverControlPlaneClient",
        "WeaverControlPlaneModels",
        "WeaverConfig",
        "WeaverTelemetry",
        "WeaverAdmin",
        "WeaverOTel",
        "WeaverRedis",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),
    // The benchmark echo server alone, without the command line's code (see its main.swift).
    .executableTarget(
      name: "weaver-echo-server",
      dependencies: [
        "WeaverRPC",
        "WeaverBench",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      swiftSettings: strictSwift
    ),
    .target(
      name: "WeaverExampleModels",
      dependencies: ["WeaverThrift"],
      path: "Examples/Models",
      swiftSettings: strictSwift,
      plugins: ["WeaverThriftPlugin"]
    ),

    // The code samples of the README and docs/runtime.md, compiled (DocSnippetTests checks
    // that the pages show them as they are here).
    .target(
      name: "WeaverSamples",
      dependencies: [
        "WeaverCore", "WeaverRPC", "WeaverThrift", "WeaverGovernance", "WeaverDiscovery", "WeaverControlPlaneClient",
        "WeaverControlPlaneModels", "WeaverConfig", "WeaverTelemetry", "WeaverRedis",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      path: "Examples/Samples",
      swiftSettings: strictSwift + [.unsafeFlags(["-warnings-as-errors"])],
      plugins: ["WeaverThriftPlugin"]
    ),

    // What users' tests need too: a manual clock, an in-process server, a scripted resolver.
    .target(
      name: "WeaverTesting",
      dependencies: ["WeaverCore", "WeaverDiscovery", "WeaverGovernance", "WeaverRPC", "WeaverThrift"],
      swiftSettings: strictSwift
    ),

    // tests
    .target(
      name: "WeaverTestSupport",
      dependencies: [.product(name: "NIOCore", package: "swift-nio")],
      path: "Tests/WeaverTestSupport",
      swiftSettings: strictSwift
    ),
    .testTarget(name: "WeaverCoreTests", dependencies: ["WeaverCore"], swiftSettings: strictSwift),
    .testTarget(
      name: "WeaverGovernanceTests",
      dependencies: ["WeaverGovernance", "WeaverCore", "WeaverTesting", "WeaverTestSupport"],
      exclude: ["RuleFiles"],
      swiftSettings: strictSwift + [.unsafeFlags(["-warnings-as-errors"])]
    ),
    .testTarget(name: "WeaverTestingTests", dependencies: ["WeaverTesting"], swiftSettings: strictSwift),
    // The Store conformance suite: every Store implementation's tests run it unchanged.
    .target(
      name: "WeaverStoreConformance",
      dependencies: ["WeaverStore"],
      path: "Tests/WeaverStoreConformance",
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverControlPlaneTests",
      dependencies: [
        "WeaverControlPlane", "WeaverControlPlaneModels", "WeaverControlPlaneClient", "WeaverStore", "WeaverTesting", "WeaverCore",
        "WeaverTestSupport", "WeaverDiscovery", "WeaverConfig", "WeaverGovernance",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverAdminTests",
      dependencies: [
        "WeaverAdmin", "WeaverTelemetry", "WeaverRPC", "WeaverBench", "WeaverCore", "WeaverTestSupport",
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverOTelTests",
      dependencies: [
        "WeaverOTel", "WeaverTelemetry", "WeaverRPC", "WeaverBench", "WeaverCore", "WeaverTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "MetricsTestKit", package: "swift-metrics"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),
    // The Redis client against real redis-server processes (a 6-node cluster, standalone
    // servers) and redis-py as an independent reader.
    .testTarget(
      name: "WeaverRedisTests",
      dependencies: [
        "WeaverRedis", "WeaverCore", "WeaverGovernance", "WeaverTestSupport", "WeaverTesting", "WeaverTelemetry",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
        .product(name: "MetricsTestKit", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),
    // The gRPC and HTTP adapters, over real sockets and with real peers (grpcio, curl), and
    // the edge → Thrift → gRPC chain of real processes.
    .testTarget(
      name: "WeaverAdapterTests",
      dependencies: [
        "WeaverGRPC", "WeaverHTTP", "WeaverBenchAdapters", "WeaverGovernance", "WeaverCore", "WeaverDiscovery", "WeaverTestSupport",
        "WeaverTesting", "WeaverTelemetry",
        .product(name: "MetricsTestKit", package: "swift-metrics"),
        .product(name: "GRPCCore", package: "grpc-swift-2"),
        .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverStoreTests",
      dependencies: ["WeaverStore", "WeaverStoreConformance", "WeaverTesting", "WeaverCore"],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverRPCTests",
      dependencies: [
        "WeaverRPC", "WeaverThrift", "WeaverCore", "WeaverDiscovery", "WeaverTestSupport", "WeaverBench", "WeaverSamples",
        "WeaverGovernance", "WeaverTesting", "WeaverTelemetry",
        .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
        .product(name: "MetricsTestKit", package: "swift-metrics"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strictSwift + [.unsafeFlags(["-warnings-as-errors"])],
      plugins: ["WeaverThriftPlugin"]
    ),
    .testTarget(
      name: "WeaverThriftIDLTests",
      dependencies: ["WeaverThriftIDL"],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverThriftTests",
      dependencies: ["WeaverThrift", "WeaverTestSupport", .product(name: "NIOCore", package: "swift-nio")],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverCodegenTests",
      dependencies: ["WeaverCodegen", "WeaverThrift", "WeaverTestSupport"],
      exclude: ["Golden"],
      swiftSettings: strictSwift
    ),
    .testTarget(
      name: "WeaverGeneratedTests",
      dependencies: ["WeaverThrift", "WeaverTestSupport", .product(name: "NIOCore", package: "swift-nio")],
      // Generated code must compile without a single warning.
      swiftSettings: strictSwift + [.unsafeFlags(["-warnings-as-errors"])],
      plugins: ["WeaverThriftPlugin"]
    ),
  ]
)

if hasThriftTestIDL {
  package.targets.append(
    .executableTarget(
      name: "weaver-thrifttest-server",
      dependencies: [
        "WeaverRPC", "WeaverThrift",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      path: "Examples/ThriftTestServer",
      swiftSettings: strictSwift,
      plugins: ["WeaverThriftPlugin"]
    ))
  package.products.append(.executable(name: "weaver-thrifttest-server", targets: ["weaver-thrifttest-server"]))
}
