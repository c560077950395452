import Foundation

extension Announcement {
    /// What an announcement says about a project, from its title and link.
    public enum Kind: String, Sendable, Equatable {
        case graduation, incubation, sandbox, release, other

        /// A step up the CNCF's ladder, which makes a project rising.
        public var isMaturityStep: Bool { self == .graduation || self == .incubation || self == .sandbox }
    }

    /// `graduation` for "Kyverno graduates", `release` for "v1.36.0" or a GitHub release link.
    public var kind: Kind {
        let text = title.lowercased()
        if text.contains("graduat") { return .graduation }
        if text.contains("incubat") { return .incubation }
        if text.contains("sandbox") { return .sandbox }
        if text.contains("release") || link?.contains("/releases/tag/") == true
            || text.range(of: #"\bv?\d+\.\d+(\.\d+)?\b"#, options: .regularExpression) != nil
        {
            return .release
        }
        return .other
    }

    /// The date as RSS (RFC 822: `Tue, 10 Mar 2026 12:00:00 +0000`) or Atom (ISO 8601) writes it.
    public var parsedDate: Date? {
        guard let date else { return nil }
        if let iso = ISO8601DateFormatter().date(from: date) { return iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm:ss zzz", "dd MMM yyyy HH:mm:ss Z"] {
            formatter.dateFormat = format
            if let parsed = formatter.date(from: date) { return parsed }
        }
        return nil
    }

    /// Whether the announcement names `item`: its name (or the name before a parenthesis, `Open Policy Agent`)
    /// as a whole word in the title, case kept since names are proper nouns ("Spin" is not "spin up"), or a
    /// link into the item's GitHub repository (a project's `releases.atom`).
    public func names(_ item: LandscapeItem) -> Bool {
        if let repository = GitHubActivity.repository(of: item.repoURL)?.lowercased(),
            let link = link?.lowercased(), link.contains("github.com/\(repository)/")
        {
            return true
        }
        var names = [item.name]
        if let open = item.name.firstIndex(of: "(") {
            names.append(item.name[..<open].trimmingCharacters(in: .whitespaces))
        }
        return names.contains { name in name.count >= 3 && Self.containsWord(name, in: title) }
    }

    static func containsWord(_ word: String, in text: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: word, range: searchRange) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            let isBoundary: (Character?) -> Bool = { $0 == nil || !($0!.isLetter || $0!.isNumber) }
            if isBoundary(before) && isBoundary(after) { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }

    /// The announcements of `all` that name `item` and are dated in the 90 days before `now` (or undated).
    public static func naming(
        _ item: LandscapeItem, in all: [Announcement], now: Date
    ) -> [Announcement] {
        let since = now.addingTimeInterval(-90 * 86_400)
        return all.filter { announcement in
            announcement.names(item) && (announcement.parsedDate.map { $0 >= since && $0 <= now } ?? true)
        }
    }
}
