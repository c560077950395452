import Foundation

extension ExperimentSpec {
    /// Every workload's arrival replaced by the rates of `stacklab run --rates`: `500,1000,2000` (a sweep), `1000`
    /// (one constant rate), `max` (closed loop), rates then `max` (a sweep with a closed-loop trial after it), or
    /// `search` (a capacity search with its defaults, ``CapacitySearch``).
    ///
    /// - Throws: `UserError` naming the entry that is not a rate, or rates that do not increase.
    public mutating func overrideRates(_ list: String) throws {
        if list.trimmingCharacters(in: .whitespaces).lowercased() == "search" {
            guard slo != nil else {
                throw UserError("--rates search looks for the highest rate within the SLO; the experiment has no slo:")
            }
            changeWorkloads {
                $0.arrival = .search(CapacitySearch())
                $0.includesClosedLoop = nil
            }
            return
        }
        var rates: [Double] = []
        var closedLoop = false
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            let text = part.trimmingCharacters(in: .whitespaces)
            if text.lowercased() == "max" {
                guard !closedLoop else { throw UserError("--rates lists max twice; give it once, last") }
                closedLoop = true
                continue
            }
            let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
            guard !closedLoop, let rate = Double(number.replacingOccurrences(of: "_", with: "")), rate.isFinite,
                rate > 0
            else {
                throw UserError(
                    "--rates: '\(text)' is not a rate; give requests per second in increasing order, e.g. "
                        + "--rates 500,1000,2000 (max last for a closed loop)")
            }
            if let previous = rates.last, rate <= previous {
                throw UserError("--rates must increase: \(Self.rateText(rate)) comes after \(Self.rateText(previous))")
            }
            rates.append(rate)
        }
        let arrival: Workload.Arrival =
            switch rates.count {
            case 0: .closedLoop
            case 1 where !closedLoop: .constant(rate: rates[0])
            default: .sweep(rates: rates)
            }
        let alsoClosedLoop = closedLoop && !rates.isEmpty
        changeWorkloads {
            $0.arrival = arrival
            $0.includesClosedLoop = alsoClosedLoop ? true : nil
        }
    }

    /// The experiment cut down to the variants named (`stacklab run --variant NAME`, repeatable), in the file's
    /// order.
    ///
    /// - Throws: `UserError` naming an unknown variant, the nearest name, and every variant the experiment has.
    public mutating func keepVariants(_ names: [String]) throws {
        guard !names.isEmpty else { return }
        let known = variants.map(\.name)
        for name in names where !known.contains(name) {
            let hint = NameSuggestion.nearest(to: name, among: known).map { "did you mean '\($0)'? " } ?? ""
            throw UserError(
                "--variant: experiment \(self.name) has no variant '\(name)'; \(hint)its variants: "
                    + known.joined(separator: ", "))
        }
        variants = variants.filter { names.contains($0.name) }
    }

    private static func rateText(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}
