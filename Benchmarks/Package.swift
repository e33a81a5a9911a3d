// swift-tools-version: 6.0
// Benchmarks for WormWatch, kept outside the main package so that nothing here is
// built or tested with it. scripts/bench builds this with
//   swift build -c release --package-path Benchmarks
import PackageDescription

let package = Package(
    name: "WormWatchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "WormWatch", path: ".."),
    ],
    targets: [
        // Probes per second of the per-probe ReferenceEngine and the ExactEngine
        // on the same small scenario.
        .executableTarget(
            name: "engine-bench",
            dependencies: [.product(name: "Outbreak", package: "WormWatch")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
