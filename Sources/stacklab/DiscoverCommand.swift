import ArgumentParser
import Foundation
import StackLabCore
import StackLabDiscovery
import StackLabReport

/// `stacklab discover landscape|evaluate|suggest`: what is new in the CNCF landscape and what the lab should measure next.
struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract:
            "Read the CNCF landscape: what changed, where it fits in the lab, and what the lab should measure next.",
        discussion: """
            Reads a CNCF landscape.yml (default: the snapshot StackLab ships, \(ShippedSnapshot.fileName)); \
            --since names an older one to see what changed. Works offline: traction comes from the snapshots \
            (maturity, its moves, novelty, age); --github adds GitHub's activity, --feed announcements. See \
            docs/discovery.md.
            """,
        subcommands: [Landscape.self, Evaluate.self, Classify.self, Suggest.self, Feeds.self],
        defaultSubcommand: Landscape.self
    )

    /// The snapshots a subcommand reads.
    struct Snapshots: ParsableArguments {
        @Argument(help: "A CNCF landscape.yml (default: the shipped snapshot).")
        var file: String?

        @Option(name: .long, help: "An older landscape.yml to compare with.")
        var since: String?

        func load() throws -> (newer: StackLabDiscovery.Landscape, older: StackLabDiscovery.Landscape?) {
            let newer = try Self.read(file)
            return (newer, try since.map { try Self.read($0) })
        }

        static func read(_ path: String?) throws -> StackLabDiscovery.Landscape {
            guard let path else { return try ShippedSnapshot.load() }
            if path.hasPrefix("http://") || path.hasPrefix("https://") {
                throw UserError("StackLab reads landscape files from disk, not from a URL: download \(path) first")
            }
            return try StackLabDiscovery.Landscape.load(path: path)
        }
    }

    struct Landscape: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a landscape by category; with --since, what changed between two snapshots.")

        @OptionGroup var snapshots: Snapshots

        @Flag(help: "List every added and removed item, not only the counts.")
        var all = false

        func run() throws {
            let (newer, older) = try snapshots.load()
            if let older {
                print(DiscoverCommand.describe(LandscapeDiff(from: older, to: newer), all: all))
            } else {
                print(DiscoverCommand.summary(newer))
            }
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cross-validate the text classifier on the items the rule layers label, per area.")

        @OptionGroup var snapshots: Snapshots

        @Option(help: "Number of folds.")
        var folds = 5

        @Option(help: "Seed of the shuffle, so a run can be repeated.")
        var seed: UInt64 = 24

        func run() throws {
            guard folds >= 2 else { throw UserError("--folds must be 2 or more") }
            let (newer, _) = try snapshots.load()
            print(DiscoverCommand.describe(CrossValidation(landscape: newer, folds: folds, seed: seed), newer))
        }
    }

    struct Classify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where items fall in the lab's areas, which layer decided, and their component kind.")

        @Option(name: .customLong("in"), help: "A CNCF landscape.yml (default: the shipped snapshot).")
        var file: String?

        @Argument(help: "Item names as the landscape writes them.")
        var names: [String]

        @Option(
            help: """
                An OpenAI-compatible API (e.g. http://127.0.0.1:8000/v1) asked instead of the text model; \
                key from STACKLAB_LLM_API_KEY or OPENAI_API_KEY.
                """)
        var llmURL: String?

        @Option(help: "The model to ask at --llm-url.")
        var llmModel = "gpt-4o-mini"

        func run() async throws {
            let landscape = try Snapshots.read(file)
            let classifier = AreaClassifier(landscape: landscape)
            let inventory = LabInventory.shipped(examplesDirectory: nil)
            let chat = llmURL.map { ChatClassifier(baseURL: $0, model: llmModel) }
            // Words, not numbers: every column left-aligned.
            var rows = [["item", "area", "layer", "kind", "landscape"]]
            for name in names {
                guard let item = landscape[name] else {
                    throw UserError("no item '\(name)' in the landscape (names are matched exactly)")
                }
                var result = classifier.classify(item, inventory: inventory)
                if let chat, result.layer == .model {
                    switch await chat.classify(item) {
                    case .area(let area): result = Classification(area: area, layer: .chat, kind: result.kind)
                    case .rejected(let answer):
                        Terminal.note(
                            "note: \(name): the chat endpoint answered '\(answer)', not an allowed label; kept the model's answer"
                        )
                    case .failed(let reason): Terminal.note("note: \(name): \(reason); kept the model's answer")
                    }
                }
                rows.append([
                    name, result.area?.title ?? "- (not a technology)", result.layer?.rawValue ?? "-",
                    result.kind?.label ?? "-", "\(item.category) / \(item.subcategory)",
                ])
            }
            print(ComponentsCommand.columns(rows).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
    }

    struct Feeds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the announcements of RSS or Atom feeds (files or URLs); a feed that fails is reported.")

        @Argument(help: "Feed files or http(s) URLs (the CNCF blog's feed, a project's releases.atom).")
        var sources: [String]

        @Option(help: "Entries shown per feed.")
        var limit = 10

        func run() async throws {
            var failed = 0
            for source in sources {
                switch await FeedReader.read(source) {
                case .success(let entries):
                    print("\(source): \(entries.count) entries")
                    for entry in entries.prefix(limit) {
                        print("  \(entry.date ?? "-")  \(entry.title)\(entry.link.map { "  \($0)" } ?? "")")
                    }
                case .failure(let error):
                    failed += 1
                    Terminal.note("note: feed \(error.description)")
                }
            }
            if failed == sources.count { throw UserError("no feed could be read", exitCode: 1) }
        }
    }

    struct Suggest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suggest what the lab should add, compare or retire; or export them as a tech radar.")

        @OptionGroup var snapshots: Snapshots

        @Option(help: "The lab's experiment files, whose components tell what the lab measures.")
        var examples = "examples"

        @Option(help: "text, or a radar: zalando (JSON), backstage (JSON) or csv (build-your-own-radar).")
        var format = "text"

        @Option(help: "Additions shown per run in text (all go to a radar).")
        var limit = 15

        @Flag(help: "Add GitHub stars and recent releases to the traction (GITHUB_TOKEN from the environment).")
        var github = false

        @Option(help: "Repositories asked about with --github, the first suggestions first.")
        var githubLimit = 10

        @Option(help: "GitHub's REST API (a GitHub Enterprise server, or a local stand-in).")
        var githubAPI = "https://api.github.com"

        @Option(
            name: .customLong("feed"),
            help: "An RSS or Atom feed (file or URL) whose announcements add to traction; repeat for more.")
        var feeds: [String] = []

        @Option(help: "Markdown reports of the lab's runs (stacklab report --format md): what it found good.")
        var results = "docs/results"

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let radarFormat = Radar.Format(rawValue: format)
            guard format == "text" || radarFormat != nil else {
                throw UserError("unknown format '\(format)': use text, zalando, backstage or csv")
            }
            let (newer, older) = try snapshots.load()
            var isDirectory: ObjCBool = false
            let hasExamples = FileManager.default.fileExists(atPath: examples, isDirectory: &isDirectory)
            if !hasExamples || !isDirectory.boolValue {
                Terminal.note("note: no examples directory at \(examples): nothing counts as measured (--examples DIR)")
            }
            let measurements = await labMeasurements(examplesDirectory: hasExamples ? examples : nil)
            let inventory = LabInventory.shipped(
                examplesDirectory: hasExamples ? examples : nil, measurements: measurements)
            var announcements: [Announcement] = []
            for source in feeds {
                switch await FeedReader.read(source) {
                case .success(let entries): announcements += entries
                case .failure(let error): Terminal.note("note: feed \(error.description): its news left out")
                }
            }
            let suggester = Suggester(
                newer: newer, older: older, inventory: inventory, announcements: announcements)
            var suggestions = suggester.suggestions()
            if github {
                let enriched = await Suggester.addingGitHub(
                    to: suggestions, newer: newer, client: GitHubClient(baseURL: githubAPI, timeout: .seconds(5)),
                    limit: githubLimit)
                suggestions = enriched.suggestions
                for note in enriched.notes { Terminal.note("note: \(note)") }
            }
            if let radarFormat {
                print(Radar(suggester: suggester, suggestions: suggestions).rendered(as: radarFormat), terminator: "")
            } else {
                print(
                    DiscoverCommand.describe(
                        suggestions, newer: newer, older: older, limit: limit,
                        feeds: feeds.isEmpty ? nil : announcements.count, inventory: inventory,
                        githubAsked: github))
            }
        }

        /// The lab's verdicts on its components: the reports in `--results` and the runs of the results store.
        func labMeasurements(examplesDirectory: String?) async -> [LabMeasurement] {
            var measurements = LabMeasurement.fromReports(in: results, examplesDirectory: examplesDirectory)
            do {
                if let opened = try store.openExisting() {
                    for listing in try await opened.runs(limit: 200) {
                        if let record = try await opened.run(id: listing.id) {
                            measurements += LabMeasurement.of(record)
                        }
                    }
                }
            } catch {
                // The store only adds verdicts: one that cannot be read leaves the reports' verdicts.
                Terminal.note("note: results store \(store.resolvedPath) cannot be read (\(error)): its runs left out")
            }
            return measurements
        }
    }
}
