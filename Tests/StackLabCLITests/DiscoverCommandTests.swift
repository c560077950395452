import Foundation
import StackLabStore
import StackLabTestSupport
import Testing

/// `stacklab discover`: what a user reads when asking what the lab should measure next.
struct DiscoverCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let noStore = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-no-store.sqlite").path

    @Test func evaluatePrintsEveryAreasAccuracy() throws {
        let outcome = try CommandRunner.run(["discover", "evaluate"])
        #expect(outcome.exitCode == 0)
        for area in ["messaging", "autoscaling", "service mesh", "runtimes"] {
            #expect(outcome.stdout.split(separator: "\n").contains { $0.hasPrefix("  \(area) ") && $0.hasSuffix("%") })
        }
        #expect(outcome.stdout.contains("on average over the areas"))
    }

    @Test func suggestReadsTheLabsResultsAndFeeds() throws {
        let feed = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString).rss")
        try """
        <rss version="2.0"><channel><title>CNCF blog</title>
          <item><title>Contour moves to graduation</title><link>https://www.cncf.io/contour</link></item>
        </channel></rss>
        """.write(to: feed, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: feed) }
        let outcome = try CommandRunner.run([
            "discover", "suggest", "--examples", Self.root.appendingPathComponent("examples").path, "--results",
            Self.root.appendingPathComponent("docs/results").path, "--store", Self.noStore, "--feed", feed.path,
            "--feed", "http://127.0.0.1:9/feed", "--limit", "50", "--github", "--github-api", "http://127.0.0.1:9",
        ])
        #expect(outcome.exitCode == 0)
        #expect(
            outcome.stdout.contains(
                "found good by the lab (a stored run or a report met its SLO): nginx, haproxy, traefik, envoy, caddy, "
                    + "postgres, mariadb, redis"))
        #expect(outcome.stdout.contains("news: 1 announcement(s) read from the feeds"))
        #expect(outcome.stdout.contains(#"announced "Contour moves to graduation""#))
        // A feed or a GitHub that cannot be reached is a note, not a failure; traction says what it lacks.
        #expect(outcome.stderr.contains("note: feed http://127.0.0.1:9/feed: cannot be reached"))
        #expect(outcome.stderr.contains("note: GitHub cannot be reached (http://127.0.0.1:9/repos/"))
        #expect(outcome.stdout.contains("traction: snapshots only: GitHub did not answer (see the note)"))
    }

    @Test func withoutResultsNothingIsFoundGood() throws {
        let outcome = try CommandRunner.run([
            "discover", "suggest", "--examples", Self.root.appendingPathComponent("examples").path, "--results",
            "/nonexistent", "--store", Self.noStore, "--format", "csv",
        ])
        #expect(outcome.exitCode == 0)
        let rows = outcome.stdout.split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty && !rows.contains { $0.contains(",Adopt,") })
        #expect(rows.contains { $0.hasPrefix("NGINX,Trial,") })
    }

    @Test func aStoredRunThatMetItsSLOPutsItsComponentInAdopt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("discover-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("stacklab.sqlite").path
        defer { try? FileManager.default.removeItem(at: directory) }
        // nginx → app met p99 ≤ 20 ms at 500/s in every repeat.
        try await SQLiteResultsStore(path: path).beginRun(try RunRecordFixture.record())
        let outcome = try CommandRunner.run([
            "discover", "suggest", "--examples", Self.root.appendingPathComponent("examples").path, "--results",
            "/nonexistent", "--store", path, "--format", "csv",
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let rows = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(
            rows.contains {
                $0.hasPrefix("NGINX,Adopt,") && $0.contains("met the SLO up to 500/s (gateways, variant nginx, run ")
            })
        #expect(rows.contains { $0.hasPrefix("HAProxy,Trial,") })
    }

    @Test func aStoreThatCannotBeReadIsANoteNotAFailure() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-store-\(UUID().uuidString)")
        try "not a database".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try CommandRunner.run([
            "discover", "suggest", "--examples", Self.root.appendingPathComponent("examples").path, "--results",
            Self.root.appendingPathComponent("docs/results").path, "--store", file.path,
        ])
        #expect(outcome.exitCode == 0)
        #expect(outcome.stderr.contains("note: results store \(file.path) cannot be read"))
        #expect(outcome.stdout.contains("found good by the lab (a stored run or a report met its SLO): nginx,"))
    }
}
