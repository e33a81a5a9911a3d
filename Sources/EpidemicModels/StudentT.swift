/// Quantiles of Student's t distribution, for confidence intervals of fitted parameters.
public enum StudentT {
    /// t(0.975, ν) for ν = 1…29 (the usual two-sided 95 % table, 4 decimals).
    static let table975: [Double] = [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452,
    ]

    /// The two-sided 95 % multiplier t(0.975, ν): the table for ν < 30, otherwise the
    /// Cornish–Fisher expansion around z = 1.959964 (error below 1e-5 for ν ≥ 30; it tends to
    /// 1.96 as ν grows). NaN for ν < 1.
    public static func quantile975(degreesOfFreedom nu: Int) -> Double {
        guard nu >= 1 else { return .nan }
        if nu < 30 { return table975[nu - 1] }
        let z = 1.959963984540054, v = Double(nu)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
    }
}
