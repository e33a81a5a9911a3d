import EarlyWarning
import Foundation
import Outbreak
import Testing
import WormWatchCore

@Suite("The worm-has-gone-active detector")
struct DetectorTests {
    @Test("Code Red v2 on a /16 goes quiet → watch → active, with reasons, before 2 % are infected", arguments: [1, 2, 3] as [UInt64])
    func codeRed(seed: UInt64) throws {
        let run = try ObservedRun(preset: "codered-v2", prefixes: [EstimationTests.slashSixteen], seed: seed)
        var detector = WormDetector(coverage: run.coverage)
        var changes: [LevelChange] = []
        var fraction: Double?
        for (k, interval) in run.intervals.enumerated() {
            let (reading, change) = detector.add(interval)
            if let change { changes.append(change) }
            if fraction == nil, reading.level == .active { fraction = Double(run.infected[k]) / Double(run.population) }
        }
        let atAlarm = try #require(fraction)
        #expect(atAlarm < 0.02, "infected at the alarm: \(atAlarm)")
        #expect(changes.first?.from == .quiet)
        let active = try #require(changes.first { $0.to == .active })
        #expect(active.from == .watch)
        #expect(active.reasons[0].hasPrefix("the growth rate has held at "))
        #expect(active.reasons.last?.contains("sources seen; about ") == true)
        // It latches.
        #expect(changes.last?.to == .active)
        #expect(detector.level == .active)
    }

    @Test("a steady population of scanners that a monitor discovers is not a worm")
    func steady() {
        // 2,000 scanners at 6 probes/s on a /16: the monitor keeps finding new ones for hours.
        var detector = WormDetector(coverage: MonitorCoverage(monitored: 65_536))
        var rng = Xoshiro256StarStar(seed: 11)
        let p: Double = 1 - pow(1 - 1.0 / 65_536.0, 360.0)
        var seen = 0
        for k in 0..<1_440 {
            let unseen: Int = 2_000 - seen
            let fresh: Int = rng.binomial(trials: unseen, probability: p)
            let back: Int = rng.binomial(trials: seen, probability: p)
            seen += fresh
            let interval = MonitoredInterval(start: Double(k) * 60, seconds: 60, probes: fresh + back,
                                             distinctSources: fresh + back, newSources: fresh)
            let reading = detector.add(interval).reading
            #expect(reading.level != AlertLevel.active, "active at minute \(k)")
            if reading.level == AlertLevel.active { break }
        }
        #expect(seen > 1_000)
    }

    @Test("the levels order and colour as ISC's InfoCon")
    func levels() {
        #expect(AlertLevel.quiet < .watch && AlertLevel.watch < .active)
        #expect(AlertLevel.allCases.map(\.colour) == ["green", "yellow", "red"])
    }
}

@Suite("The forecast")
struct ForecastTests {
    @Test("with exact inputs it is the logistic's: N = r·Ω/η + I, and 50 % after ln((N − I)/I)/K")
    func exact() throws {
        // Code Red: r = 1.5/h with 36,000 infected, η = 6/s.
        let f = try #require(OutbreakForecast.make(time: 1_000, growthPerHour: 1.5, growthDeviation: 0, probeRate: 6,
                                                    probeRateRelativeDeviation: 0, infected: 36_000, infectedDeviation: 0))
        let n = 1.5 / 3600 * 4_294_967_296 / 6 + 36_000
        #expect(abs(f.finalSize.median - n) < 1e-6 * n)
        #expect(f.finalSize.low == f.finalSize.median && f.finalSize.high == f.finalSize.median)
        let k = 6 * n / 4_294_967_296
        #expect(abs(f.timeTo50Percent.median - (1_000 + log((n - 36_000) / 36_000) / k)) < 1e-6)
        #expect(abs(f.timeTo90Percent.median - (1_000 + log(9 * (n - 36_000) / 36_000) / k)) < 1e-6)
        // A shrinking worm has no forecast.
        #expect(OutbreakForecast.make(time: 0, growthPerHour: -0.1, growthDeviation: 0, probeRate: 6,
                                      probeRateRelativeDeviation: 0, infected: 10, infectedDeviation: 0) == nil)
    }

    @Test("uncertain inputs widen the band around the same median, reproducibly")
    func band() throws {
        let make = {
            OutbreakForecast.make(time: 0, growthPerHour: 1.5, growthDeviation: 0.2, probeRate: 6,
                                  probeRateRelativeDeviation: 0.05, infected: 36_000, infectedDeviation: 2_000)
        }
        let f = try #require(make())
        #expect(f == make())
        #expect(f.finalSize.low < f.finalSize.median && f.finalSize.median < f.finalSize.high)
        let n = 1.5 / 3600 * 4_294_967_296 / 6 + 36_000
        #expect(abs(f.finalSize.median - n) < 0.03 * n)
        #expect(f.timeTo50Percent.low < f.timeTo50Percent.high)
    }
}

@Suite("Figures for people")
struct FiguresTests {
    @Test("whole counts with thousands separators")
    func counts() {
        #expect(Figures.count(0) == "0")
        #expect(Figures.count(999.4) == "999")
        #expect(Figures.count(999.6) == "1,000")
        #expect(Figures.count(360_000) == "360,000")
        #expect(Figures.count(-1_234_567) == "-1,234,567")
        #expect(Figures.count(.nan) == "–")
        #expect(Figures.count(.infinity) == "–")
    }
}
