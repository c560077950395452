import StackLabRefApp
import Testing

struct QueryCountTests {
    @Test(
        arguments: [
            ("1", 1), ("2", 2), ("20", 20), ("500", 500), ("501", 500), ("100000", 500),
            ("0", 1), ("-1", 1), ("-100000", 1), ("foo", 1), ("", 1), ("2x", 1), (" 5", 1),
            ("99999999999999999999999", 500),
        ] as [(String, Int)])
    func clampsLikeTechEmpower(parameter: String, count: Int) {
        #expect(QueryCount(parameter: parameter).value == count)
    }

    @Test func missingMeansOne() {
        #expect(QueryCount(parameter: nil).value == 1)
    }
}
