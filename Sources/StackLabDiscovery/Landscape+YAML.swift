import Foundation
import StackLabCore
import Yams

extension Landscape {
    /// Reads a `landscape.yml` file; its date comes from the file name when it holds one.
    public static func load(path: String) throws -> Landscape {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw UserError("cannot read landscape file \(path)") }
        do {
            var landscape = try parse(text)
            landscape.date = date(fromFileName: path)
            return landscape
        } catch let error as UserError {
            throw UserError("\(path): \(error.message)")
        }
    }

    /// Parses the text of a `landscape.yml`.
    ///
    /// Tolerant of what the landscape's own schema leaves optional: a missing description, repository,
    /// maturity or `extra` is `nil` or empty; an entry without a name is skipped; an unknown maturity
    /// is read as none. Only a file without a `landscape` sequence is an error.
    public static func parse(_ text: String) throws -> Landscape {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw UserError("not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        guard let categoryNodes = root?["landscape"]?.sequence else {
            throw UserError("no 'landscape' list: not a CNCF landscape.yml")
        }
        var categories: [Category] = []
        var listings: [LandscapeListing] = []
        for categoryNode in categoryNodes {
            guard let categoryName = categoryNode["name"]?.string else { continue }
            var subcategories: [String] = []
            for subcategoryNode in elements(of: categoryNode["subcategories"]) {
                guard let subcategoryName = subcategoryNode["name"]?.string else { continue }
                subcategories.append(subcategoryName)
                for itemNode in elements(of: subcategoryNode["items"]) {
                    guard let name = itemNode["name"]?.string?.trimmingCharacters(in: .whitespaces), !name.isEmpty
                    else { continue }
                    listings.append(
                        LandscapeListing(
                            name: name, category: categoryName, subcategory: subcategoryName,
                            homepageURL: itemNode["homepage_url"]?.string, repoURL: itemNode["repo_url"]?.string,
                            maturity: itemNode["project"]?.string.flatMap {
                                ProjectMaturity(rawValue: $0.lowercased())
                            },
                            description: itemNode["description"]?.string?.trimmingCharacters(
                                in: .whitespacesAndNewlines),
                            extra: scalars(of: itemNode["extra"]), line: itemNode.mark?.line ?? 0))
                }
            }
            categories.append(Category(name: categoryName, subcategories: subcategories))
        }
        return Landscape(categories: categories, listings: listings)
    }

    private static func elements(of node: Node?) -> [Node] {
        node?.sequence.map { Array($0) } ?? []
    }

    private static func scalars(of node: Node?) -> [String: String] {
        guard let mapping = node?.mapping else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            if let key = key.string, let value = value.string { result[key] = value }
        }
        return result
    }
}
