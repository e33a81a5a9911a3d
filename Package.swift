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
        .library(name: "Sensor", targets: ["Sensor"]),
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
        .target(name: "Outbreak", dependencies: ["WormWatchCore"], swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Analytic worm models (logistic, AAWP, two-factor) and their solvers.
        .target(name: "EpidemicModels"),
        // SVG charts shared by every command that draws.
        .target(name: "Charts"),
        // The scenario file format (YAML) and the built-in presets.
        .target(
            name: "OutbreakScenarios",
            dependencies: ["Outbreak", "WormWatchCore", .product(name: "Yams", package: "Yams")]
        ),
        // Output formats shared by the commands: JSON, CSV, tables and plots.
        .target(name: "Reports", dependencies: ["Outbreak", "Charts", "EpidemicModels", "WormWatchCore"]),
        // zlib from the system (Debian: zlib1g-dev), for gzip-compressed inputs.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The sensor: log and capture readers, rules and matcher, events, and the writers
        // that turn an outbreak record into real-format files. Optimised in debug builds
        // too: tests read captures of a whole simulated day.
        .target(
            name: "Sensor",
            dependencies: ["Outbreak", "WormWatchCore", "CZlib", .product(name: "Yams", package: "Yams")],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // The thin command line.
        .executableTarget(
            name: "wormwatch",
            dependencies: [
                "WormWatchCore", "Outbreak", "OutbreakScenarios", "EpidemicModels", "Charts", "Reports", "Sensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "WormWatchCoreTests", dependencies: ["WormWatchCore"]),
        .testTarget(name: "OutbreakTests", dependencies: ["Outbreak", "EpidemicModels", "WormWatchCore"]),
        .testTarget(name: "EpidemicModelsTests", dependencies: ["EpidemicModels"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(name: "OutbreakScenariosTests", dependencies: ["OutbreakScenarios", "Outbreak", "WormWatchCore"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Outbreak", "EpidemicModels", "WormWatchCore"]),
        // Fixtures are read by path (#filePath), not bundled.
        .testTarget(name: "SensorTests", dependencies: ["Sensor", "Outbreak", "WormWatchCore"], exclude: ["Fixtures"]),
        .testTarget(name: "WormWatchCLITests", dependencies: ["wormwatch"]),
    ],
    swiftLanguageModes: [.v6]
)
