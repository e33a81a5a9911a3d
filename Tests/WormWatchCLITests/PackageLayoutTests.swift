import Foundation
import Testing

/// The README's Layout section says which module depends on which; Package.swift decides.
/// They must agree.
@Suite("Package layout")
struct PackageLayoutTests {
    /// Each target of Package.swift with the names of its dependencies (targets and products).
    static func packageTargets() throws -> [String: Set<String>] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        var targets: [String: Set<String>] = [:]
        var rest = Substring(text)
        while let open = rest.range(of: #"\.(target|executableTarget|systemLibrary)\("#, options: .regularExpression) {
            // The call's arguments, up to the matching parenthesis.
            var depth = 1
            var end = open.upperBound
            while end < rest.endIndex && depth > 0 {
                if rest[end] == "(" { depth += 1 } else if rest[end] == ")" { depth -= 1 }
                end = rest.index(after: end)
            }
            let call = rest[open.upperBound..<end]
            rest = rest[end...]
            guard let name = call.firstMatch(of: /name:\s*"([^"]+)"/)?.1 else { continue }
            var dependencies = Set<String>()
            if let list = call.firstMatch(of: /dependencies:\s*\[([^\]]*)\]/)?.1 {
                // `.product(name: "Yams", package: "Yams")` counts as its product's name.
                let names = list.replacing(/\.product\(name:\s*("[^"]+")[^)]*\)/) { $0.1 }
                for match in names.matches(of: /"([^"]+)"/) { dependencies.insert(String(match.1)) }
            }
            targets[String(name)] = dependencies
        }
        return targets
    }

    /// The README's Layout table: module → the dependencies it lists.
    static func readmeTable() throws -> [String: String] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = text.range(of: "## Layout"), let end = text.range(of: "\n## ", range: start.upperBound..<text.endIndex) else {
            return [:]
        }
        var rows: [String: String] = [:]
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3 else { continue }
            rows[cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[2]
        }
        return rows
    }

    @Test("every module of Package.swift is in the README's Layout table with the same dependencies")
    func layoutMatchesPackage() throws {
        let targets = try Self.packageTargets().filter { !$0.key.hasSuffix("TestSupport") }
        let table = try Self.readmeTable()
        #expect(Set(table.keys) == Set(targets.keys), "README rows \(table.keys.sorted()) vs targets \(targets.keys.sorted())")
        for (name, dependencies) in targets {
            guard let listed = table[name] else { continue }
            let names = listed == "—" ? [] : listed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(Set(names) == dependencies, "\(name): README \(names.sorted()), Package.swift \(dependencies.sorted())")
        }
    }
}
