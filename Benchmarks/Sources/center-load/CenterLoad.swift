// center-load: the Watch Center's bounded load generator. Loopback only; every mode stops by
// itself. Human lines, then one machine line per figure (`RESULT key=value …`), on stdout.
//
//   center-load ingest http://127.0.0.1:PORT --token T [--batches 1000] [--lines 1000]
//                      [--concurrency 4] [--seconds S] [--seed 1] [--days 30]
//       POSTs pre-built batches of Code Red–like `wormwatch.event/1` lines (built before the
//       clock starts), each with its own Idempotency-Key; observations/s, p50/p99/max latency.
//   center-load rows --out FILE [same --batches --lines --seed --days]
//       the same events as CSV rows of the `events` table (for the sqlite3 and psql peers).
//   center-load preload (--data DIR | --database URL) [--sources 5000000] [--days 30] [--events 1000000]
//       fills a store in-process with a month of an outbreak (see Preload.swift).
//   center-load query http://127.0.0.1:PORT [--family code-red-i] [--requests 300]
//       p50/p99/max of series and sources requests (see Query.swift).
//   center-load inprocess (--data DIR | --database URL) [--batches 200] [--lines 1000]
//       the same bodies parsed, then stored, without HTTP, each phase timed (for profiling).
import Foundation

@main
struct CenterLoad {
    static func main() async {
        let arguments = CommandLine.arguments
        do {
            guard arguments.count > 1 else { throw Failure("usage: center-load ingest|rows|preload|query … (see the header of CenterLoad.swift)") }
            let options = try Options(arguments.dropFirst(2))
            switch arguments[1] {
            case "ingest": try await IngestLoad.run(options)
            case "rows": try RowsFile.run(options)
            case "preload": try await Preload.run(options)
            case "query": try await QueryLoad.run(options)
            case "inprocess": try await InProcess.run(options)
            default: throw Failure("'\(arguments[1])' is not a mode: ingest, rows, preload or query")
            }
        } catch let f as Failure {
            log("center-load: error: \(f.description)")
            exit(f.status)
        } catch {
            log("center-load: error: \(error)")
            exit(70)
        }
    }
}
