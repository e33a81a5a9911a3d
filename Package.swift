// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "WormWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wormwatch", targets: ["wormwatch"]),
        .library(name: "WormWatchCore", targets: ["WormWatchCore"]),
        .library(name: "Outbreak", targets: ["Outbreak"]),
        .library(name: "EpidemicModels", targets: ["EpidemicModels"]),
        .library(name: "Charts", targets: ["Charts"]),
        .library(name: "OutbreakScenarios", targets: ["OutbreakScenarios"]),
        .library(name: "OutbreakStudies", targets: ["OutbreakStudies"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Sensor", targets: ["Sensor"]),
        .library(name: "Emitters", targets: ["Emitters"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // What every part shares: UTC time, IPv4 addresses and prefixes, JSON/CSV/table
        // writers, the YAML walker of the file formats, exit statuses, POSIX calls.
        .target(name: "WormWatchCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The outbreak engine: address space, populations, worms, host events,
        // monitors, the exact event-driven engine and the per-probe reference.
        // Optimised even in debug builds: the statistical tests run thousands of outbreaks.
        .target(name: "Outbreak", dependencies: ["WormWatchCore"]),
        // Analytic worm models (logistic, AAWP, two-factor), their solvers, and fitting them
        // to observed series.
        .target(name: "EpidemicModels", dependencies: ["WormWatchCore"]),
        // The scenario file format (YAML) and the built-in presets.
        .target(name: "OutbreakScenarios", dependencies: ["Outbreak", "WormWatchCore", .product(name: "Yams", package: "Yams")]),
        // Studies of outbreaks as a library: simulations, parameter sweeps and validation
        // against the published record (the work behind simulate, sweep and validate).
        .target(name: "OutbreakStudies", dependencies: ["Outbreak", "OutbreakScenarios", "EpidemicModels", "WormWatchCore"]),
        // SVG charts shared by every command that draws.
        .target(name: "Charts"),
        // Output formats of the studies and fits: JSON, CSV, tables and SVG charts. Formats only.
        .target(name: "Reports", dependencies: ["OutbreakStudies", "Outbreak", "EpidemicModels", "Charts", "WormWatchCore"]),
        // zlib from the system (Debian: zlib1g-dev), for gzip-compressed inputs.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The sensor: log and capture readers and writers, rules and matcher, events, the
        // scan pipeline. Optimised in debug builds too: tests read captures of a whole day.
        .target(
            name: "Sensor",
            dependencies: ["WormWatchCore", "CZlib", .product(name: "Yams", package: "Yams")]
        ),
        // The writers that turn an outbreak record into the files a sensor reads (captures,
        // web server logs): the one place the engine and the sensor meet.
        .target(name: "Emitters", dependencies: ["Outbreak", "Sensor", "WormWatchCore"]),
        // The thin command line.
        .executableTarget(
            name: "wormwatch",
            dependencies: [
                "WormWatchCore", "Outbreak", "OutbreakScenarios", "OutbreakStudies", "EpidemicModels", "Reports", "Sensor", "Emitters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers the test targets share (temporary folders, outside tools, short differences).
        .target(name: "WormWatchTestSupport", path: "Tests/Support"),
        .testTarget(name: "WormWatchCoreTests", dependencies: ["WormWatchCore"]),
        .testTarget(name: "OutbreakTests", dependencies: ["Outbreak", "EpidemicModels", "WormWatchCore"]),
        .testTarget(name: "EpidemicModelsTests", dependencies: ["EpidemicModels", "WormWatchCore"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(name: "OutbreakScenariosTests", dependencies: ["OutbreakScenarios", "Outbreak", "WormWatchCore", "WormWatchTestSupport"]),
        .testTarget(name: "OutbreakStudiesTests", dependencies: ["OutbreakStudies", "Reports", "OutbreakScenarios", "Outbreak", "EpidemicModels", "WormWatchCore"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "OutbreakStudies", "Outbreak", "EpidemicModels", "WormWatchCore"]),
        // Fixtures are read by path (#filePath), not bundled.
        .testTarget(name: "SensorTests", dependencies: ["Sensor", "WormWatchCore", "WormWatchTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "EmittersTests", dependencies: ["Emitters", "Sensor", "Outbreak", "WormWatchCore", "WormWatchTestSupport"]),
        .testTarget(name: "WormWatchCLITests", dependencies: ["wormwatch", "WormWatchTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
