import StackLabCore
import StackLabLoad

/// What an experiment run reports while it runs, for progress on a terminal.
public enum RunEvent: Sendable {
    /// A variant's components are starting.
    case startingVariant(name: String, components: [String])
    /// A trial begins: its number among all trials and what it is.
    case trialStarted(index: Int, of: Int, plan: TrialPlan)
    /// About once a second during a trial.
    case trialProgress(LoadProgress)
    /// A trial finished and was kept.
    case trialFinished(TrialMeasurement)
    /// A database component's backup and restore drill finished, after the variant's last trial.
    case recoveryDrill(RecoveryDrill)
}
