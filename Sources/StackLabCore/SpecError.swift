/// One mistake in an experiment file, at a line and a key path such as `workload.rate`.
public struct SpecProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based; the line of the offending key or value.
    public var line: Int
    /// Dotted path to the key, with list indices from 0: `workload.stages[1].rate`. Empty for the file as a whole.
    public var keyPath: String
    /// What is wrong and, where it helps, what to write instead.
    public var message: String

    public init(line: Int, keyPath: String, message: String) {
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `7: workload.rat: unknown key; did you mean 'rate'?`
    ///
    /// The key path and message are kept to one line whatever the file held (`MessageText.oneLine`).
    public var description: String {
        let message = MessageText.oneLine(message)
        return keyPath.isEmpty
            ? "\(line): \(message)" : "\(line): \(MessageText.oneLine(keyPath, limit: 200)): \(message)"
    }
}

/// Every mistake found in one experiment file; reading goes on past the first so a user fixes them all at once.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// In the order of the file.
    public var problems: [SpecProblem]

    public init(file: String, problems: [SpecProblem]) {
        self.file = file
        self.problems = problems
    }

    /// One line per problem, as compilers write them:
    /// `quickstart.yaml:7: workload.rat: unknown key; did you mean 'rate'?`
    public var lines: [String] { problems.map { "\(MessageText.oneLine(file)):\($0)" } }

    public var description: String { lines.joined(separator: "\n") }
}
