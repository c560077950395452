/// The words a text classifier sees: lower-cased runs of two or more letters or digits, stop words left out.
public enum TextTokens {
    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "of", "to", "in", "on", "an", "is", "it", "by", "as", "at", "or", "be", "are",
        "your", "you", "that", "this", "from", "into", "its", "can", "all", "any",
    ]

    /// Lower-cased words of two or more letters or digits, stop words left out.
    public static func of(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init).filter {
            $0.count >= 2 && !stopWords.contains($0)
        }
    }

    /// The classifier's features: each word cut to its stem (`brokers` → `broker`, `streaming` → `stream`), and
    /// the ``AreaLexicon`` feature of each word that has one.
    public static func features(of text: String) -> [String] {
        let words = of(text)
        return words.map(stem) + words.flatMap(AreaLexicon.features(of:))
    }

    /// A light suffix stripper (no dictionary): the first of `-ations -ation -ings -ing -ers -er -ies -es -ed -s`
    /// that leaves four letters or more.
    static func stem(_ word: String) -> String {
        for suffix in ["ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "s"]
        where word.hasSuffix(suffix) && word.count - suffix.count >= 4 {
            return String(word.dropLast(suffix.count))
        }
        return word
    }
}
