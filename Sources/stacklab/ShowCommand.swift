import ArgumentParser
import StackLabCore
import StackLabReport
import StackLabStore

/// `stacklab show RUN`: one stored run, as `stacklab run` printed it, or a component's rendered config.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a stored run: its status, environment and result tables.",
        discussion: """
            RUN is a run id, a prefix of exactly one id, or 'latest'. With --config, prints instead the \
            configuration file StackLab rendered for that component, as the run used it.
            """
    )

    @Argument(help: "The run: an id, a unique prefix of one, or 'latest'.")
    var run: String

    @Option(help: ArgumentHelp("Print the config rendered for this component.", valueName: "component"))
    var config: String?

    @Option(help: ArgumentHelp("The variant whose config --config prints.", valueName: "variant"))
    var variant: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if variant != nil && config == nil { throw ValidationError("--variant goes with --config COMPONENT") }
    }

    func run() async throws {
        guard let store = try store.openExisting() else {
            throw UserError("no runs stored yet in \(self.store.resolvedPath); 'stacklab run' runs the quickstart")
        }
        let id = try await store.resolveRun(run)
        guard let record = try await store.run(id: id) else {
            throw UserError("run \(id) was deleted while it was being read")
        }
        if let config {
            print(try Self.configText(record, component: config, variant: variant))
        } else {
            // The summary's first line names the run and its status; when it ran and with what follow it.
            var lines = RunSummary.render(record).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            lines.insert(contentsOf: Self.header(record), at: min(1, lines.count))
            print(lines.joined(separator: "\n"))
        }
    }

    /// When the run ran, with which StackLab and component versions, and which configs it keeps.
    static func header(_ record: RunRecord) -> [String] {
        var lines: [String] = []
        var times = "  started \(RunList.time(record.startedAt))"
        if let finished = record.finishedAt {
            times +=
                ", finished \(RunList.time(finished)) after "
                + RunList.duration(from: record.startedAt, to: finished, status: record.status)
        }
        lines.append(times)
        let versions = record.fingerprint.componentVersions.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append(
            "  stacklab \(record.fingerprint.stacklabVersion)" + (versions.isEmpty ? "" : "; components: \(versions)"))
        if !record.configs.isEmpty {
            let files = record.configs.map { "\($0.variant)/\($0.component)/\($0.fileName)" }
            lines.append("  configs: " + files.joined(separator: ", ") + " (--config COMPONENT prints one)")
        }
        return lines
    }

    /// The text of the config files rendered for `component` (in `variant`).
    ///
    /// - Throws: `UserError` when the run has none, or when variants differ and `variant` does not pick one.
    static func configText(_ record: RunRecord, component: String, variant: String?) throws -> String {
        let ofComponent = record.configs.filter { $0.component == component }
        guard !ofComponent.isEmpty else {
            let components = Set(record.configs.map(\.component)).sorted()
            let kept =
                components.isEmpty
                ? "it keeps no rendered configs" : "it keeps configs of " + components.joined(separator: ", ")
            throw UserError(
                "run \(record.id) has no rendered config for component \(MessageText.quoted(component)); \(kept)")
        }
        var chosen = ofComponent
        if let variant {
            chosen = ofComponent.filter { $0.variant == variant }
            guard !chosen.isEmpty else {
                let variants = orderedUnique(ofComponent.map(\.variant)).joined(separator: ", ")
                throw UserError(
                    "component \(MessageText.quoted(component)) has no config in variant \(MessageText.quoted(variant)) of run \(record.id); "
                        + "it has in: \(variants)")
            }
        } else {
            let variants = orderedUnique(ofComponent.map(\.variant))
            // The same files in every variant need no choice.
            let first = ofComponent.filter { $0.variant == variants[0] }
            let same = variants.allSatisfy { variant in
                ofComponent.filter { $0.variant == variant }.map { [$0.fileName, $0.text] }
                    == first.map { [$0.fileName, $0.text] }
            }
            guard same else {
                throw UserError(
                    "component \(MessageText.quoted(component)) has different configs in variants \(variants.joined(separator: ", ")); "
                        + "pick one with --variant")
            }
            chosen = first
        }
        guard chosen.count > 1 else { return chosen[0].text }
        return chosen.map { "# \($0.fileName)\n\($0.text)" }.joined(separator: "\n")
    }

    private static func orderedUnique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
