import ArgumentParser
import Foundation
import WatchCenter
import WatchCenterServer
import WormWatchCore

struct SensorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensor",
        abstract: "Register, list and revoke the sensors that push to a Watch Center.",
        discussion: """
        Examples:
          wormwatch sensor add isc-telescope --monitors 44.0.0.0/8 > isc.token
          wormwatch sensor list
          wormwatch sensor revoke isc-telescope
        """,
        subcommands: [Add.self, List.self, Revoke.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a sensor and print its token (once: only a hash is stored).",
            discussion: """
            The token goes to stdout alone, so it can be saved straight to a file
            the sensor reads (--token-file): keep that file private. The blocks the
            sensor watches are what the estimates count as monitored address space.

            Example:
              wormwatch sensor add isc-telescope --monitors 44.0.0.0/8 > isc.token
            """
        )

        @Argument(help: "The sensor's name: letters, digits, '.', '_' or '-'.")
        var name: String

        @Option(help: ArgumentHelp("The address blocks it watches, comma-separated CIDR.", valueName: "prefix,…"))
        var monitors: String

        @OptionGroup var store: StoreOptions

        @Option(help: "table (the token alone) or json.")
        var format: FitFormatLike = .table

        func validate() throws {
            guard SensorName.isValid(name) else { throw ValidationError("\(name): \(SensorName.rule)") }
            do { _ = try SensorRegistration.monitors(monitors) } catch { throw CommandLineLocation.validationError(error) }
        }

        func run() async throws {
            try await reporting {
                let blocks = try SensorRegistration.monitors(monitors)
                let store = try await self.store.open()
                let (record, token) = try await SensorRegistration.register(name: name, monitors: blocks, in: store, now: WallClock.nanoseconds())
                await store.close()
                switch format {
                case .table:
                    Terminal.printError(
                        "wormwatch: registered sensor '\(record.name)' watching \(record.monitorsText) (\(record.monitoredAddresses) addresses); its token follows, shown once")
                    print(token.text)
                case .json:
                    var w = JSONWriter()
                    w.openObject()
                    w.string("format", "wormwatch.sensor-token/1")
                    w.string("name", record.name)
                    w.openArray("monitors")
                    for m in record.monitors { w.string(nil, m.description) }
                    w.closeArray()
                    w.string("token", token.text)
                    w.closeObject()
                    print(w.text)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List sensors: what each watches, its last batch and totals, and which went silent.",
            discussion: """
            A sensor that has sent nothing for --silent-after seconds (or never
            sent anything) is shown as "silent since …": did its data arrive?

            Example:
              wormwatch sensor list --silent-after 300
            """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: "table or json (default: table on a terminal, json otherwise).")
        var format: FitFormatLike?

        @Option(help: ArgumentHelp("Seconds without a batch before a sensor counts as silent.", valueName: "seconds"))
        var silentAfter = 600

        func run() async throws {
            try await reporting {
                let store = try await self.store.open()
                let sensors = try await store.sensors()
                await store.close()
                let now = WallClock.nanoseconds()
                switch format ?? (Terminal.stdoutIsTTY ? .table : .json) {
                case .json:
                    var w = JSONWriter()
                    w.openObject()
                    w.string("format", "wormwatch.sensors/1")
                    w.openArray("sensors")
                    for s in sensors { SensorJSON.write(s, silentAfterSeconds: silentAfter, now: now, to: &w) }
                    w.closeArray()
                    w.closeObject()
                    print(w.text)
                case .table:
                    var table = TextTable(header: ["NAME", "MONITORS", "ADDRESSES", "BATCHES", "EVENTS", "OBSERVATIONS", "LAST BATCH", "STATUS"])
                    for s in sensors {
                        let status: String
                        if let r = s.revokedNanoseconds {
                            status = "revoked " + UTCCalendar.iso8601(r / 1_000_000_000)
                        } else if let silent = SensorJSON.silentSince(s, silentAfterSeconds: silentAfter, now: now) {
                            status = "silent since " + UTCCalendar.iso8601(silent / 1_000_000_000)
                        } else {
                            status = "ok"
                        }
                        table.add([
                            s.name, s.monitorsText, String(s.monitoredAddresses), String(s.batches), String(s.events), String(s.observations),
                            s.lastBatchNanoseconds.map { UTCCalendar.iso8601($0 / 1_000_000_000) } ?? "never", status,
                        ])
                    }
                    print(table.render(), terminator: "")
                    if sensors.isEmpty { Terminal.printError("wormwatch: no sensors yet: wormwatch sensor add NAME --monitors PREFIX") }
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a sensor: its token stops working at once; its data stays.",
            discussion: """
            Example:
              wormwatch sensor revoke isc-telescope
            """
        )

        @Argument(help: "The sensor's name.")
        var name: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await reporting {
                let store = try await self.store.open()
                let record = try await store.revokeSensor(name: name, now: WallClock.nanoseconds())
                await store.close()
                Terminal.printError("wormwatch: revoked sensor '\(record.name)' at \(UTCCalendar.iso8601(nanoseconds: record.revokedNanoseconds ?? 0))")
            }
        }
    }
}

/// table or json.
enum FitFormatLike: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
