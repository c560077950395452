import AsyncHTTPClient
import Foundation

/// Reads feeds from files or http(s) URLs; a feed that fails is a `FeedError` in the result, never a throw.
public enum FeedReader {
    public static func read(
        _ source: String, timeout: Duration = .seconds(10)
    ) async -> Result<[Announcement], FeedError> {
        do {
            let data: Data
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                var request = HTTPClientRequest(url: source)
                request.headers.add(name: "User-Agent", value: "stacklab")
                let response = try await HTTPClient.shared.execute(
                    request,
                    timeout: .nanoseconds(
                        Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds
                            / 1_000_000_000))
                guard response.status.code == 200 else {
                    return .failure(FeedError(source: source, message: "answered \(response.status.code)"))
                }
                data = Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
            } else {
                guard let contents = FileManager.default.contents(atPath: source) else {
                    return .failure(FeedError(source: source, message: "cannot read the file"))
                }
                data = contents
            }
            return .success(try FeedParser.parse(data, source: source))
        } catch let error as FeedError {
            return .failure(error)
        } catch {
            return .failure(FeedError(source: source, message: "cannot be reached: \(error)"))
        }
    }
}
