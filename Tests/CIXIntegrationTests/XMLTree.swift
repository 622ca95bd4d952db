import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element, so tests check XML by structure, not by string.
final class XMLTree {
    let name: String
    var text = ""
    var children: [XMLTree] = []
    var attributes: [String: String] = [:]
    /// The element's namespace URI, if it has one.
    var namespace: String?

    init(name: String) { self.name = name }

    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }
    func value(_ name: String) -> String? { child(name)?.text }

    static func parse(_ data: [UInt8]) -> XMLTree? {
        let builder = Builder()
        let parser = XMLParser(data: Data(data))
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        guard parser.parse() else { return nil }
        return builder.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []

        func parser(
            _ parser: XMLParser,
            didStartElement name: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = XMLTree(name: name)
            element.attributes = attributes
            element.namespace = namespaceURI.flatMap { $0.isEmpty ? nil : $0 }
            stack.last?.children.append(element)
            if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
    }
}
