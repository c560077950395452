/// The rules of RFC 9110 for what a request may carry, so that a method, a header or a path from a file or a flag
/// can never add a header or a second request of its own (CR, LF and other control characters).
public enum HTTPField {
    /// Whether `text` is a token (RFC 9110 §5.6.2), what a method and a header name must be.
    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    /// Whether `text` may be a header's value (RFC 9110 §5.5): visible characters, spaces, tabs, and bytes of
    /// 0x80 and above; no CR, LF, NUL or other control character.
    public static func isFieldValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// Whether `text` may be a request target: no space and no control character.
    public static func isRequestTarget(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }

    /// Why `method` cannot be sent, or nil when it can.
    public static func methodProblem(_ method: String) -> String? {
        isToken(method)
            ? nil
            : "\(MessageText.quoted(method)) is not an HTTP method; a method is letters such as GET or POST, with no "
                + "space or control character"
    }

    /// Why `name: value` cannot be sent, or nil when it can.
    public static func headerProblem(name: String, value: String) -> String? {
        if !isToken(name) {
            return "\(MessageText.quoted(name)) is not a header name; a name is letters, digits and - with no space, "
                + "colon or control character"
        }
        if !isFieldValue(value) {
            return "the value of \(name) holds a control character (CR, LF, NUL, …), which would let it add headers "
                + "or requests: \(MessageText.quoted(value))"
        }
        return nil
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
