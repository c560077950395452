import Foundation
import StackLabCore

/// What `stacklab image` reports of an image: its size as a registry would store it, its layers and its files.
public struct OCIImageFacts: Sendable, Equatable {
    public var layout: URL
    /// The manifest, the config and the compressed layers: the bytes a registry stores and a pull transfers.
    public var imageBytes: Int64
    /// The regular files' bytes once unpacked.
    public var unpackedBytes: Int64
    public var layers: Int
    /// Regular files in the image.
    public var files: Int

    /// Reads the layout's index and its first manifest, and counts the staged root filesystem's files.
    ///
    /// - Throws: `UserError` naming the file of the layout that is missing or malformed.
    init(layout: URL, rootfs: URL) throws {
        self.layout = layout
        let manifest = try Self.manifest(in: layout)
        let layers = manifest["layers"] as? [[String: Any]] ?? []
        let config = manifest["config"] as? [String: Any]
        let manifestSize = (manifest["_size"] as? Int64) ?? 0
        imageBytes =
            manifestSize + Int64(config?["size"] as? Int ?? 0)
            + layers.reduce(0) { $0 + Int64($1["size"] as? Int ?? 0) }
        self.layers = layers.count
        (files, unpackedBytes) = Self.regularFiles(under: rootfs)
    }

    /// The manifest the layout's index.json points at first, with its own size under `_size`.
    static func manifest(in layout: URL) throws -> [String: Any] {
        let indexFile = layout.appendingPathComponent("index.json")
        guard let data = try? Data(contentsOf: indexFile),
            let index = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let first = (index["manifests"] as? [[String: Any]])?.first, let digest = first["digest"] as? String
        else {
            throw UserError("\(indexFile.path): missing, or no manifests[0].digest", exitCode: 1)
        }
        let blob = layout.appendingPathComponent("blobs/" + digest.replacingOccurrences(of: ":", with: "/"))
        guard let manifestData = try? Data(contentsOf: blob),
            var manifest = try? JSONSerialization.jsonObject(with: manifestData) as? [String: Any]
        else {
            throw UserError("\(blob.path): the manifest \(digest) is missing or not JSON", exitCode: 1)
        }
        manifest["_size"] = Int64(manifestData.count)
        return manifest
    }

    /// How many regular files are under `root`, and their bytes.
    static func regularFiles(under root: URL) -> (count: Int, bytes: Int64) {
        var count = 0
        var bytes: Int64 = 0
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey]
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            return (0, 0)
        }
        for case let url as URL in walk {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else {
                continue
            }
            count += 1
            bytes += Int64(values.fileSize ?? 0)
        }
        return (count, bytes)
    }
}
