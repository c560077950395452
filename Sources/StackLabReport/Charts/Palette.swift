/// Colours and type of every chart: the Okabe–Ito palette, told apart by people with colour-blindness too.
enum Palette {
    static let series = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#7A7A7A", "#000000"]
    static let text = "#222222"
    static let muted = "#666666"
    static let grid = "#E4E4E4"
    static let axis = "#888888"
    static let slo = "#C0392B"
    static let egress = "#B8B8B8"
    static let fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

    /// The colour of the series at `index`, cycling when there are more series than colours.
    static func colour(_ index: Int) -> String {
        series[index % series.count]
    }

    /// Dash patterns to tell apart series that share a colour after the palette cycles.
    static func dash(_ index: Int) -> String? {
        switch (index / series.count) % 3 {
        case 0: nil
        case 1: "6 3"
        default: "2 3"
        }
    }
}
