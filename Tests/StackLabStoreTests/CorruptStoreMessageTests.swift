import Foundation
import GRDB
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabStore

/// A store edited by hand or by a buggy StackLab says what is wrong in one line, never with Swift's
/// `DecodingError` description (`keyNotFound(CodingKeys(stringValue: …), Context(codingPath: …))`).
struct CorruptStoreMessageTests {
    @Test(arguments: [
        (#"{"name": "x"}"#, "key '"),
        (#"{"#, "not valid JSON"),
        (#"[1, 2]"#, "expected an object"),
    ])
    func aBadStoredSpecIsOneShortLine(json: String, expected: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let record = try RunRecordFixture.record(trials: 1)
        let store = try SQLiteResultsStore(path: directory.storePath)
        try await store.beginRun(record)
        let queue = try DatabaseQueue(path: directory.storePath)
        try await queue.write { db in
            try db.execute(sql: "UPDATE runs SET spec_json = ? WHERE id = ?", arguments: [json, record.id])
        }
        let error = await #expect(throws: UserError.self) { try await store.run(id: record.id) }
        let message = error?.message ?? ""
        #expect(message.contains("cannot be read: a stored ExperimentSpec cannot be read: \(expected)"), "\(message)")
        #expect(!message.contains("DecodingError") && !message.contains("CodingKeys") && !message.contains("\n"))
    }
}
