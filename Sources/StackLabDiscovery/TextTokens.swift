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
}
