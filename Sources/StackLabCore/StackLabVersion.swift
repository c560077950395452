/// StackLab's own version, printed by `stacklab --version` and recorded with every result.
public enum StackLabVersion {
    public static let current = "0.1.0"
}
