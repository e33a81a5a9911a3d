/// What a worm family's name may be: 1 to 64 bytes of letters, digits, `.`, `_` and `-`
/// (`code-red-v2`, `unknown-udp-1434`), so that it is safe in URLs, file names and logs.
public enum FamilyName {
    /// The rule in words.
    public static let rule = "a family is 1 to 64 letters, digits, '.', '_' or '-'"

    /// Whether `name` follows the rule.
    public static func isValid(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard !utf8.isEmpty && utf8.count <= 64 else { return false }
        return utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D
        }
    }
}
