import Foundation
import WormWatchCore

/// Standard output and standard error, as conventions.md uses them: results on stdout;
/// progress, warnings and errors on stderr.
enum Terminal {
    static var stderrIsTTY: Bool { POSIX.isTerminal(2) }
    static var stdoutIsTTY: Bool { POSIX.isTerminal(1) }

    /// One line on stderr.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A progress line on stderr, rewritten in place.
    static func progress(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }
}
