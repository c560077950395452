import Foundation
import StackLabCore

/// A stored run as a file: what `stacklab export` writes and `stacklab import` reads, so that a CI job can keep its
/// baseline as an artifact. The whole ``RunRecord`` (spec, trials with their histograms and series, configs, app
/// facts, drills), under a format version of its own.
public struct RunExport: Sendable, Equatable, Codable {
    /// The version of this file format; a reader refuses any other.
    public static let formatVersion = "stacklab.run-export/1"
    /// Exports are larger than the files a user writes by hand: histograms and per-second series of every trial.
    public static let maximumBytes = 1_024 * 1_048_576

    public var format: String
    /// ISO 8601, UTC.
    public var exportedAt: String
    /// The StackLab that wrote the file.
    public var stacklabVersion: String
    public var run: RunRecord

    public init(run: RunRecord, exportedAt: String) {
        self.format = Self.formatVersion
        self.exportedAt = exportedAt
        self.stacklabVersion = StackLabVersion.current
        self.run = run
    }

    /// The file's bytes: indented JSON with sorted keys, so that two exports of one run differ only in `exportedAt`.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Reads an export from `path`.
    ///
    /// - Throws: `UserError` naming the file: unreadable, not JSON, not an export, or of another format version.
    public static func read(path: String) throws -> RunExport {
        let data = try InputFile.read(path, maximumBytes: maximumBytes)
        let shown = MessageText.oneLine(path, limit: 200)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        struct Header: Decodable { var format: String? }
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw UserError(
                "\(shown): not a StackLab run export (not a JSON object); 'stacklab export RUN -o FILE' "
                    + "writes one")
        }
        guard let format = header.format, format.hasPrefix("stacklab.run-export/") else {
            throw UserError(
                "\(shown): not a StackLab run export (no \"format\": \"\(formatVersion)\"); 'stacklab export RUN -o "
                    + "FILE' writes one")
        }
        guard format == formatVersion else {
            throw UserError(
                "\(shown): format \(MessageText.quoted(format)) is not one this stacklab reads (\(formatVersion)); "
                    + "export the run again with this stacklab, or upgrade it")
        }
        do {
            return try decoder.decode(RunExport.self, from: data)
        } catch let error as DecodingError {
            throw UserError("\(shown): not a complete run export: \(error.summary)")
        }
    }

    /// True when `reference` names an export file rather than a stored run: a path with a `/` or ending in
    /// `.json` (`./baseline`, `baseline.json`); run ids have neither.
    public static func isFileReference(_ reference: String) -> Bool {
        reference.contains("/") || reference.hasSuffix(".json")
    }
}
