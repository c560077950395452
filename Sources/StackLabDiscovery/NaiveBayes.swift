import Foundation

/// A multinomial naive Bayes text classifier over token counts, with add-one (Laplace) smoothing.
///
/// Trained on the items the rule layers labelled, it answers for the items they could not place; `TextTokens`
/// cuts the text into words.
public struct NaiveBayes<Label: Hashable & Sendable>: Sendable {
    private var logPrior: [Label: Double] = [:]
    private var tokenCounts: [Label: [String: Int]] = [:]
    private var totalTokens: [Label: Int] = [:]
    private var vocabularySize = 0

    /// Trains on (text, label) pairs; an empty training set gives a model that answers `nil`.
    public init(training examples: [(text: String, label: Label)]) {
        var documents: [Label: Int] = [:]
        var vocabulary: Set<String> = []
        for (text, label) in examples {
            documents[label, default: 0] += 1
            for token in TextTokens.of(text) {
                tokenCounts[label, default: [:]][token, default: 0] += 1
                totalTokens[label, default: 0] += 1
                vocabulary.insert(token)
            }
        }
        vocabularySize = vocabulary.count
        let total = Double(examples.count)
        logPrior = documents.mapValues { log(Double($0) / total) }
    }

    /// The most probable label for the text, or `nil` when the model was trained on nothing.
    public func classify(_ text: String) -> Label? {
        let tokens = TextTokens.of(text)
        var best: (label: Label, score: Double)?
        for (label, prior) in logPrior {
            let counts = tokenCounts[label] ?? [:]
            let denominator = log(Double((totalTokens[label] ?? 0) + vocabularySize))
            var score = prior
            for token in tokens { score += log(Double((counts[token] ?? 0) + 1)) - denominator }
            // Ties are broken by the label's description so that a run is reproducible.
            if best == nil || score > best!.score
                || (score == best!.score && String(describing: label) < String(describing: best!.label))
            {
                best = (label, score)
            }
        }
        return best?.label
    }
}
