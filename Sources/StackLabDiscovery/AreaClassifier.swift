import StackLabCore

/// Places landscape items in the lab's areas: overrides, decisive keywords, the landscape's categories,
/// general keywords, then a naive Bayes model trained on what those layers labelled.
public struct AreaClassifier: Sendable {
    /// Categories that list organisations, not technologies: never classified.
    public static let organisationCategories: Set<String> = ["CNCF Members", "Special"]

    public var overrides: [String: LabArea]
    private let model: ComplementNaiveBayes<LabArea>

    /// Trains the model on the items of `landscape` that the rule layers label.
    public init(landscape: Landscape, overrides: [String: LabArea] = AreaRules.overrides) {
        self.overrides = overrides
        let labelled = landscape.items.compactMap { item -> ([String], LabArea)? in
            Self.ruleArea(of: item, overrides: overrides).map { (Self.features(of: item), $0.area) }
        }
        model = ComplementNaiveBayes(training: labelled)
    }

    /// Whether the item is a technology (not a member or a partner).
    public static func isTechnology(_ item: LandscapeItem) -> Bool {
        !organisationCategories.contains(item.category)
    }

    /// The classifier's input: the item's name and description, and the words of its repository path and
    /// homepage host (`envoyproxy gateway`, `keda sh`), which say something for the many items with no description.
    public static func text(of item: LandscapeItem) -> String {
        "\(item.name) \(item.description ?? "") \(urlWords(item.repoURL)) \(urlWords(item.homepageURL))"
    }

    /// The model's features of an item: the stems and lexicon features (``TextTokens/features(of:)``) of its text.
    public static func features(of item: LandscapeItem) -> [String] { TextTokens.features(of: text(of: item)) }

    /// The words of a URL without its scheme and the words every URL has.
    static func urlWords(_ url: String?) -> String {
        guard let url else { return "" }
        let common: Set<String> = ["https", "http", "www", "github", "com", "io", "org", "html", "en", "docs"]
        return TextTokens.of(url).filter { !common.contains($0) }.joined(separator: " ")
    }

    /// The area the rule layers give (override, decisive keyword, category, keyword), or `nil`.
    public static func ruleArea(
        of item: LandscapeItem, overrides: [String: LabArea] = AreaRules.overrides
    )
        -> (area: LabArea, layer: Classification.Layer)?
    {
        guard isTechnology(item) else { return nil }
        if let area = overrides[item.name] { return (area, .override) }
        let text = "\(item.name) \(item.description ?? "")".lowercased()
        if let area = AreaRules.match(AreaRules.decisiveKeywords, in: text) { return (area, .keyword) }
        if let area = AreaRules.area(category: item.category, subcategory: item.subcategory) {
            return (area, .category)
        }
        if let area = AreaRules.match(AreaRules.keywords, in: text) { return (area, .keyword) }
        return nil
    }

    /// The item's area and kind; technologies no rule places are given the model's answer.
    public func classify(_ item: LandscapeItem, inventory: LabInventory? = nil) -> Classification {
        let kind = Self.kindMatch(of: item, inventory: inventory)
        guard Self.isTechnology(item) else { return Classification(area: nil, layer: nil, kind: kind) }
        if let rule = Self.ruleArea(of: item, overrides: overrides) {
            return Classification(area: rule.area, layer: rule.layer, kind: kind)
        }
        return Classification(area: model.classify(Self.features(of: item)), layer: .model, kind: kind)
    }

    /// The model's answer alone, as cross-validation scores it.
    public func predict(_ item: LandscapeItem) -> LabArea? { model.classify(Self.features(of: item)) }

    /// `runs(nginx)` for an item the lab runs, `peerOf(gateway)` for one in a role the lab runs peers in.
    public static func kindMatch(of item: LandscapeItem, inventory: LabInventory?) -> KindMatch? {
        if let component = inventory?.component(named: item.name) {
            if let kind = ComponentKind(rawValue: component.kind) { return .runs(kind) }
            return .peerOf(component.role)
        }
        return ComponentRole.of(item).map { .peerOf($0) }
    }
}
