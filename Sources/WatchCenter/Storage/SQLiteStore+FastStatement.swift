import GRDB
import GRDBSQLite

/// A cached statement bound and stepped through SQLite's C API, for the statements ingest runs
/// thousands of times a batch: GRDB's `StatementArguments` box every value, which costs more
/// than SQLite's own work on these small statements. Only integers, text and blobs.
struct FastStatement {
    /// Keeps GRDB's statement (and its cache entry) alive.
    let statement: Statement
    let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(statement.sqliteStatement)
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    @inline(__always)
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement.sqliteStatement, index, value)
    }

    /// An integer, or NULL.
    @inline(__always)
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement.sqliteStatement, index, value) } else { sqlite3_bind_null(statement.sqliteStatement, index) }
    }

    @inline(__always)
    func bind(_ index: Int32, _ text: String) {
        var text = text
        _ = text.withUTF8 { sqlite3_bind_text(statement.sqliteStatement, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    @inline(__always)
    func bind(_ index: Int32, blob: [UInt8]) {
        _ = blob.withUnsafeBytes { sqlite3_bind_blob(statement.sqliteStatement, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    @discardableResult
    func run() throws -> Int {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// The first column of the first row as an integer; nil when there is no row (or it is NULL).
    func int64() throws -> Int64? {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        case SQLITE_DONE:
            return nil
        case let code:
            throw failure(code)
        }
    }

    /// The first row, read by `body`; nil when there is none.
    func first<T>(_ body: (FastRow) throws -> T) throws -> T? {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return try body(FastRow(handle: handle))
        case SQLITE_DONE:
            return nil
        case let code:
            throw failure(code)
        }
    }

    /// Steps through every row, handing each to `body` (valid only during the call).
    func forEachRow(_ body: (FastRow) throws -> Void) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                try body(FastRow(handle: handle))
            case SQLITE_DONE:
                return
            case let code:
                throw failure(code)
            }
        }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}

/// A row of a ``FastStatement``, read by column index.
struct FastRow {
    let handle: OpaquePointer

    @inline(__always)
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    @inline(__always)
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// A blob column's bytes, valid until the statement steps again.
    @inline(__always)
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        let base = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let base, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: count)
    }
}
