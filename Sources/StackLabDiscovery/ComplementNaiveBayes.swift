import Foundation

/// A complement naive Bayes text classifier (Rennie et al., 2003) over feature counts, add-one smoothed.
///
/// Each label is scored by how badly the words of the *other* labels' documents explain the text: the weights
/// of a label come from the counts of every document not labelled with it, so a small area (messaging,
/// autoscaling) is estimated from as much text as a large one and is not drowned by the large areas' priors,
/// which is what held the multinomial model at 5% and 0% on them. Features the training never saw are left
/// out; a text with none left gets the most common label.
public struct ComplementNaiveBayes<Label: Hashable & Sendable>: Sendable {
    private var weights: [Label: [String: Double]] = [:]
    private var vocabulary: Set<String> = []
    private var documents: [Label: Int] = [:]

    /// Trains on (features, label) pairs; an empty training set gives a model that answers `nil`.
    public init(training examples: [(features: [String], label: Label)], smoothing alpha: Double = 1) {
        var counts: [Label: [String: Int]] = [:]
        var totals: [Label: Int] = [:]
        var all: [String: Int] = [:]
        for (features, label) in examples {
            documents[label, default: 0] += 1
            for feature in features {
                counts[label, default: [:]][feature, default: 0] += 1
                totals[label, default: 0] += 1
                all[feature, default: 0] += 1
            }
        }
        vocabulary = Set(all.keys)
        let total = totals.values.reduce(0, +)
        let size = Double(vocabulary.count)
        for label in documents.keys {
            let own = counts[label] ?? [:]
            let denominator = log(Double(total - (totals[label] ?? 0)) + alpha * size)
            var labelWeights: [String: Double] = [:]
            for (feature, count) in all {
                labelWeights[feature] = log(Double(count - (own[feature] ?? 0)) + alpha) - denominator
            }
            weights[label] = labelWeights
        }
    }

    /// The label whose complement fits the features worst, or `nil` when the model was trained on nothing.
    public func classify(_ features: [String]) -> Label? {
        let known = features.filter(vocabulary.contains)
        // Ties (and a text with no known feature) go to the most common label, then to the label's description,
        // so that a run is reproducible.
        let order: (Label, Label) -> Bool = { a, b in
            let (da, db) = (documents[a] ?? 0, documents[b] ?? 0)
            return da != db ? da > db : String(describing: a) < String(describing: b)
        }
        var best: (label: Label, score: Double)?
        for label in documents.keys.sorted(by: order) {
            let labelWeights = weights[label] ?? [:]
            let score = known.reduce(0) { $0 + (labelWeights[$1] ?? 0) }
            if best == nil || score < best!.score { best = (label, score) }
        }
        return best?.label
    }
}
