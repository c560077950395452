import StackLabCore

/// k-fold cross-validation of the complement naive Bayes layer on the items the rule layers labelled.
///
/// The items are shuffled with a seeded generator and cut into `folds` parts; each part is classified by a model
/// trained on the others, and its answers are compared with the rules' labels.
public struct CrossValidation: Sendable {
    public var folds: Int
    public var seed: UInt64
    /// Labelled items scored.
    public var total: Int
    public var correct: Int
    /// Per area: (items labelled with it, of which the model gave it back).
    public var perArea: [LabArea: (total: Int, correct: Int)]
    /// Share of the most common label: what always answering it would score.
    public var majorityBaseline: Double

    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// The mean of the areas' accuracies (balanced accuracy): each area counts the same, however few its items.
    public var meanAreaAccuracy: Double {
        let rates = perArea.values.filter { $0.total > 0 }.map { Double($0.correct) / Double($0.total) }
        return rates.isEmpty ? 0 : rates.reduce(0, +) / Double(rates.count)
    }

    /// Runs the cross-validation over the technologies of `landscape`.
    public init(
        landscape: Landscape, folds: Int = 5, seed: UInt64 = 24, overrides: [String: LabArea] = AreaRules.overrides
    ) {
        precondition(folds >= 2, "cross-validation needs two folds or more")
        self.folds = folds
        self.seed = seed
        var labelled = landscape.items.compactMap { item -> (features: [String], label: LabArea)? in
            AreaClassifier.ruleArea(of: item, overrides: overrides).map { (AreaClassifier.features(of: item), $0.area) }
        }
        var generator = SplitMix64(seed: seed)
        labelled.shuffle(using: &generator)
        var perArea: [LabArea: (total: Int, correct: Int)] = [:]
        var correct = 0
        for fold in 0..<folds {
            let training = labelled.enumerated().filter { $0.offset % folds != fold }.map(\.element)
            let model = ComplementNaiveBayes(training: training)
            for (index, example) in labelled.enumerated() where index % folds == fold {
                let hit = model.classify(example.features) == example.label
                perArea[example.label, default: (0, 0)].total += 1
                if hit {
                    perArea[example.label, default: (0, 0)].correct += 1
                    correct += 1
                }
            }
        }
        total = labelled.count
        self.correct = correct
        self.perArea = perArea
        let largest = perArea.values.map(\.total).max() ?? 0
        majorityBaseline = total == 0 ? 0 : Double(largest) / Double(total)
    }
}
