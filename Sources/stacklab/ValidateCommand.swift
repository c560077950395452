import ArgumentParser
import StackLabCore

/// `stacklab validate FILE...`: checks experiment files without running anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check experiment files and list every problem with its line.",
        discussion: """
            Prints one 'ok' line per valid file. For the others, every problem goes to stderr as \
            FILE:LINE: KEY: MESSAGE, and the exit code is 2. The format is in docs/experiment-spec.md.
            """
    )

    @Argument(help: "Experiment files (YAML).")
    var files: [String]

    func run() throws {
        var problems: [String] = []
        var filesWithProblems = 0
        for file in files {
            do {
                let spec = try ExperimentSpec.load(path: file)
                print("\(file): ok — \(Self.summary(spec))")
            } catch let error as SpecError {
                problems += error.lines
                filesWithProblems += 1
            } catch let error as UserError {
                problems.append(error.message)
                filesWithProblems += 1
            }
        }
        guard problems.isEmpty else {
            // A heading line takes the "stacklab: " prefix, so each problem line starts with its file, as compilers
            // print them and as editors jump to them.
            let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
            let heading = filesWithProblems == 1 ? "\(count):" : "\(count) in \(filesWithProblems) files:"
            throw UserError(([heading] + problems).joined(separator: "\n"))
        }
    }

    /// `2 variants (direct, nginx) × 3 repeats, workload http GET /json, 2000/s, 32 connections, 30s after 5s warm-up`
    static func summary(_ spec: ExperimentSpec) -> String {
        let variants = spec.variants.count == 1 ? "1 variant" : "\(spec.variants.count) variants"
        let names = spec.variants.map(\.name).joined(separator: ", ")
        let repeats = spec.repeats == 1 ? "1 repeat" : "\(spec.repeats) repeats"
        guard let workloads = spec.workloads else {
            return "\(variants) (\(names)) × \(repeats), workload \(spec.workload.summary)"
        }
        // Each workload runs on the variants whose entry speaks its protocol.
        let each = workloads.map { named -> String in
            let on = spec.variants.filter { spec.runs(named.workload, on: $0) }.map(\.name)
            return "\n  \(named.name): \(named.workload.summary) — on \(on.joined(separator: ", "))"
        }.joined()
        return "\(variants) (\(names)) × \(repeats), \(workloads.count) workloads:\(each)"
    }
}
