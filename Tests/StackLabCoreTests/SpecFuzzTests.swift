import Foundation
import Testing

@testable import StackLabCore

/// Mutations of every file in examples/, read and checked in-process: whatever the bytes, reading ends in a spec
/// or in errors of one line each that name the file and a line, never in a trap or a hang.
///
/// Seeded, so a failure repeats; bounded by a count and by time, so it takes a few seconds.
struct SpecFuzzTests {
    /// `STACKLAB_FUZZ_SEED`, `STACKLAB_FUZZ_COUNT` (per file) and `STACKLAB_FUZZ_SECONDS` explore further by hand.
    static let environment = ProcessInfo.processInfo.environment
    static let seed = environment["STACKLAB_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_F022
    static let mutationsPerFile = environment["STACKLAB_FUZZ_COUNT"].flatMap { Int($0) } ?? 400
    static let timeBudget = environment["STACKLAB_FUZZ_SECONDS"].flatMap { TimeInterval($0) } ?? 8

    /// The shipped examples, read from the checkout this test was built from.
    static func examples() throws -> [(name: String, text: String, isCatalog: Bool)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String, Bool)] = []
        for case let url as URL in walker where url.pathExtension == "yaml" {
            let text = try String(contentsOf: url, encoding: .utf8)
            files.append((url.lastPathComponent, text, url.deletingLastPathComponent().lastPathComponent == "pricing"))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    @Test func mutatedExamplesNeverCrashHangOrSpillOverALine() throws {
        let files = try Self.examples()
        #expect(files.count >= 5, "examples/ not found")
        var random = FuzzRandom(seed: Self.seed)
        let start = Date()
        var tried = 0
        var accepted = 0
        outer: for file in files {
            for index in 0..<Self.mutationsPerFile {
                guard Date().timeIntervalSince(start) < Self.timeBudget else { break outer }
                let mutated = Mutator.mutate(file.text, random: &random)
                let name = "fuzz-\(index).yaml"
                guard let outcome = Self.read(mutated, name: name, isCatalog: file.isCatalog) else {
                    Issue.record("reading a mutation of \(file.name) took more than 5 s:\n\(mutated.prefix(2_000))")
                    break outer
                }
                tried += 1
                switch outcome {
                case .accepted:
                    accepted += 1
                case .problems(let lines):
                    #expect(!lines.isEmpty)
                    for line in lines {
                        let ok = Self.isOneLine(line, naming: name)
                        #expect(
                            ok, "mutation of \(file.name): \(line.prefix(300))\n--- file ---\n\(mutated.prefix(2_000))")
                        if !ok { break outer }
                    }
                case .userError(let message):
                    #expect(!message.contains("\n") && message.count < 1_000, "\(message.prefix(300))")
                case .other(let error):
                    Issue.record("mutation of \(file.name) threw \(error)\n--- file ---\n\(mutated.prefix(2_000))")
                    break outer
                }
            }
        }
        #expect(tried >= 200, "only \(tried) mutations in \(Self.timeBudget) s")
        // Most mutations break something; some must still read, or the mutator only makes noise.
        #expect(accepted > 0 && accepted < tried)
    }

    enum Outcome {
        case accepted
        case problems([String])
        case userError(String)
        case other(String)
    }

    /// Reads `yaml` on another thread; nil when it has not finished within 5 s (a hang).
    static func read(_ yaml: String, name: String, isCatalog: Bool) -> Outcome? {
        let done = DispatchSemaphore(value: 0)
        let box = OutcomeBox()
        DispatchQueue.global().async {
            box.value = readNow(yaml, name: name, isCatalog: isCatalog)
            done.signal()
        }
        guard done.wait(timeout: .now() + 5) == .success else { return nil }
        return box.value
    }

    static func readNow(_ yaml: String, name: String, isCatalog: Bool) -> Outcome {
        do {
            if isCatalog {
                _ = try PriceCatalog(yaml: yaml, file: name)
                return .accepted
            }
            let spec = try ExperimentSpec(yaml: yaml, file: name)
            // What validate and run compute from an accepted spec must not trap either.
            _ = spec.workload.summary
            _ = spec.variantsByWorkload
            for (_, workload) in spec.trialWorkloads {
                _ = workload.summary
                _ = workload.sql?.estimatedBytes
            }
            let data = try JSONEncoder().encode(spec)
            _ = try JSONDecoder().decode(ExperimentSpec.self, from: data)
            return .accepted
        } catch let error as SpecError {
            return .problems(error.lines)
        } catch let error as UserError {
            return .userError(error.message)
        } catch {
            return .other("\(type(of: error)): \(error)")
        }
    }

    /// `NAME:LINE: …` on one line, without a raw Swift or Foundation error in it.
    static func isOneLine(_ line: String, naming name: String) -> Bool {
        guard line.hasPrefix(name + ":"), !line.contains("\n"), !line.contains("\r"), line.count < 1_000 else {
            return false
        }
        let afterName = line.dropFirst(name.count + 1)
        guard let colon = afterName.firstIndex(of: ":"), Int(afterName[..<colon]).map({ $0 >= 1 }) == true else {
            return false
        }
        return !["DecodingError", "NSCocoaErrorDomain", "Error Domain=", "Swift."].contains { line.contains($0) }
    }
}

/// Written from the reading thread, read after the semaphore: the semaphore orders the two.
private final class OutcomeBox: @unchecked Sendable {
    var value: SpecFuzzTests.Outcome = .other("not read")
}

/// Core's seeded SplitMix64, with the picks a mutation needs: the same on every platform.
struct FuzzRandom {
    var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Line and scalar mutations of a YAML file.
enum Mutator {
    /// Values that have broken parsers: overflowing, negative, not finite, long, with control characters, nested,
    /// of the wrong type.
    static let hostileValues: [String] = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999999", "1e308",
        "-1e308", "1e-308", "-1", "-5", "0", "-0", ".nan", ".inf", "-.inf", "NaN", "nan", "inf", "0x7fffffffffffffff",
        "1_000_000_000_000_000_000", "9300000000000000000s", "99999999999h", "1e308/s", "1e308m", "1e300Gi",
        "1e20Ti", "2147483648", "4294967296", "max", "~", "null", "", "true", "no", "[]", "{}", "[1, 2]",
        "{ a: 1 }", "\"\"", "'\\u0000'", "\"a\\r\\nX-Injected: 1\"", "\"GET / HTTP/1.1\\r\\n\\r\\n\"", "\"\\u0000\"",
        "\"\\e[31mred\"", "\"line\\nbreak\"", "<script>alert(1)</script>", "&anchor 1", "*nowhere", "!!binary aGk=",
        "!!int 1", "!!float x", "|\n  block\n  text", "\"/\"", "\"%\"", "/json?x=\\u007f",
    ]

    static func mutate(_ text: String, random: inout FuzzRandom) -> String {
        var lines = text.components(separatedBy: "\n")
        for _ in 0..<(1 + random.below(3)) {
            guard !lines.isEmpty else { break }
            let index = random.below(lines.count)
            switch random.below(10) {
            case 0:
                lines.remove(at: index)
            case 1:
                lines.insert(lines[index], at: index)
            case 2:
                lines.swapAt(index, random.below(lines.count))
            case 3, 4, 5:
                lines[index] = replaceValue(lines[index], random: &random)
            case 6:
                lines[index] = replaceValue(lines[index], with: String(repeating: "x", count: 1 + random.below(20_000)))
            case 7:
                let depth = 1 + random.below(300)
                let nested = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
                lines[index] = replaceValue(lines[index], with: random.below(2) == 0 ? nested : "{ a: \(nested) }")
            case 8:
                // A key of its own: unknown, hostile, or a known one at another indentation.
                let indent = String(repeating: " ", count: 2 * random.below(4))
                let key = random.pick([
                    "rate", "weight", "tls", "name", "headers", "x\u{7}y", "a b", "\"k\\nv\"", "<b>",
                ])
                lines.insert("\(indent)\(key): \(random.pick(hostileValues))", at: index)
            default:
                // Control characters and invalid structure inside a line.
                let characters = [
                    "\t", "\r", "\u{0}", "\u{1B}", "\u{7F}", "\u{FEFF}", ":", "- ", "#", "\"", "'", "{", "]",
                ]
                var line = Array(lines[index])
                line.insert(contentsOf: random.pick(characters), at: random.below(line.count + 1))
                lines[index] = String(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The line with its value (after `key: ` or `- `) replaced by a hostile one.
    static func replaceValue(_ line: String, random: inout FuzzRandom) -> String {
        replaceValue(line, with: random.pick(hostileValues))
    }

    static func replaceValue(_ line: String, with value: String) -> String {
        if let range = line.range(of: ": ") { return String(line[..<range.upperBound]) + value }
        if let range = line.range(of: "- ") { return String(line[..<range.upperBound]) + value }
        return line + value
    }
}
