// swift-tools-version: 6.1
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
        .library(name: "WatchCenter", targets: ["WatchCenter"]),
        .library(name: "WatchCenterServer", targets: ["WatchCenterServer"]),
        .library(name: "OutbreakReplay", targets: ["OutbreakReplay"]),
        .library(name: "EarlyWarning", targets: ["EarlyWarning"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The Watch Center: storage (SQLite through GRDB, PostgreSQL through PostgresNIO), the
        // HTTP server (Hummingbird 2, without its swift-configuration trait), metrics, hashing.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.9.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
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
        // Estimation and early warning from what monitors count: Zou et al.'s bias correction,
        // the Kalman filter on the discrete logistic, alert levels, the CUSUM baseline.
        .target(name: "EarlyWarning", dependencies: ["WormWatchCore"]),
        // Studies of outbreaks as a library: simulations, parameter sweeps and validation
        // against the published record (the work behind simulate, sweep and validate).
        .target(name: "OutbreakStudies", dependencies: ["Outbreak", "OutbreakScenarios", "EpidemicModels", "EarlyWarning", "WormWatchCore"]),
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
        // The Watch Center's data: the ingest format (wormwatch.event/1 and
        // wormwatch.observation/1 batches), the stored model, the storage protocol with its two
        // implementations (SQLite through GRDB, PostgreSQL through PostgresNIO), sensors and
        // their tokens, and the client that pushes batches with a disk spool.
        .target(
            name: "WatchCenter",
            dependencies: [
                "WormWatchCore", "Sensor", "EarlyWarning",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The Watch Center's HTTP application (Hummingbird 2): ingest, read API, exports,
        // health, Prometheus metrics, served in a ServiceGroup with graceful shutdown.
        .target(
            name: "WatchCenterServer",
            dependencies: [
                "WatchCenter", "WormWatchCore", "EarlyWarning", "Charts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Replaying an outbreak into a Watch Center: each monitor of a scenario pushes what it
        // saw as a registered sensor, simulated time scaled to wall time.
        .target(name: "OutbreakReplay", dependencies: ["Outbreak", "OutbreakStudies", "WatchCenter", "WormWatchCore"]),
        // The thin command line.
        .executableTarget(
            name: "wormwatch",
            dependencies: [
                "WormWatchCore", "Outbreak", "OutbreakScenarios", "OutbreakStudies", "EpidemicModels", "Reports", "Sensor", "Emitters", "WatchCenter", "WatchCenterServer", "OutbreakReplay", "EarlyWarning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers the test targets share (temporary folders, outside tools, short differences).
        .target(name: "WormWatchTestSupport", dependencies: ["WormWatchCore"], path: "Tests/Support"),
        .testTarget(name: "WormWatchCoreTests", dependencies: ["WormWatchCore", "WormWatchTestSupport"]),
        .testTarget(name: "OutbreakTests", dependencies: ["Outbreak", "EpidemicModels", "WormWatchCore"]),
        .testTarget(name: "EpidemicModelsTests", dependencies: ["EpidemicModels", "WormWatchCore"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(name: "OutbreakScenariosTests", dependencies: ["OutbreakScenarios", "Outbreak", "WormWatchCore", "WormWatchTestSupport"]),
        .testTarget(name: "EarlyWarningTests", dependencies: ["EarlyWarning", "Outbreak", "OutbreakScenarios", "WormWatchCore"]),
        .testTarget(name: "OutbreakStudiesTests", dependencies: ["OutbreakStudies", "EarlyWarning", "Reports", "OutbreakScenarios", "Outbreak", "EpidemicModels", "WormWatchCore"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "OutbreakStudies", "Outbreak", "EpidemicModels", "WormWatchCore"]),
        // Fixtures are read by path (#filePath), not bundled.
        .testTarget(name: "SensorTests", dependencies: ["Sensor", "WormWatchCore", "WormWatchTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "EmittersTests", dependencies: ["Emitters", "Sensor", "Outbreak", "WormWatchCore", "WormWatchTestSupport"]),
        // What the Watch Center's test targets share: a fresh store of either backend, batches.
        .target(
            name: "WatchCenterTestSupport",
            dependencies: [
                "WatchCenter", "Sensor", "WormWatchCore", "WormWatchTestSupport", "EarlyWarning", "Outbreak", "OutbreakScenarios",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/WatchCenterSupport"
        ),
        .testTarget(
            name: "WatchCenterTests",
            dependencies: [
                "WatchCenter", "WatchCenterTestSupport", "Sensor", "WormWatchCore", "WormWatchTestSupport", "EarlyWarning", "Outbreak", "OutbreakScenarios",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "WatchCenterServerTests",
            dependencies: [
                "WatchCenterServer", "WatchCenter", "WatchCenterTestSupport", "Sensor", "WormWatchCore", "WormWatchTestSupport", "EarlyWarning", "Outbreak", "OutbreakScenarios",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "WormWatchCLITests", dependencies: ["wormwatch", "WormWatchTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
