import Foundation
import Testing

@testable import StackLabCore

/// Redis replies are a typed field; results stored before it kept them among the HTTP status codes, and are
/// still read.
struct LoadResultRepliesTests {
    @Test func aResultStoredWithRepliesAmongStatusCodesIsStillRead() throws {
        var old = LoadResult.fixture()
        old.statusCodes = ["ok": 40, "value": 55, "nil": 4, "error": 1]
        let decoded = try JSONDecoder().decode(LoadResult.self, from: try JSONEncoder().encode(old))
        #expect(decoded.replies == nil)
        #expect(decoded.replyKinds == LoadResult.Replies(ok: 40, value: 55, null: 4, error: 1))
        #expect(decoded.httpStatuses.isEmpty)
    }

    @Test func repliesRoundTripUnderTheirStoredNames() throws {
        var result = LoadResult.fixture()
        result.statusCodes = [:]
        result.replies = LoadResult.Replies(ok: 2, value: 3, null: 1)
        let data = try JSONEncoder().encode(result)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((json["replies"] as? [String: Int]) == ["ok": 2, "value": 3, "nil": 1, "error": 0])
        let decoded = try JSONDecoder().decode(LoadResult.self, from: data)
        #expect(decoded.replyKinds == result.replies)
    }

    @Test func httpStatusesAreNumbers() {
        var result = LoadResult.fixture()
        result.statusCodes = ["200": 9, "503": 1]
        #expect(result.httpStatuses == [200: 9, 503: 1])
        #expect(result.replyKinds == nil)
    }
}
