import StackLabCore

extension RegressionGate {
    /// The gate as JUnit XML, as Jenkins, GitLab and GitHub test reporters read it: one `<testsuite>`, a
    /// `<testcase>` per check (rule, variant, rate), a `<failure>` with the numbers for each failed check and a
    /// `<skipped>` for each check too few trials could decide. It validates against the JUnit schema of
    /// Jenkins' xunit plugin (junit-10.xsd).
    ///
    /// - Parameter timestamp: when the gate ran, ISO 8601.
    public func junit(timestamp: String) -> String {
        let failures = checks.filter { $0.outcome == .fail }.count
        let skipped = checks.filter { $0.outcome == .undecided }.count
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<testsuite name=\"\(XMLText.escape("stacklab gate \(baselineID) → \(candidateID)"))\" "
                + "tests=\"\(checks.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"0\" "
                + "timestamp=\"\(XMLText.escape(timestamp))\">",
            "  <properties>",
            "    <property name=\"baseline\" value=\"\(XMLText.escape(baselineID))\"/>",
            "    <property name=\"candidate\" value=\"\(XMLText.escape(candidateID))\"/>",
            "    <property name=\"verdict\" value=\"\(XMLText.escape(verdictLine))\"/>",
            "  </properties>",
        ]
        for check in checks {
            let opening =
                "  <testcase classname=\"\(XMLText.escape("stacklab.gate." + check.variant))\" "
                + "name=\"\(XMLText.escape(check.rule.expression + " " + check.place))\" time=\"0\""
            switch check.outcome {
            case .pass:
                lines.append(opening + "/>")
            case .fail:
                let message =
                    "\(check.rule.metric.rawValue) \(check.changeText), beyond \(check.toleranceText), "
                    + check.significanceText
                lines += [
                    opening + ">",
                    "    <failure type=\"regression\" message=\"\(XMLText.escape(message))\">"
                        + XMLText.escape(check.numbers) + "</failure>",
                    "  </testcase>",
                ]
            case .undecided:
                lines += [
                    opening + ">",
                    "    <skipped message=\"\(XMLText.escape(check.verdictText))\"/>",
                    "  </testcase>",
                ]
            }
        }
        lines.append("</testsuite>")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension RegressionGate.Check {
    /// The figures behind a verdict, for a failure's body.
    var numbers: String {
        "baseline median \(text(baseline)) over \(baselineTrials) trials; candidate median \(text(candidate)) over "
            + "\(candidateTrials) trials; change \(changeText); tolerance \(toleranceText); one-sided test "
            + "\(significanceText)"
    }
}
