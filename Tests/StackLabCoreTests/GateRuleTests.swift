import Testing

@testable import StackLabCore

/// The regression gate's rules as `--fail-on` and `gate:` take them, and the one-sided test it decides by.
struct GateRuleTests {
    @Test(arguments: [
        ("p99>+10%", GateRule.Metric.p99, true, GateRule.Tolerance.relative(0.1)),
        ("p99 > +2ms", .p99, true, .absolute(2_000)),
        ("p50>250us", .p50, true, .absolute(250)),
        ("cost_per_million>+5%", .costPerMillion, true, .relative(0.05)),
        ("cost_per_million>+$0.01", .costPerMillion, true, .absolute(0.01)),
        ("rate<-5%", .rate, false, .relative(0.05)),
        ("rate<-50/s", .rate, false, .absolute(50)),
        ("error_rate>+0.5pp", .errorRate, true, .absolute(0.005)),
    ])
    func rulesParse(
        _ text: String, _ metric: GateRule.Metric, _ increase: Bool, _ tolerance: GateRule.Tolerance
    )
        throws
    {
        let rule = try GateRule(parsing: text)
        #expect(rule.metric == metric)
        #expect(rule.failsOnIncrease == increase)
        #expect(rule.tolerance == tolerance)
    }

    @Test(arguments: [
        ("p99+10%", "no > or <"),
        ("cost_per_milion>+5%", "unknown metric 'cost_per_milion'; did you mean 'cost_per_million'?"),
        ("p99>10", "has no unit"),
        ("p99>-10%", "the sign must follow the comparison"),
        ("rate<+5%", "the sign must follow the comparison"),
        ("error_rate>+1%", "percentage points"),
        ("cost_per_million>+0.01", "in dollars per million"),
        ("p99>+ten%", "is not a tolerance"),
    ])
    func badRulesSayWhatIsAllowed(_ text: String, _ expected: String) {
        let error = #expect(throws: UserError.self) { try GateRule(parsing: text) }
        #expect(error?.message.hasPrefix("'\(text)'") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    static let yaml = """
        name: gated
        gate: ["p99>+10%", "rate<-5%"]
        workload: { path: /json, rate: 200/s, duration: 2s }
        components:
          app: { kind: app, runtime: swift, settings: { delay: 2ms } }
        variants:
          direct: [app]
        """

    @Test func experimentFileCarriesItsGate() throws {
        let spec = try ExperimentSpec(yaml: Self.yaml, file: "e.yaml")
        #expect(spec.gate?.map(\.expression) == ["p99>+10%", "rate<-5%"])
        #expect(try spec.components[0].injectedDelayNanoseconds() == 2_000_000)
    }

    @Test(arguments: [
        (
            "gate: [\"p99>+10%\", \"rate<-5%\"]", "gate: [\"p99>+10%\", \"p99>10\"]",
            "e.yaml:2: gate[1]: 'p99>10': '10' has no unit"
        ),
        ("gate: [\"p99>+10%\", \"rate<-5%\"]", "gate: p99>+10%", "e.yaml:2: gate: expected a list like"),
        ("gate: [\"p99>+10%\", \"rate<-5%\"]", "gate: []", "e.yaml:2: gate: empty"),
        ("delay: 2ms", "delay: 2", "e.yaml:5: components.app.settings.delay: '2' has no unit"),
        (
            "runtime: swift, settings: { delay: 2ms }", "runtime: go, settings: { delay: 2ms }",
            "e.yaml:5: components.app.settings.delay: only the Swift reference app"
        ),
    ])
    func mistakesNameFileLineAndKey(_ original: String, _ replacement: String, _ expected: String) throws {
        let yaml = Self.yaml.replacingOccurrences(of: original, with: replacement)
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "e.yaml") }
        #expect(error.lines.contains { $0.hasPrefix(expected) }, "\(error.lines)")
    }

    /// Three trials a side: only every candidate trial above every baseline trial reaches p = 1/20.
    @Test func oneSidedTestDecidesAtThreeTrialsASide() throws {
        let all = try #require(Statistics.mannWhitney([4, 5, 6], above: [1, 2, 3]))
        #expect(all.canDecide && all.isSignificant)
        #expect(abs(all.pValue - 0.05) < 1e-9)
        let mixed = try #require(Statistics.mannWhitney([2.5, 5, 6], above: [1, 2, 3]))
        #expect(!mixed.isSignificant)
        #expect(abs(mixed.pValue - 0.10) < 1e-9)
        // The wrong direction is nowhere near significant.
        #expect(try #require(Statistics.mannWhitney([1, 2, 3], above: [4, 5, 6])).pValue == 1)
        let two = try #require(Statistics.mannWhitney([4, 5], above: [1, 2]))
        #expect(!two.canDecide)
        #expect(Statistics.trialsNeededOneSided == 3)
    }
}
