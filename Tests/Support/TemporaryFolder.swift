import Foundation

/// A fresh temporary folder for one test's files, removed by ``cleanUp()``.
public struct TemporaryFolder: Sendable {
    /// The folder.
    public let url: URL

    /// Creates the folder.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("wormwatch-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The folder's path.
    public var path: String { url.path }

    /// Writes `text` to a file of the folder; its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// The path of a file of the folder.
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Removes the folder and what it holds.
    public func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// A fresh directory for one test's files (remove it when done).
public func temporaryDirectory() throws -> URL { try TemporaryFolder().url }
