import StackLabReport
import Testing

/// The text table and number formats the CLI shares with the report (`verify`, `pricing`, `discover`).
struct TextTableTests {
    @Test func wordColumnsAreLeftAlignedNumbersRightAndNoLineEndsInSpaces() {
        var verdicts = TextTable(leftAligned: 3)
        verdicts.add(["GET /plaintext", "ok"])
        verdicts.add(["GET /json", "FAIL", "expected 200"])
        #expect(verdicts.render() == "  GET /plaintext  ok\n  GET /json       FAIL  expected 200")

        var counts = TextTable()
        counts.add(["area", "items"])
        counts.add(["gateways", "7"])
        #expect(counts.render() == "  area      items\n  gateways      7")
    }

    @Test func trimmedNumbersHaveNoTrailingZeros() {
        #expect(NumberText.trimmed(0.031611, maximumDigits: 6) == "0.031611")
        #expect(NumberText.trimmed(2) == "2")
        #expect(NumberText.trimmed(1.50) == "1.5")
        #expect(NumberText.trimmed(0.0004) == "0")
        #expect(NumberText.percent(0.4567, digits: 1) == "45.7%")
    }
}
