import StackLabCore
import StackLabLoad

/// What an experiment run reports while it runs, for progress on a terminal.
public enum RunEvent: Sendable {
    /// A variant's components are starting.
    case startingVariant(name: String, components: [String])
    /// What was learned about one app of a variant before its trials, or why the variant is skipped
    /// (``AppFacts/notInstalled``).
    case appFacts(AppFacts)
    /// A trial begins: its number among all trials and what it is.
    case trialStarted(index: Int, of: Int, plan: TrialPlan)
    /// About once a second during a trial.
    case trialProgress(LoadProgress)
    /// A trial finished and was kept.
    case trialFinished(TrialMeasurement)
    /// A database component's backup and restore drill finished, after the variant's last trial.
    case recoveryDrill(RecoveryDrill)
}
