import Foundation
import Hummingbird

/// The request context of the reference app: Hummingbird's basic one, with JSON keys in a fixed order.
///
/// Foundation's `JSONEncoder` on Linux writes an object's keys in hash order, which changes from run to
/// run; sorted keys give `{"id":1,"randomNumber":2}` every time, as the other runtimes' apps write it.
public struct RefAppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// A new encoder per request, as Hummingbird's default is: the body is serialised anew each time.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
