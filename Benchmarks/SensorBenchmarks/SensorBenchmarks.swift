// The sensor's hot paths, read from memory so that the benchmarks measure the code and not
// the disk: what `wormwatch scan` does per input (format detection, the Apache fast path and
// parser, the pcap decoder, the matcher with the default rules) minus read(2), and the NDJSON
// writer of the events. Each iteration reports its rates (per CPU second) next to the wall clock
// and the allocations (see BenchmarkSupport/Policy.swift).
//
// The inputs are made once per benchmark process, in its setup (not measured), in a temporary
// directory that is removed again: see Inputs.swift.
import Benchmark
import BenchmarkSupport
import Sensor

let linesPerSecond = BenchmarkPolicy.rate("lines/s (CPU)")
let bytesPerSecond = BenchmarkPolicy.rate("bytes/s (CPU)")
let packetsPerSecond = BenchmarkPolicy.rate("packets/s (CPU)")
let eventsPerSecond = BenchmarkPolicy.rate("events/s (CPU)")

/// Size of the Apache combined log the log benchmark classifies per iteration.
let apacheLogBytes = 384 << 20
/// Size of the log whose events the NDJSON benchmark writes.
let ndjsonSourceLogBytes = 40 << 20
/// Events written per iteration of the NDJSON benchmark (the log's events, cycled).
let ndjsonEvents = 500_000

/// What a scan of one input read.
struct ScanFigures {
    var records = 0
    var events = 0
    var skipped = 0
}

/// Classifies the Apache log in `bytes` with the default rules as `wormwatch scan` does
/// (format detected from the first lines), calling `onEvent` with each event.
func scanLog(_ bytes: [UInt8], onEvent: (SensorEvent) -> Void = { _ in }) throws -> ScanFigures {
    let name = "access.log"
    var matcher = try Matcher(rules: .default, inputs: [InputDescriptor(name: name, records: .line)])
    var reader = LogReader(source: try openInput(MemoryByteSource(bytes), path: name), path: name)
    var figures = ScanFigures()
    var observed = 0
    try reader.classify(with: &matcher, observed: &observed) { event in
        figures.events += 1
        onEvent(event)
    }
    figures.records = reader.statistics.lines
    figures.skipped = reader.skipped.count
    return figures
}

/// Reads the pcap in `bytes` and hands every packet to the default rules, as `wormwatch scan`
/// does.
func scanCapture(_ bytes: [UInt8]) throws -> ScanFigures {
    let name = "telescope.pcap"
    var matcher = try Matcher(rules: .default, inputs: [InputDescriptor(name: name, records: .packet)])
    var reader = CaptureReader(source: try openInput(MemoryByteSource(bytes), path: name), path: name)
    var figures = ScanFigures()
    try reader.forEach { observation in
        matcher.observe(observation) { _ in figures.events += 1 }
    }
    figures.records = reader.statistics.packets
    figures.skipped = reader.statistics.skipped.count
    return figures
}

let benchmarks: @Sendable () -> Void = {
    // 384 MiB of Benchmarks/sensor/make-apache-log.py's log (seed 1): ordinary traffic with
    // about 0.5 % Code Red I/II and Nimda lines.
    Benchmark(
        "sensor-apache-log-384MiB",
        configuration: BenchmarkPolicy.configuration(rates: [linesPerSecond, bytesPerSecond])
    ) { (benchmark: Benchmark, log: [UInt8]) throws in
        let (figures, elapsed) = try timed { try scanLog(log) }
        benchmark.report(elapsed, [(linesPerSecond, Double(figures.records)), (bytesPerSecond, Double(log.count))])
        blackHole(figures)
    } setup: {
        let log = try Inputs.apacheLog(bytes: apacheLogBytes)
        try Inputs.check(try scanLog(log), "the Apache log")
        return log
    }

    // The pcap of examples/telescope-16.yaml (Code Red v2's day seen by a /16 telescope, seed
    // 1): about a million TCP SYNs to port 80, each tried against the packet and address-scan
    // rules.
    Benchmark(
        "sensor-pcap-telescope-16",
        configuration: BenchmarkPolicy.configuration(rates: [packetsPerSecond, bytesPerSecond])
    ) { (benchmark: Benchmark, capture: [UInt8]) throws in
        let (figures, elapsed) = try timed { try scanCapture(capture) }
        benchmark.report(elapsed, [(packetsPerSecond, Double(figures.records)), (bytesPerSecond, Double(capture.count))])
        blackHole(figures)
    } setup: {
        let capture = try Inputs.telescopeCapture()
        try Inputs.check(try scanCapture(capture), "the telescope pcap", needEvents: false)
        return capture
    }

    // EventNDJSON (wormwatch.event/1) lines of the events of a 40 MiB Apache log, cycled to
    // 500,000 per iteration, into a 64 KiB buffer emptied when full, as EventStreamWriter
    // does (without the write(2)).
    Benchmark(
        "sensor-ndjson-writer-x\(ndjsonEvents)",
        configuration: BenchmarkPolicy.configuration(rates: [eventsPerSecond, bytesPerSecond])
    ) { (benchmark: Benchmark, events: [SensorEvent]) in
        let (written, elapsed) = timed {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 16)
            var written = 0
            for index in 0..<ndjsonEvents {
                EventNDJSON.append(events[index % events.count], to: &buffer)
                if buffer.count >= 1 << 16 {
                    written += buffer.count
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            return written + buffer.count
        }
        benchmark.report(elapsed, [(eventsPerSecond, Double(ndjsonEvents)), (bytesPerSecond, Double(written))])
    } setup: {
        var events: [SensorEvent] = []
        let figures = try scanLog(try Inputs.apacheLog(bytes: ndjsonSourceLogBytes)) { events.append($0) }
        try Inputs.check(figures, "the NDJSON benchmark's log")
        return events
    }
}
