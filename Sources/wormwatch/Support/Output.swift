import ArgumentParser
import Foundation
import WormWatchCore

/// Output formats of commands that print data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv

    /// Without --format: from --output's extension, else table on a terminal and json otherwise.
    static func `default`(for output: String?) -> OutputFormat {
        if let output {
            if output.hasSuffix(".json") { return .json }
            if output.hasSuffix(".csv") { return .csv }
            return .table
        }
        return Terminal.stdoutIsTTY ? .table : .json
    }
}

/// Writes `text` to `path`, or to stdout when `path` is nil.
func emit(_ text: String, to path: String?, what: String) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        throw ReportedError(location: path, reason: "cannot write the \(what): \(writeFailure(path))", exitStatus: .cannotCreate)
    }
}

/// Writes each file into `folder`, creating it.
func emit(files: [(name: String, text: String)], into folder: String, what: String) throws {
    do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
        throw ReportedError(location: folder, reason: "cannot create the \(what) folder: \(writeFailure(folder))", exitStatus: .cannotCreate)
    }
    for file in files { try emit(file.text, to: (folder as NSString).appendingPathComponent(file.name), what: what) }
}

/// Why `path` cannot be written, in words.
func writeFailure(_ path: String) -> String {
    let folder = (path as NSString).deletingLastPathComponent
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "is a directory" }
    if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) { return "no such folder \(folder)" }
    return "permission denied or disk full"
}

/// `text` ending with exactly one newline.
func lineEnded(_ text: String) -> String { text.hasSuffix("\n") ? text : text + "\n" }
