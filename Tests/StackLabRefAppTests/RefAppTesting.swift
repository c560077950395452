import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StackLabRefApp

enum RefAppTesting {
    static let logger: Logger = {
        var logger = Logger(label: "stacklab-refapp-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs the real app on a loopback port over a new SQLite file; `body` gets an HTTP client and a
    /// second store on the same file, to look at the table behind the app's back.
    static func withLiveApp<T: Sendable>(
        _ body: @Sendable (any TestClientProtocol, SQLiteWorldStore) async throws -> T
    ) async throws -> T {
        try await TemporaryDirectory.with { directory in
            let path = directory.databasePath
            let configuration = RefAppConfiguration(port: 0, database: .sqlite(path: path))
            let app = try RefApp.buildApplication(configuration: configuration, logger: logger)
            return try await app.test(.live) { client in
                try await body(client, try SQLiteWorldStore(path: path))
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    static func text(_ response: TestResponse) -> String {
        String(decoding: response.body.readableBytesView, as: UTF8.self)
    }
}
