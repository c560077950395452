import Testing

@testable import StackLabCore

struct DurationTextTests {
    @Test(
        arguments: [
            ("30s", 30_000_000_000), ("1m30s", 90_000_000_000), ("250ms", 250_000_000), ("100us", 100_000),
            ("1.5s", 1_500_000_000), ("2", 2_000_000_000), ("1h", 3_600_000_000_000), ("0s", 0),
        ] as [(String, Int64)])
    func parsesWhatPeopleWrite(text: String, nanoseconds: Int64) throws {
        #expect(try DurationText.nanoseconds(text, what: "--duration") == nanoseconds)
    }

    @Test(arguments: ["", "3x", "s", "-1", "1m-3s", "ms5"])
    func rejectsWhatIsNotADuration(text: String) {
        #expect(throws: UserError.self) { try DurationText.nanoseconds(text, what: "--duration") }
    }

    @Test func errorNamesTheOptionAndTheUnits() {
        let error = #expect(throws: UserError.self) { try DurationText.nanoseconds("3x", what: "--duration") }
        #expect(error?.message.contains("--duration") == true)
        #expect(error?.message.contains("ms") == true)
        #expect(error?.exitCode == 2)
    }

    @Test func formatsMicroseconds() {
        #expect(DurationText.micros(812) == "812µs")
        #expect(DurationText.micros(3_412) == "3.41ms")
        #expect(DurationText.micros(1_200_000) == "1.20s")
        #expect(DurationText.fixed(-0.004, digits: 2) == "0.00")
        #expect(DurationText.fixed(2.5, digits: 0) == "3")
    }
}
