import Foundation

/// One entry of an RSS or Atom feed: a blog post or a release.
public struct Announcement: Sendable, Equatable {
    public var title: String
    public var link: String?
    /// As the feed writes it (`pubDate`, `published` or `updated`).
    public var date: String?
    /// The feed it came from.
    public var source: String
}
