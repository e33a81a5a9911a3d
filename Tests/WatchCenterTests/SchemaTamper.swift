import GRDB
import WatchCenter
import WatchCenterTestSupport

/// Makes a store's schema look newer than this program knows, as a later version would leave it.
enum SchemaTamper {
    static func markNewer(_ location: StoreLocation) async throws {
        switch location {
        case .folder(let folder):
            let queue = try DatabaseQueue(path: folder + "/" + SQLiteStore.fileName)
            try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
            try queue.close()
        case .postgres(let url):
            try await PostgresAdmin.run(url, "INSERT INTO schema_migrations (version) VALUES (99)")
        }
    }
}
