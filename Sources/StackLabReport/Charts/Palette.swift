/// Colours and type of every chart: the Okabe–Ito palette, told apart by people with colour-blindness too, then
/// four of Paul Tol's muted colours.
enum Palette {
    static let series = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#7A7A7A", "#000000",
        "#882255", "#44AA99", "#999933", "#332288",
    ]
    /// Dash patterns, one per round of the colours: with them, 96 series each get a colour and dash pair of its own.
    static let dashes: [String?] = [nil, "7 3", "2 3", "9 3 2 3", "14 4", "2 6", "9 3 2 3 2 3", "4 4"]
    static let text = "#222222"
    static let muted = "#666666"
    static let grid = "#E4E4E4"
    static let axis = "#888888"
    static let slo = "#C0392B"
    static let egress = "#B8B8B8"
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

    /// The colour of the series at `index`: consecutive series always differ in colour.
    static func colour(_ index: Int) -> String {
        series[index % series.count]
    }

    /// The dash pattern of the series at `index`: series that share a colour after the palette cycles differ in
    /// dash, so no two of the first `series.count × dashes.count` share both.
    static func dash(_ index: Int) -> String? {
        dashes[(index / series.count) % dashes.count]
    }

    /// How wide a text is drawn, estimated generously (0.6 of the font size per character) so that text placed
    /// by it stays inside its frame.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }
}
