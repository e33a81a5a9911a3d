import Foundation
import Outbreak
import WormWatchTestSupport
@testable import OutbreakScenarios

/// The package's root folder, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // OutbreakScenariosTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The one-line error `ScenarioFile.parse` gives for `text`, or `nil` if it parses.
func loadError(_ text: String, file: String = "bad.yaml", baseDirectory: String = ".") -> String? {
    do {
        _ = try ScenarioFile.parse(text, file: file, baseDirectory: baseDirectory)
        return nil
    } catch {
        return error.description
    }
}

/// A smallest valid scenario (ten lines) that tests extend or break. Its lines:
///   1 format  2 name  3 duration_hours  4 space  5 bits  6 reserved
///   7 population  8 size  9 worm  10 probe_rate
let tiny = """
    format: wormwatch.scenario/1
    name: tiny
    duration_hours: 1
    space:
      bits: 20
      reserved: []
    population:
      size: 100
    worm:
      probe_rate: 10
    """

/// `tiny` with `old` replaced by `new` (which must be there).
func tiny(replacing old: String, with new: String) -> String {
    precondition(tiny.contains(old), "tiny has no '\(old)'")
    return tiny.replacingOccurrences(of: old, with: new)
}

