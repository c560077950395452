/// The nearest known name to a misspelt one, for "did you mean …?" hints.
enum NameSuggestion {
    /// The candidate closest to `name` by edit distance, if it is at most `maximumDistance` edits away.
    ///
    /// Case is ignored. On a tie the candidate nearer without punctuation wins (`p999` is `p99.9` rather than
    /// `p99`), then the one listed first.
    static func nearest(to name: String, among candidates: [String], maximumDistance: Int = 2) -> String? {
        let target = Array(name.lowercased())
        let bareTarget = target.filter(\.isLetterOrDigit)
        var best: (candidate: String, distance: Int, bareDistance: Int)?
        for candidate in candidates where candidate != name {
            let lowered = Array(candidate.lowercased())
            let distance = editDistance(target, lowered)
            guard distance <= maximumDistance else { continue }
            let bareDistance = editDistance(bareTarget, lowered.filter(\.isLetterOrDigit))
            if let best, (best.distance, best.bareDistance) <= (distance, bareDistance) { continue }
            best = (candidate, distance, bareDistance)
        }
        return best?.candidate
    }

    /// Levenshtein distance: insertions, deletions and substitutions, each costing one.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension Character {
    fileprivate var isLetterOrDigit: Bool { isLetter || isNumber }
}
