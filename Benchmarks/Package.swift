// swift-tools-version: 6.1
// Benchmarks for WormWatch, kept outside the main package so that nothing here is
// built or tested with it.
//
// - engine-bench: a plain executable that scripts/bench builds with
//     swift build -c release --package-path Benchmarks --product engine-bench
// - EngineBenchmarks, SensorBenchmarks: package-benchmark suites (the "benchmark" plugin
//   finds executable targets whose directory sits in a folder named Benchmarks: this one),
//   run and checked against the committed thresholds in Thresholds/ by scripts/bench-code.
//   See README.md.
import PackageDescription

let package = Package(
    name: "WormWatchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "WormWatch", path: ".."),
        // MallocInterposer only: malloc counts without jemalloc (Swift 6.3+); the default
        // RuntimeInterposer trait (ARC counts on Linux with Swift 6.3) is left off.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // center-load's HTTP client (already in the main package's graph).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        // Probes per second of the per-probe ReferenceEngine and the ExactEngine
        // on the same small scenario.
        .executableTarget(
            name: "engine-bench",
            dependencies: [.product(name: "Outbreak", package: "WormWatch")]
        ),
        // The Watch Center's bounded load generator (loopback only): ingest batches over HTTP,
        // read-query latencies, and the in-process preload of a month of data.
        // scripts/bench-center builds it with
        //     swift build -c release --package-path Benchmarks --product center-load
        .executableTarget(
            name: "center-load",
            dependencies: [
                .product(name: "WatchCenter", package: "WormWatch"),
                .product(name: "Sensor", package: "WormWatch"),
                .product(name: "WormWatchCore", package: "WormWatch"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the suites share: the metrics, the tolerances of the threshold check, a timer.
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "BenchmarkSupport"
        ),
        // The exact engine: full-scale Code Red v2 (one 24 h run) and a small scenario.
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "BenchmarkSupport",
                .product(name: "Outbreak", package: "WormWatch"),
                .product(name: "OutbreakScenarios", package: "WormWatch"),
            ],
            path: "EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The sensor: an Apache log and a pcap classified from memory, the NDJSON event writer.
        .executableTarget(
            name: "SensorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "BenchmarkSupport",
                .product(name: "Sensor", package: "WormWatch"),
                .product(name: "Emitters", package: "WormWatch"),
                .product(name: "Outbreak", package: "WormWatch"),
                .product(name: "OutbreakScenarios", package: "WormWatch"),
            ],
            path: "SensorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
