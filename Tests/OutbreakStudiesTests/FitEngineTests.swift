import EpidemicModels
import Foundation
import Outbreak
import Reports
import Testing

/// Fitting curves the exact engine generates: uniform scanning, N = 20,000 hosts in 2^26
/// addresses, 100 probes/s, I0 = 400, 12 minutes sampled every 10 s. The true logistic rate is
/// K = η·N/Ω = 0.0298 per second.
///
/// What was measured (seed 7, 60 single runs): the fitted K is unbiased (mean relative error
/// +0.02 %, run-to-run spread 0.65 %), N is within a few hosts — but the formal 95 % intervals
/// cover the true K in only 20 of 60 runs (N: 50 of 60), and the 16-run mean lies 3.0
/// standard errors from the truth. The intervals are not wrong arithmetic: they assume
/// independent errors around a deterministic curve, while a simulated (or real) outbreak's
/// departure from the ODE is process noise — an early fluctuation shifts the whole rest of the
/// cumulative curve — so its residuals are strongly autocorrelated and each run has its own
/// effective K. Widening nothing, these tests therefore check what is true: the estimates'
/// accuracy against the truth over many runs, and (in `iidCoverage`) that the intervals do
/// have 95 % coverage when the errors are independent, as the least-squares theory assumes.
@Suite("Fitting engine curves")
struct FitEngineTests {
    static let bits = 26
    static let hosts = 20_000
    static let initial = 400
    static let rate = 100.0
    static let omega = Double(1 << bits)
    /// K = η·N/Ω per second.
    static let trueK = rate * Double(hosts) / omega

    func scenario(minutes: Double = 12) -> Scenario {
        Scenario(name: "fit", space: AddressSpace(bits: Self.bits), population: Population(size: Self.hosts),
                 worm: Worm(probeRate: .fixed(Self.rate), initialInfected: Self.initial),
                 duration: minutes * 60, interval: 10)
    }

    @Test("the mean of 16 runs: K within 0.2 % and N within 0.05 % of the truth, N inside its 95 % interval")
    func meanOfRuns() throws {
        let runs = 16
        let e = try Ensemble.run(scenario(), seed: 2001, runs: runs, threads: 0)
        let times = e.records[0].rows.map(\.time)
        let mean = times.indices.map { k in e.records.reduce(0.0) { $0 + Double($1.rows[k].everInfected) } / Double(runs) }
        let fit = try ModelFitter.fitLogistic(times: times, counts: mean)
        let k = try #require(fit.parameter("K")), n = try #require(fit.parameter("N"))
        // Measured: K = 0.029781 (−0.07 %, 2.96 se), N = 19,998.9 (interval 19,997.8–20,000.0).
        #expect(Swift.abs(k.value / Self.trueK - 1) < 0.002, "K \(k)")
        #expect(Swift.abs(n.value / Double(Self.hosts) - 1) < 0.0005, "N \(n)")
        #expect(n.covers(Double(Self.hosts)), "N \(n)")
        #expect(fit.rSquared > 0.9999)
        #expect(Swift.abs(try #require(fit.parameter("K_per_hour")).value - 3600 * k.value) < 1e-9)
    }

    @Test("single runs: K unbiased (mean within 0.3 %), every run within 2.5 %, N within 0.5 %")
    func singleRuns() throws {
        let runs = 40
        let e = try Ensemble.run(scenario(), seed: 7, runs: runs, threads: 0)
        let times = e.records[0].rows.map(\.time)
        var kErrors: [Double] = []
        for record in e.records {
            let fit = try ModelFitter.fitLogistic(times: times, counts: record.rows.map { Double($0.everInfected) })
            let k = try #require(fit.parameter("K")), n = try #require(fit.parameter("N"))
            kErrors.append(k.value / Self.trueK - 1)
            #expect(Swift.abs(n.value / Double(Self.hosts) - 1) < 0.005, "N \(n)")
        }
        let meanError = kErrors.reduce(0, +) / Double(runs)
        #expect(Swift.abs(meanError) < 0.003, "mean relative error of K \(meanError)")
        #expect(kErrors.allSatisfy { Swift.abs($0) < 0.025 }, "\(kErrors)")
    }

    @Test("with independent errors the 95 % intervals cover the truth about 95 % of the time")
    func iidCoverage() throws {
        // The logistic of the engine scenario plus independent normal errors (sd 30 hosts),
        // 200 replicates from a fixed generator: coverage must be 95 % ± sampling error.
        let truth = try LogisticModel(population: Double(Self.hosts), initialInfected: Double(Self.initial), growthRate: Self.trueK)
        let times = stride(from: 0.0, through: 720, by: 10).map { $0 }
        var generator = Xoshiro256StarStar(seed: 99)
        var coveredK = 0, coveredN = 0, coveredI0 = 0
        let replicates = 200
        for _ in 0..<replicates {
            let counts = times.map { t -> Double in
                // Box–Muller.
                let u1 = generator.nextOpenUnit(), u2 = generator.nextUnit()
                return truth.infected(at: t) + 30 * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            }
            let fit = try ModelFitter.fitLogistic(times: times, counts: counts)
            if try #require(fit.parameter("K")).covers(Self.trueK) { coveredK += 1 }
            if try #require(fit.parameter("N")).covers(Double(Self.hosts)) { coveredN += 1 }
            if try #require(fit.parameter("I0")).covers(Double(Self.initial)) { coveredI0 += 1 }
        }
        // Binomial(200, 0.95): sd 3.1; allow 182...198 (about ±4 sd, and the delta method's
        // small bias).
        for (name, covered) in [("K", coveredK), ("N", coveredN), ("I0", coveredI0)] {
            #expect((182...198).contains(covered), "\(name) covered in \(covered) of \(replicates)")
        }
    }
}
