import Foundation
import Testing

@testable import StackLabDiscovery

struct FeedParserTests {
    @Test func rssItemsAreRead() throws {
        let rss = """
            <?xml version="1.0"?>
            <rss version="2.0"><channel><title>CNCF blog</title><link>https://www.cncf.io/</link>
              <item><title>Kyverno graduates</title><link>https://www.cncf.io/kyverno</link>
                <pubDate>Tue, 10 Mar 2026 12:00:00 +0000</pubDate></item>
              <item><title><![CDATA[Higress joins the sandbox & more]]></title><link>https://www.cncf.io/higress</link></item>
            </channel></rss>
            """
        let entries = try FeedParser.parse(Data(rss.utf8), source: "cncf")
        #expect(entries.map(\.title) == ["Kyverno graduates", "Higress joins the sandbox & more"])
        #expect(entries[0].link == "https://www.cncf.io/kyverno")
        #expect(entries[0].date == "Tue, 10 Mar 2026 12:00:00 +0000")
    }

    @Test func atomEntriesAreRead() throws {
        let atom = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Release notes from envoy</title>
              <entry><title>v1.36.0</title><updated>2026-10-15T00:00:00Z</updated>
                <link rel="alternate" type="text/html" href="https://github.com/envoyproxy/envoy/releases/tag/v1.36.0"/>
              </entry>
            </feed>
            """
        let entries = try FeedParser.parse(Data(atom.utf8), source: "envoy")
        #expect(
            entries == [
                Announcement(
                    title: "v1.36.0", link: "https://github.com/envoyproxy/envoy/releases/tag/v1.36.0",
                    date: "2026-10-15T00:00:00Z", source: "envoy")
            ])
    }

    @Test func aBrokenFeedIsAnErrorNamingIt() {
        #expect(throws: FeedError.self) {
            try FeedParser.parse(Data("<rss><channel></item></rss>".utf8), source: "bad")
        }
    }
}

struct FeedReaderTests {
    @Test func aFeedThatFailsIsReportedNotThrown() async throws {
        let file = NSTemporaryDirectory() + "stacklab-feed-\(UUID().uuidString).xml"
        try Data("<rss><channel><item><title>t</title></item></channel></rss>".utf8).write(
            to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try await FeedReader.read(file).get().map(\.title) == ["t"])
        guard case .failure(let error) = await FeedReader.read("http://127.0.0.1:9/feed", timeout: .seconds(1)) else {
            Issue.record("an unreachable feed should be a failure")
            return
        }
        #expect(error.source == "http://127.0.0.1:9/feed")
        guard case .failure = await FeedReader.read("/nonexistent/feed.xml") else {
            Issue.record("a missing file should be a failure")
            return
        }
    }
}
