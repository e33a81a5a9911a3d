import ArgumentParser
import Foundation

/// A failure the command reports as one line and a sysexits status.
struct CLIError: Error {
    let location: String
    let message: String
    let status: Int32
    var hint: String? = nil

    static let badData: Int32 = 65
    static let noInput: Int32 = 66
    static let cannotCreate: Int32 = 73
    static let ioError: Int32 = 74
}

enum Terminal {
    static var stderrIsTTY: Bool { isatty(2) == 1 }
    static var stdoutIsTTY: Bool { isatty(1) == 1 }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }
}

extension ParsableCommand {
    /// Runs `body`, turning a ``CLIError`` into `wormwatch: error: …` on stderr and its exit status.
    func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let error as CLIError {
            Terminal.printError("wormwatch: error: \(error.location.isEmpty ? "" : error.location + ": ")\(error.message)")
            if let hint = error.hint { Terminal.printError("hint: \(hint)") }
            throw ExitCode(error.status)
        }
    }
}

/// Writes `text` to `path`, or to stdout when `path` is nil.
func emit(_ text: String, to path: String?, what: String) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        throw CLIError(location: path, message: "cannot write the \(what): \(writeFailure(path))", status: CLIError.cannotCreate)
    }
}

func writeFailure(_ path: String) -> String {
    let folder = (path as NSString).deletingLastPathComponent
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "is a directory" }
    if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) { return "no such folder \(folder)" }
    return "permission denied or disk full"
}
