import CIXCanonicalJSON
import CIXCore

/// A GeoReport v2 answer, rendered as XML or JSON from one description.
///
/// XML wraps a list in a container element named for it, each item in an
/// element named for the item (`<services><service>…</service></services>`);
/// JSON writes the same list as an array of objects.
package indirect enum Open311Document: Sendable {
    case text(String)
    case number(Double)
    case bool(Bool)
    case null
    /// Ordered fields of one item.
    case item([(String, Open311Document)])
    /// A list: its XML container name, its items' XML element name, and the items.
    case list(container: String, element: String, [Open311Document])
    /// A document whose XML root element has this name (JSON ignores the name).
    case root(String, Open311Document)

    package enum Format: String, Sendable {
        case xml, json

        package var contentType: String {
            self == .xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8"
        }
    }

    package func render(_ format: Format) -> String {
        switch format {
        case .xml: "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + xml(name: nil) + "\n"
        case .json: ((try? json.canonicalString()) ?? "null") + "\n"
        }
    }

    var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .number(let number): .number(number)
        case .bool(let flag): .bool(flag)
        case .null: .null
        case .item(let fields):
            .object((try? JSONObject(members: fields.map { JSONObject.Member($0.0, $0.1.json) })) ?? JSONObject())
        case .list(_, _, let items): .array(items.map(\.json))
        case .root(_, let document): document.json
        }
    }

    func xml(name: String?) -> String {
        func wrap(_ name: String?, _ body: String) -> String {
            guard let name else { return body }
            return body.isEmpty ? "<\(name)/>" : "<\(name)>\(body)</\(name)>"
        }
        switch self {
        case .text(let text): return wrap(name, XMLText.escape(text))
        case .number(let number): return wrap(name, (try? JSONValue.number(number).canonicalString()) ?? "0")
        case .bool(let flag): return wrap(name, flag ? "true" : "false")
        case .null: return wrap(name, "")
        case .item(let fields): return wrap(name, fields.map { $0.1.xml(name: $0.0) }.joined())
        case .list(let container, let element, let items):
            return wrap(name ?? container, items.map { $0.xml(name: element) }.joined())
        case .root(let root, let document): return document.xml(name: root)
        }
    }

    /// The spec's error answer: `<errors><error><code/><description/></error></errors>` or a JSON array.
    package static func errors(_ code: Int, _ description: String) -> Open311Document {
        .list(
            container: "errors",
            element: "error",
            [.item([("code", .number(Double(code))), ("description", .text(description))])]
        )
    }
}
