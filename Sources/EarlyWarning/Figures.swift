/// How the early warning writes numbers for people: whole counts with thousands separators.
public enum Figures {
    /// `value` rounded to a whole number, digits grouped by three (`1,030,156`); `–` if it
    /// is not finite.
    public static func count(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e18 else { return "–" }
        let n = Int(value.rounded())
        var digits = String(n.magnitude)
        var out = ""
        while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
        return (n < 0 ? "-" : "") + digits + out
    }
}
